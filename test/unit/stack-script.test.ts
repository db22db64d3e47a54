import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/stack';

/** The stack script's rule for services run by someone else: their env var names another address. */
function bash(script: string, env: Record<string, string> = {}): string {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'df-stack-'));
  try {
    return execFileSync('bash', ['-c', `set -euo pipefail; source scripts/stack/lib.sh; ${script}`], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        DF_STACK_HOME: home,
        DF_CACHE_DIR: path.join(home, 'cache'),
        ...env,
      },
    }).trim();
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

const external = (variable: string, value: string | undefined, port: number) =>
  bash(
    `is_external ${variable} ${port} && echo external || echo local`,
    value === undefined ? {} : { [variable]: value },
  );

describe('stack script: which services it starts', () => {
  it.each([
    ['KAFKA_CONNECT_URL', undefined, 8083, 'local'],
    ['KAFKA_CONNECT_URL', 'http://127.0.0.1:8083', 8083, 'local'],
    ['KAFKA_CONNECT_URL', 'http://localhost:8083/', 8083, 'local'],
    ['KAFKA_CONNECT_URL', 'http://connect.prod:8083', 8083, 'external'],
    ['KAFKA_CONNECT_URL', 'http://127.0.0.1:18083', 8083, 'external'],
    ['SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8081/apis/ccompat/v7', 8081, 'local'],
    ['SCHEMA_REGISTRY_URL', 'https://user:pw@registry.example/apis/ccompat/v7', 8081, 'external'],
    ['MONGO_URL', 'mongodb://127.0.0.1:27017/?directConnection=true', 27017, 'local'],
    ['MONGO_URL', 'mongodb://mongo.prod:27017/df', 27017, 'external'],
    ['KAFKA_BROKERS', '127.0.0.1:9092', 9092, 'local'],
    ['KAFKA_BROKERS', 'k1:9092,k2:9092', 9092, 'external'],
    ['TEMPORAL_ADDRESS', '127.0.0.1:7233', 7233, 'local'],
    ['TEMPORAL_ADDRESS', 'temporal.prod:7233', 7233, 'external'],
  ])('%s=%s (local port %s) is %s', (variable, value, port, expected) => {
    expect(external(variable, value, port)).toBe(expected);
  });

  it('keeps downloads in DF_CACHE_DIR and runtime state in DF_STACK_HOME', () => {
    const out = bash('echo "$DF_CACHE_DIR|$DF_STACK_HOME|$RUN_DIR|$LOG_DIR"');
    const [cache, home, run, logs] = out.split('|');
    expect(cache).toBe(path.join(home, 'cache'));
    expect(run).toBe(path.join(home, 'run'));
    expect(logs).toBe(path.join(home, 'logs'));
  });
});
