import { uniqueName } from '../test/support/stack';
import { benchDb, benchEnv } from './support/context';
import { startFakeRasProcess } from './support/fake-ras-process';
import { request, openLoop, type LoadResult } from './support/load';
import type { BenchResult } from './support/report';
import { benchTasks, seedTasks } from './support/seed';
import { startBenchService, type BenchService } from './support/service';
import { fmtCount, fmtMs, fmtRatio, msSince, summarise } from './support/stats';

/** The list figure's scale (the issue's 100,000 tasks); BENCH_LIST_TASKS scales it down while exploring. */
const LIST_TASKS = Number(process.env.BENCH_LIST_TASKS ?? 100_000);
/** The memory figure's scale. */
const MEMORY_TASKS = 10_000;
const RATE = 200;
const SECONDS = 20;
const LIST_P99_LIMIT_MS = 20;
const RSS_LIMIT_MB = 250;
const LIST = '/api/df/ps?_start=0&_end=50&_sort=name&_order=ASC&status=RUNNING';

/** One sample of the service's memory: RSS from /proc, the rest from its own /metrics (process.memoryUsage). */
interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

const MB = 1024 * 1024;

function metric(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

async function memorySample(service: BenchService): Promise<MemorySample> {
  const rss = service.rssMb();
  const m = (await request(`${service.baseUrl}/metrics`)).body;
  return {
    rss,
    heapUsed: metric(m, 'df_process_nodejs_heap_size_used_bytes') / MB,
    heapTotal: metric(m, 'df_process_nodejs_heap_size_total_bytes') / MB,
    external: metric(m, 'df_process_nodejs_external_memory_bytes') / MB,
  };
}

/** Garbage collections of the main thread so far, by kind: count and total pause (ms). */
async function gcPauses(service: BenchService): Promise<string> {
  const m = (await request(`${service.baseUrl}/metrics`)).body;
  return ['minor', 'major', 'incremental']
    .map((kind) => {
      const n = metric(m, `df_process_nodejs_gc_duration_seconds_count\\{kind="${kind}"\\}`);
      const s = metric(m, `df_process_nodejs_gc_duration_seconds_sum\\{kind="${kind}"\\}`);
      return `${kind} ${Number.isNaN(n) ? 0 : n} (${Number.isNaN(s) ? 0 : (s * 1000).toFixed(0)} ms)`;
    })
    .join(', ');
}

interface ServiceRun {
  tasks: number;
  seedMs: number;
  firstListMs: number;
  health?: LoadResult;
  list: LoadResult;
  memory: MemorySample[];
  gc: string;
}

/**
 * The built service over `tasks` tasks, as users run it (node dist/src/main.js: API and worker in
 * one process), its status sync every 10 s (the default) against a FAKE Kafka Connect / Flink in a
 * process of its own holding the same connectors and jobs; GET /health then the list at RATE/s.
 */
async function serviceRun(tasks: number, withHealth: boolean): Promise<ServiceRun> {
  const env = benchEnv();
  const store = await benchDb('bench_list');
  const transforms = tasks / 10;
  const fake = await startFakeRasProcess({
    latencyMs: 1,
    connectors: tasks - transforms,
    jobs: transforms,
    benchStates: true,
  });
  let service: BenchService | undefined;
  const memory: MemorySample[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    const seeding = process.hrtime.bigint();
    await seedTasks(store.db, benchTasks(tasks - transforms, transforms));
    const seedMs = msSince(seeding);
    service = await startBenchService({
      ...env,
      MONGO_DB: store.name,
      DF_TASK_QUEUE: uniqueName('bench-list'),
      KAFKA_CONNECT_URL: fake.connectUrl,
      FLINK_URL: fake.flinkUrl,
      DF_SYNC_INTERVAL: '10s',
      DF_STARTUP_SYNC: 'false',
    });
    const running = service;
    sampler = setInterval(() => {
      memorySample(running).then(
        (s) => memory.push(s),
        () => undefined,
      );
    }, 250);
    // The first list waits for the view's read of every task.
    const asked = process.hrtime.bigint();
    const first = await request(`${service.baseUrl}${LIST}`);
    if (first.status !== 200) throw new Error(`list answered ${first.status}: ${first.body}`);
    const firstListMs = msSince(asked);
    // Warm-up: connections, JIT, the store's caches.
    await openLoop(RATE, 3, () => request(`${running.baseUrl}${LIST}`).then((a) => a.status === 200));
    const health = withHealth
      ? await openLoop(RATE, SECONDS, () =>
          request(`${running.baseUrl}/health`).then(
            (a) => a.status === 200 || a.status === 503 || `health ${a.status}`,
          ),
        )
      : undefined;
    const list = await openLoop(RATE, SECONDS, () =>
      request(`${running.baseUrl}${LIST}`).then((a) => a.status === 200 || `list ${a.status}: ${a.body.slice(0, 200)}`),
    );
    return { tasks, seedMs, firstListMs, health, list, memory, gc: await gcPauses(running) };
  } finally {
    clearInterval(sampler);
    await service?.stop();
    await fake.close();
    await store.close();
  }
}

const mb = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '–' : `${n.toFixed(0)} MB`);

