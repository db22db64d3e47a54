import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { copyPaths, readDockerfile } from './dockerfile';
import { REPO_ROOT } from './stack';

export interface ImageTree {
  /** The image's WORKDIR, here a temporary folder. */
  dir: string;
  /** The runtime stage's ENV. */
  env: Record<string, string>;
  remove(): void;
}

/** What `npm run build` leaves in dist/: the compiled sources of tsconfig.build.json and the workflow bundle. */
function builtOutputs(): string[] {
  const include = (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }
  ).include;
  return [...include, 'workflow-bundle.js'];
}

/** ENV KEY=VALUE [KEY=VALUE...] as one record (values here hold no spaces). */
function envOf(args: string): Record<string, string> {
  return Object.fromEntries(
    args
      .split(/\s+/)
      .filter((pair) => pair.includes('='))
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

/**
 * The DF image's runtime stage, built natively from the Dockerfile's own steps into a temporary
 * folder: its COPYs from the build context, its `npm ci` (with --prefer-offline: npm's cache is
 * warm wherever `npm ci` ran for the clone), and the clone's built dist/ for the build stage's.
 * Steps that only set up the container itself (`npm cache clean`, folders at /) are left out: they
 * would act on this machine.
 */
export function buildImageTree(): ImageTree {
  const stages = readDockerfile(path.join(REPO_ROOT, 'Dockerfile'));
  const runtime = stages[stages.length - 1];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'df-image-'));
  const env: Record<string, string> = {};
  for (const instruction of runtime.instructions) {
    if (instruction.keyword === 'ENV') Object.assign(env, envOf(instruction.args));
    if (instruction.keyword === 'COPY') {
      const { sources, destination } = copyPaths(instruction);
      if (instruction.flags.from === 'build') {
        for (const output of builtOutputs()) {
          const from = path.join(REPO_ROOT, 'dist', output);
          if (!fs.existsSync(from)) throw new Error(`${from} is missing: run \`npm run build\` (npm test does)`);
          fs.cpSync(from, path.join(dir, 'dist', output), { recursive: true });
        }
      } else {
        for (const source of sources) {
          const target = path.resolve(
            dir,
            destination.endsWith('/') ? path.join(destination, path.basename(source)) : destination,
          );
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.cpSync(path.join(REPO_ROOT, source), target, { recursive: true });
        }
      }
    }
    if (instruction.keyword === 'RUN') {
      for (const command of instruction.args.split('&&').map((c) => c.trim())) {
        if (!command.startsWith('npm ci')) continue;
        const [, ...args] = command.split(/\s+/);
        execFileSync('npm', [...args, '--prefer-offline'], {
          cwd: dir,
          env: { ...process.env, ...env, NODE_PATH: '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      }
    }
  }
  return { dir, env, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
