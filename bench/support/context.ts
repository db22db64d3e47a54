import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Db, MongoClient } from 'mongodb';
import { ENV_DEFAULTS } from '../../src/config';

/** The clone's root, whether this runs compiled (dist/bench/…) or from source. */
export const REPO_ROOT = ((): string => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'scripts/stack/stack.sh'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the repository root above bench/');
    dir = up;
  }
  return dir;
})();

let env: Record<string, string> | undefined;

/**
 * The local stack's addresses (DF's defaults, or what the environment says) and its tool paths
 * (scripts/stack/stack.sh env), for the service a benchmark starts and for its own direct calls.
 */
export function benchEnv(): Record<string, string> {
  env ??= {
    ...ENV_DEFAULTS,
    ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined)),
    ...Object.fromEntries(execFileSync('bash', [path.join(REPO_ROOT, 'scripts/stack/stack.sh'), 'env'], { cwd: REPO_ROOT, encoding: 'utf8' })
      .trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)])),
  };
  return env;
}

export function benchName(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

/** A database of its own on the stack's store, dropped by close(). */
export async function benchDb(prefix: string): Promise<{ name: string; db: Db; close(): Promise<void> }> {
  const client = await MongoClient.connect(benchEnv().MONGO_URL, { retryWrites: false });
  const name = benchName(prefix);
  const db = client.db(name);
  return { name, db, close: async () => { await db.dropDatabase().catch(() => undefined); await client.close(); } };
}
