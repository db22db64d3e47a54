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
  { name: 'task-list', run: async () => { const r = await taskListBench(); return [r.list, r.memory]; } },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const started = Date.now();
  const results: BenchResult[] = [];
  for (const bench of BENCHES.filter((b) => only.length === 0 || only.includes(b.name))) {
    const t = Date.now();
    process.stdout.write(`[bench] ${bench.name}…\n`);
    const found = await bench.run().catch((error: unknown): BenchResult[] => [{
      id: bench.name, title: bench.name, baseline: '–', target: '–', met: false, figures: [['error', String(error instanceof Error ? error.message : error).slice(0, 300)]],
      notes: ['The benchmark did not complete; see the error.'],
    }]);
    for (const r of found) process.stdout.write(`[bench] ${r.title}: ${r.met ? 'met' : 'NOT MET'}\n${r.figures.map(([k, v]) => `    ${k}: ${v}`).join('\n')}\n`);
    process.stdout.write(`[bench] ${bench.name} took ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
    results.push(...found);
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const report = renderReport({
    date: new Date().toISOString(),
    machine: `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`,
    versions: [['node', process.version]],
    totalSeconds: (Date.now() - started) / 1000,
  }, results, fs.existsSync(HISTORY) ? fs.readFileSync(HISTORY, 'utf8') : '');
  if (only.length === 0) fs.writeFileSync(REPORT, report);
  else process.stdout.write(report);
}

main().then(() => process.exit(0), (error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
