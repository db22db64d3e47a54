import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

interface Finding {
  ruleId: string | null;
  message: string;
}

/**
 * Lints probe sources as if they lived in a room, with the repository's own ESLint config. ESLint
 * loads its config with a native import(), which jest's module sandbox cannot do, so it runs in a
 * plain Node child.
 */
function lintProbes(probes: Record<string, string>): Record<string, Finding[]> {
  const script = `
    const { ESLint } = require('eslint');
    const probes = JSON.parse(process.argv[1]);
    (async () => {
      const eslint = new ESLint({ cwd: ${JSON.stringify(ROOT)} });
      const out = {};
      for (const [filePath, code] of Object.entries(probes)) {
        const [result] = await eslint.lintText(code, { filePath });
        out[filePath] = result.messages.map((m) => ({ ruleId: m.ruleId, message: m.message }));
      }
      process.stdout.write(JSON.stringify(out));
    })();`;
  return JSON.parse(execFileSync(process.execPath, ['-e', script, JSON.stringify(probes)], { cwd: ROOT }).toString());
}

const PROBES = {
  domainReachingOut: [
    "import { join } from 'node:path';",
    "import { x } from '../ras/http';",
    'export const y = [join, x];',
  ],
  protocolReachingOut: [
    "import { createHash } from 'node:crypto';",
    "import { loadConfig } from '../config';",
    "import { DfError } from '../domain/errors';",
    'export const y = [createHash, loadConfig, DfError];',
  ],
  workflowBreakingRules: [
    "import fs from 'node:fs';",
    "import { createActivities } from '../activities';",
    'export async function probe(): Promise<void> {',
    '  Promise.resolve([fs, createActivities]);',
    '}',
  ],
  workflowKeepingRules: [
    "import type { Activities } from '../activities';",
    "import { DfError } from '../src/domain/errors';",
    'export const probe = (a: Activities | undefined): unknown => a ?? DfError;',
  ],
};
const FILES: Record<keyof typeof PROBES, string> = {
  domainReachingOut: 'src/domain/lint-probe-1.ts',
  protocolReachingOut: 'src/protocol/lint-probe-1.ts',
  workflowBreakingRules: 'workflows/lint-probe-1.ts',
  workflowKeepingRules: 'workflows/lint-probe-2.ts',
};

describe('the room map, enforced by the linter', () => {
  let found: Record<keyof typeof PROBES, Finding[]>;
  beforeAll(() => {
    const sources = Object.entries(PROBES).map(([probe, lines]) => [
      FILES[probe as keyof typeof PROBES],
      `${lines.join('\n')}\n`,
    ]);
    const byFile = lintProbes(Object.fromEntries(sources));
    found = Object.fromEntries(Object.entries(FILES).map(([probe, file]) => [probe, byFile[file]])) as typeof found;
  });

  it('refuses a domain module that imports another room or a Node built-in', () => {
    expect(found.domainReachingOut.map((f) => f.message)).toEqual([
      expect.stringContaining('no Node built-ins'),
      expect.stringContaining('src/domain imports nothing of the project outside src/domain'),
    ]);
  });

  it('lets the protocol both sides of Temporal share import src/domain only, and no Node built-in', () => {
    expect(found.protocolReachingOut.map((f) => f.message)).toEqual([
      expect.stringContaining('no Node built-ins'),
      expect.stringContaining('src/protocol imports only src/domain'),
    ]);
  });

  it('refuses a workflow that imports a Node built-in, a value from activities, or an unawaited promise', () => {
    expect(found.workflowBreakingRules.map((f) => f.ruleId)).toEqual([
      '@typescript-eslint/no-restricted-imports',
      '@typescript-eslint/no-restricted-imports',
      '@typescript-eslint/no-floating-promises',
    ]);
  });

  it('lets a workflow import domain code and activity types', () => {
    expect(found.workflowKeepingRules).toEqual([]);
  });
});
