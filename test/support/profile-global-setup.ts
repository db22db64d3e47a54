import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './stack';

/**
 * A run on a profile of the stack needs every one of its services: one that is down fails the run
 * here. DF_PROFILE_ONLY="kafka connect" narrows the check while a recipe is being built alone.
 */
export function requireProfileUp(profile: 'secure' | 'cluster'): void {
  let out: string;
  try {
    out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/stack/stack.sh'), 'status', '--profile', profile], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    out = (error as { stdout?: string }).stdout ?? '';
    const only = process.env.DF_PROFILE_ONLY?.split(/\s+/).filter(Boolean);
    const down = out.split('\n').filter((line) => /\s(down|starting)\s/.test(line));
    if (!only || down.some((line) => only.includes(line.split(/\s+/)[0]))) {
      throw new Error(
        `The ${profile} stack is not fully up; start it with \`npm run stack -- up --profile ${profile}\`:\n${out}`,
      );
    }
  }
}