/**
 * Two runs of the built service. The list figure: GET /api/df/ps (a page of 50, sorted by name,
 * filtered by status) over 100,000 tasks at 200 requests/s, with GET /health on the same server as
 * the baseline. The memory figure: the same service over 10,000 tasks, its RSS sampled while 200
 * lists/s and the status sync run, with the main thread's V8 heap and external memory beside it.
 */
export async function taskListBench(): Promise<{ list: BenchResult; memory: BenchResult }> {
  const small = await serviceRun(MEMORY_TASKS, false);
  const large = await serviceRun(LIST_TASKS, true);

  const l = summarise(large.list.latenciesMs);
  const h = summarise(large.health?.latenciesMs ?? []);
  const failures = large.list.failures + (large.health?.failures ?? 0);
  const peak = small.memory.reduce<MemorySample | undefined>((p, s) => (!p || s.rss > p.rss ? s : p), undefined);
  const heapPeak = Math.max(...small.memory.map((s) => s.heapTotal));
  const largePeak = Math.max(...large.memory.map((s) => s.rss));
  const ms = summarise(small.list.latenciesMs);
  return {
    list: {
      id: 'task-list',
      title: 'Task list latency',
      baseline: 'GET /health on the same server, same rate',
      target: `p99 ≤ ${LIST_P99_LIMIT_MS} ms at ${RATE} requests/s, ${fmtCount(LIST_TASKS)} tasks`,
      met: l.p99 <= LIST_P99_LIMIT_MS && failures === 0,
      checks: [
        {
          target: `list p99 ≤ ${LIST_P99_LIMIT_MS} ms at ${RATE} requests/s over ${fmtCount(LIST_TASKS)} tasks, none failed`,
          measured: `${fmtMs(l.p99)} (GET /health in the same process: ${fmtMs(h.p99)}), ${failures} failed`,
          met: l.p99 <= LIST_P99_LIMIT_MS && failures === 0,
        },
      ],
      figures: [
        ['tasks in the store', fmtCount(LIST_TASKS)],
        ['rate, duration', `${RATE}/s for ${SECONDS} s each`],
        ['list median / p99', `${fmtMs(l.median)} / ${fmtMs(l.p99)}`],
        ['p99 / limit', fmtRatio(l.p99 / LIST_P99_LIMIT_MS)],
        ['health median / p99', `${fmtMs(h.median)} / ${fmtMs(h.p99)}`],
        ['list / health (median, p99)', `${fmtRatio(l.median / h.median)}, ${fmtRatio(l.p99 / h.p99)}`],
        ['failed requests', `${failures}${large.list.firstFailure ? ` (${large.list.firstFailure})` : ''}`],
        ['seeding the tasks (5,000 per insert)', `${(large.seedMs / 1000).toFixed(1)} s`],
        ['first list (the view reads every task)', `${(large.firstListMs / 1000).toFixed(1)} s`],
        ['main-thread GC during the run', large.gc],
        ['RSS peak at this scale', mb(largePeak)],
        ['list p99 at 10,000 tasks (the memory run)', fmtMs(ms.p99)],
      ],
      notes: [
        `Query: \`${LIST}\` (page of 50 of the RUNNING tasks, sorted by name, with X-Total-Count).`,
        'The service runs as users run it (node dist/src/main.js: API and worker in one process), its status sync every 10 s (the default) against a FAKE Kafka Connect / Flink (bench/support/fake-ras.ts, in a process of its own so that answering the statuses never stalls the load generator) that holds the same connectors (90%) and jobs (10%).',
      ],
    },
    memory: {
      id: 'memory',
      title: 'Worker + API memory with 10,000 tasks',
      baseline: 'none',
      target: `RSS ≤ ${RSS_LIMIT_MB} MB`,
      met: (peak?.rss ?? Infinity) <= RSS_LIMIT_MB,
      checks: [
        {
          target: `worker + API RSS ≤ ${RSS_LIMIT_MB} MB at ${fmtCount(MEMORY_TASKS)} tasks`,
          measured: `peak ${mb(peak?.rss)}`,
          met: (peak?.rss ?? Infinity) <= RSS_LIMIT_MB,
        },
      ],
      figures: [
        ['RSS after start', mb(small.memory[0]?.rss)],
        ['RSS peak', mb(peak?.rss)],
        ['RSS peak / limit', fmtRatio((peak?.rss ?? NaN) / RSS_LIMIT_MB)],
        [
          'at the peak: V8 heap used / committed, external',
          `${mb(peak?.heapUsed)} / ${mb(peak?.heapTotal)}, ${mb(peak?.external)}`,
        ],
        ['V8 heap committed, peak', mb(heapPeak)],
        ['RSS at end', mb(small.memory[small.memory.length - 1]?.rss)],
        ['main-thread GC during the run', small.gc],
        ['samples', String(small.memory.length)],
      ],
      notes: [
        "Sampled every 250 ms (RSS from /proc, the main thread's heap and external memory from the service's /metrics) while 200 lists/s ran for 20 s: one process with the API and the worker, 10,000 tasks in the store, a status-sync round every 10 s over all of them. RSS beyond the heap and external memory is the code, the Temporal core (Rust) and its workflow thread's V8 isolate.",
      ],
    },
  };
}
