/** What one benchmark found: its figures as table rows, the target, and whether it was met. */
export interface BenchResult {
  id: string;
  /** When this benchmark ran (ISO time): a partial run (--merge) replaces only its own results. */
  ranAt?: string;
  title: string;
  /** The baseline it is measured against (or "none"). */
  baseline: string;
  target: string;
  met: boolean;
  /** Rows of [what, value] shown in the benchmark's table. */
  figures: [string, string][];
  /** How it was measured, fakes named, and what was changed to meet the target. */
  notes: string[];
}

export interface RunFacts {
  date: string;
  machine: string;
  versions: [string, string][];
  totalSeconds: number;
}

export function renderReport(facts: RunFacts, results: BenchResult[], history: string): string {
  const lines: string[] = [];
  lines.push('# Benchmarks', '');
  lines.push(
    'Written by `npm run bench` (bench/run.ts); every ratio is against a baseline measured in the same run, on the same machine.',
    '',
  );
  lines.push(`- Date: ${facts.date}`);
  lines.push(`- Machine: ${facts.machine}`);
  lines.push(`- Versions: ${facts.versions.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  lines.push(`- Whole run: ${facts.totalSeconds.toFixed(0)} s`, '');
  lines.push('| benchmark | target | met |', '|---|---|---|');
  for (const r of results) lines.push(`| [${r.title}](#${r.id}) | ${r.target} | ${r.met ? 'yes' : '**no**'} |`);
  lines.push('');
  for (const r of results) {
    lines.push(`## ${r.title}`, '', `<a id="${r.id}"></a>`, '');
    lines.push(
      `Baseline: ${r.baseline}. Target: ${r.target}. Met: ${r.met ? 'yes' : '**no**'}.${r.ranAt ? ` Ran ${r.ranAt}.` : ''}`,
      '',
    );
    lines.push('| figure | value |', '|---|---|');
    for (const [k, v] of r.figures) lines.push(`| ${k} | ${v} |`);
    lines.push('');
    for (const n of r.notes) lines.push(`- ${n}`);
    lines.push('');
  }
  if (history.trim()) lines.push(history.trim(), '');
  return lines.join('\n');
}
