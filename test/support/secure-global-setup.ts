import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './stack';

/** The secure run needs every service of the secure profile: one that is down fails the run here. */
export default function secureGlobalSetup(): void {
  try {
    execFileSync('bash', [path.join(REPO_ROOT, 'scripts/stack/stack.sh'), 'status', '--profile', 'secure'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const out = (error as { stdout?: string }).stdout ?? '';
    throw new Error(
      `The secure stack is not fully up; start it with \`npm run stack -- up --profile secure\`:\n${out}`,
    );
  }
}
