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
  /**
   * The targets one by one, where a benchmark has several: each with what was measured against it.
   * `met` is then all of them met.
   */
  checks?: BenchCheck[];
  /** Rows of [what, value] shown in the benchmark's table. */
  figures: [string, string][];
  /** How it was measured, fakes named, and what was changed to meet the target. */
  notes: string[];
}

/** One target of a benchmark, as the summary table shows it. */
export interface BenchCheck {
  target: string;
  /** The figure the target was judged on, with the limit it is a ratio to. */
  measured: string;
  met: boolean;
}

/** A result whose `met` is that of all its checks. */
export function withChecks(result: Omit<BenchResult, 'met' | 'checks'>, checks: BenchCheck[]): BenchResult {
  return { ...result, checks, met: checks.every((c) => c.met) };
}

const yesNo = (met: boolean): string => (met ? 'yes' : '**no**');

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
  lines.push('| benchmark | target | measured | met |', '|---|---|---|---|');
  for (const r of results)
    for (const c of r.checks ?? [{ target: r.target, measured: '–', met: r.met }])
      lines.push(`| [${r.title}](#${r.id}) | ${c.target} | ${c.measured} | ${yesNo(c.met)} |`);
  lines.push('');
  for (const r of results) {
    lines.push(`## ${r.title}`, '', `<a id="${r.id}"></a>`, '');
    lines.push(
      `Baseline: ${r.baseline}. Target: ${r.target}. Met: ${yesNo(r.met)}.${r.ranAt ? ` Ran ${r.ranAt}.` : ''}`,
      '',
    );
    if (r.checks && r.checks.length > 1) {
      lines.push('| target | measured | met |', '|---|---|---|');
      for (const c of r.checks) lines.push(`| ${c.target} | ${c.measured} | ${yesNo(c.met)} |`);
      lines.push('');
    }
    lines.push('| figure | value |', '|---|---|');
    for (const [k, v] of r.figures) lines.push(`| ${k} | ${v} |`);
    lines.push('');
    for (const n of r.notes) lines.push(`- ${n}`);
    lines.push('');
  }
  if (history.trim()) lines.push(history.trim(), '');
  return lines.join('\n');
}
