import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';

/** The clone's root, whether this runs from source (test/support) or compiled (dist/test/support, used by bench/). */
export const REPO_ROOT = ((): string => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'scripts/stack/stack.sh'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`cannot find the repository root above ${__dirname}`);
    dir = up;
  }
  return dir;
})();
const STACK = path.join(REPO_ROOT, 'scripts/stack/stack.sh');

/**
 * Runs `scripts/stack/stack.sh ARGS` and returns its stdout. The spec's own environment is passed on:
 * child processes otherwise get the jest process's, without what a setup file added (the secure
 * run's DF_STACK_PROFILE=secure), and would act on the default profile.
 */
export function stack(...args: string[]): string {
  return execFileSync('bash', [STACK, ...args], {
    cwd: REPO_ROOT,
    env: process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * stack() without blocking the event loop: for tests whose DF runs in the test's own process and
 * must go on working while a service is stopped or started.
 */
export function stackAsync(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [STACK, ...args],
      { cwd: REPO_ROOT, env: process.env, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`stack.sh ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

let envCache: Record<string, string> | undefined;
export function stackEnv(): Record<string, string> {
  envCache ??= Object.fromEntries(
    stack('env')
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  return envCache;
}

/** The Temporal CLI the stack installed: tests never let the SDK download one. */
export function temporalCliPath(): string {
  return process.env.TEMPORAL_CLI_PATH ?? stackEnv().TEMPORAL_CLI_PATH;
}

/** A name no other test run uses, for databases, task queues, topics and subjects. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
}
