import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './support/context';
import { BenchResult, renderReport } from './support/report';
import { connectAddBench } from './connect-add';
import { connectThroughputBench } from './connect-throughput';
import { statusSyncBench } from './status-sync';
import { streamBackBench } from './stream-back';
import { taskListBench } from './task-list';

const REPORT = path.join(REPO_ROOT, 'docs/benchmarks.md');
const HISTORY = path.join(REPO_ROOT, 'bench/optimisations.md');

type Bench = { name: string; run: () => Promise<BenchResult[]> };

const BENCHES: Bench[] = [
  { name: 'connect-add', run: async () => [await connectAddBench()] },
  { name: 'connect-throughput', run: async () => [await connectThroughputBench()] },
  { name: 'status-sync', run: async () => [await statusSyncBench()] },
  { name: 'stream-back', run: async () => [await streamBackBench()] },
  {
    name: 'task-list',
    run: async () => {
      const r = await taskListBench();
      return [r.list, r.memory];
    },
  },
];

const RESULTS = path.join(REPO_ROOT, 'docs/benchmarks.json');
/** A benchmark that has not finished by then is reported as such, and the run goes on. */
const BENCH_TIMEOUT_MS = 8 * 60_000;

function withTimeout<T>(work: Promise<T>, ms: number, name: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name} did not finish within ${ms / 60_000} minutes`)), ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Node, the Temporal SDK and the stack's services, as this run used them. */
function versions(): [string, string][] {
  const stack = fs.readFileSync(path.join(REPO_ROOT, 'scripts/stack/lib.sh'), 'utf8');
  const pinned = (name: string) =>
    /^(\w+)_VERSION=(.+)$/m.exec(stack.slice(stack.indexOf(`${name}_VERSION=`)))?.[2] ?? '?';
  const sdk = (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/@temporalio/worker/package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  return [
    ['node', process.version],
    ['Temporal TS SDK', sdk],
    ['Temporal CLI (dev server)', pinned('TEMPORAL_CLI')],
    ['FerretDB (SQLite)', pinned('FERRETDB')],
    ['Kafka / Connect', pinned('KAFKA')],
    ['Apicurio Registry', pinned('APICURIO')],
    ['Flink', pinned('FLINK')],
  ];
}

interface SavedRun {
  date: string;
  totalSeconds: number;
  results: BenchResult[];
}

/**
 * `run.js` runs every benchmark and writes docs/benchmarks.md (and .json); `run.js NAME…` runs those
 * and prints their report; `run.js --merge NAME…` runs those and replaces their sections in the
 * written report, each section saying when it ran; `run.js --render` writes the report again.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  // --render: only write the report again from docs/benchmarks.json (after editing optimisations.md).
  const renderOnly = args.includes('--render');
  const merge = args.includes('--merge') || renderOnly;
  const only = renderOnly ? ['(none)'] : args.filter((a) => a !== '--merge');
  const writing = only.length === 0 || merge;
  const started = Date.now();
  const previous: SavedRun | undefined =
    merge && fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as SavedRun) : undefined;
  const results: BenchResult[] = [];
  const cpu = os.cpus();
  const machine = `${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`;
  const stackVersions = versions();
  const history = fs.existsSync(HISTORY) ? fs.readFileSync(HISTORY, 'utf8') : '';
  // Written after every benchmark, so a run cut short keeps what it measured.
  const report = (): string => {
    const run: SavedRun = previous
      ? {
          ...previous,
          results: previous.results
            .map((r) => results.find((n) => n.id === r.id) ?? r)
            .concat(results.filter((n) => !previous.results.some((r) => r.id === n.id))),
        }
      : { date: new Date(started).toISOString(), totalSeconds: (Date.now() - started) / 1000, results };
    if (writing) fs.writeFileSync(RESULTS, `${JSON.stringify(run, null, 2)}\n`);
    return renderReport(
      { date: run.date, machine, versions: stackVersions, totalSeconds: run.totalSeconds },
      run.results,
      history,
    );
  };
  for (const bench of BENCHES.filter((b) => only.length === 0 || only.includes(b.name))) {
    const t = Date.now();
    process.stdout.write(`[bench] ${bench.name}…\n`);
    const found = await withTimeout(bench.run(), BENCH_TIMEOUT_MS, bench.name).catch(
      (error: unknown): BenchResult[] => [
        {
          id: bench.name,
          title: bench.name,
          baseline: '–',
          target: '–',
          met: false,
          figures: [['error', String(error instanceof Error ? error.message : error).slice(0, 300)]],
          notes: ['The benchmark did not complete; see the error.'],
        },
      ],
    );
    for (const r of found)
      process.stdout.write(
        `[bench] ${r.title}: ${r.met ? 'met' : 'NOT MET'}\n${r.figures.map(([k, v]) => `    ${k}: ${v}`).join('\n')}\n`,
      );
    process.stdout.write(`[bench] ${bench.name} took ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
    results.push(...found.map((r) => ({ ...r, ranAt: new Date().toISOString() })));
    if (writing) fs.writeFileSync(REPORT, report());
  }
  if (renderOnly) fs.writeFileSync(REPORT, report());
  else if (!writing) process.stdout.write(report());
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
