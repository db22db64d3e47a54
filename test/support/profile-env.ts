import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './stack';

/**
 * The variables that point DF at a profile of the stack, as `stack.sh env --profile NAME` prints
 * them: addresses, CA and client-certificate paths, and every secret as a NAME_FILE path.
 * DF_STACK_HOME is left out: with DF_STACK_PROFILE set, stack.sh finds the profile's folder itself,
 * and given that folder it would look inside it for another.
 */
export function profileEnv(profile: 'secure' | 'cluster'): Record<string, string> {
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts/stack/stack.sh'), 'env', '--profile', profile], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .filter((line) => line.includes('=') && !line.startsWith('DF_STACK_HOME='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}
