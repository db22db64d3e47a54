import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** The modules a file imports or re-exports as values (not `import type`), resolved when relative. */
function valueImports(file: string): string[] {
  const source = fs.readFileSync(file, 'utf8');
  const specs = [...source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);
  return specs.map((spec) => (spec.startsWith('.') ? `${path.resolve(path.dirname(file), spec)}.ts` : spec));
}

/** Everything the workflow bundle pulls in, starting from workflows/index.ts and its interceptors. */
function workflowBundleModules(): Set<string> {
  const seen = new Set<string>();
  const queue = [path.join(ROOT, 'workflows', 'index.ts'), path.join(ROOT, 'workflows', 'interceptors.ts')];
  while (queue.length > 0) {
    const next = queue.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    if (next.endsWith('.ts') && fs.existsSync(next)) queue.push(...valueImports(next));
  }
  return seen;
}

/**
 * The workflow sandbox evaluates the workflow modules again for every run (each run gets its own
 * module state), so what the bundle imports is paid per run, in CPU and in each cached run's memory.
 * A schema library there made every connect add cost a zod start-up.
 */
describe('workflow bundle: what every workflow run loads', () => {
  const modules = [...workflowBundleModules()];

  it('takes no package but the Temporal SDK', () => {
    const packages = modules.filter((m) => !m.startsWith('/')).filter((m) => !m.startsWith('@temporalio/'));
    expect(packages).toEqual([]);
  });

  it('reaches only workflow, domain and protocol code of this repository', () => {
    const local = modules.filter((m) => m.startsWith('/')).map((m) => path.relative(ROOT, m));
    const shared = (m: string) => m.startsWith('src/domain/') || m.startsWith('src/protocol/');
    expect(local.filter((m) => !m.startsWith('workflows/') && !shared(m))).toEqual([]);
  });
});
