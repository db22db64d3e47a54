import { workflowIds } from '../src/protocol/workflow-ids';
import { connectTemporal } from '../src/temporal/client';
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
/** GET /livez beside the lists: the floor any route of the process sees under the same load. */
const FLOOR_RATE = RATE / 10;
const SETTLE_LIMIT_MS = 5 * 60_000;
const LIST_P99_LIMIT_MS = 20;
const RSS_LIMIT_MB = 250;
const LIST = '/api/df/ps?_start=0&_end=50&_sort=name&_order=ASC&status=RUNNING';

/** One sample of the service's memory: RSS from /proc, the rest from its own /metrics (process.memoryUsage). */
interface MemorySample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** The longest event-loop delay since the sample before (prom-client resets its histogram on each read). */
  loopMaxMs: number;
  /** The load running when it was taken. */
  phase: Phase;
}

type Phase = 'start' | 'settle' | 'list';

const MB = 1024 * 1024;

function metric(text: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.e+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

async function memorySample(service: BenchService, phase: Phase): Promise<MemorySample> {
  const rss = service.rssMb();
  const m = (await request(`${service.baseUrl}/metrics`)).body;
  return {
    rss,
    heapUsed: metric(m, 'df_process_nodejs_heap_size_used_bytes') / MB,
    heapTotal: metric(m, 'df_process_nodejs_heap_size_total_bytes') / MB,
    external: metric(m, 'df_process_nodejs_external_memory_bytes') / MB,
    loopMaxMs: metric(m, 'df_process_nodejs_eventloop_lag_max_seconds') * 1000,
    phase,
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
  /** Lists in the first seconds after the first, while the sync's first rounds read every task. */
  settling?: LoadResult;
  /** How long after those the first round ended. */
  settleMs: number;
  floor: LoadResult;
  list: LoadResult;
  memory: MemorySample[];
  gc: string;
}

/**
 * The built service over `tasks` tasks, as users run it (node dist/src/main.js: API and worker in
 * one process), its status sync every 10 s (the default) against a FAKE Kafka Connect / Flink in a
 * process of its own holding the same connectors and jobs. With `withSettling`, lists at RATE/s
 * while the first rounds run; then the lists measured, GET /livez beside them at FLOOR_RATE/s.
 */
async function serviceRun(tasks: number, withSettling: boolean): Promise<ServiceRun> {
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
  let phase: Phase = 'start';
  try {
    const taskQueue = uniqueName('bench-list');
    const seeding = process.hrtime.bigint();
    await seedTasks(store.db, benchTasks(tasks - transforms, transforms));
    const seedMs = msSince(seeding);
    service = await startBenchService({
      ...env,
      MONGO_DB: store.name,
      DF_TASK_QUEUE: taskQueue,
      KAFKA_CONNECT_URL: fake.connectUrl,
      FLINK_URL: fake.flinkUrl,
      DF_SYNC_INTERVAL: '10s',
      DF_STARTUP_SYNC: 'false',
    });
    const running = service;
    sampler = setInterval(() => {
      memorySample(running, phase).then(
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
    const lists = () =>
      openLoop(RATE, SECONDS, () =>
        request(`${running.baseUrl}${LIST}`).then(
          (a) => a.status === 200 || `list ${a.status}: ${a.body.slice(0, 200)}`,
        ),
      );
    phase = 'settle';
    const settling = withSettling ? await lists() : undefined;
    // Measured once the first round, which reads every task from the store, has ended.
    const settleMs = withSettling ? await firstSyncRoundDone(env, taskQueue) : 0;
    phase = 'list';
    const [list, floor] = await Promise.all([
      lists(),
      openLoop(FLOOR_RATE, SECONDS, () =>
        request(`${running.baseUrl}/livez`).then((a) => a.status === 200 || `livez ${a.status}`),
      ),
    ]);
    return { tasks, seedMs, firstListMs, settling, settleMs, floor, list, memory, gc: await gcPauses(running) };
  } finally {
    clearInterval(sampler);
    await service?.stop();
    await fake.close();
    await store.close();
  }
}

/** The longest event-loop delay in the samples of a phase, and how many 250 ms windows held it over the list's limit. */
function loopDelay(run: ServiceRun, phase: Phase): string {
  const delays = run.memory.filter((s) => s.phase === phase && !Number.isNaN(s.loopMaxMs)).map((s) => s.loopMaxMs);
  if (delays.length === 0) return '–';
  const over = delays.filter((d) => d > LIST_P99_LIMIT_MS).length;
  return `${fmtMs(Math.max(...delays))} (${over} of ${delays.length} windows over ${LIST_P99_LIMIT_MS} ms)`;
}

/** Waits for the first sync round that reads every task to end: the schedule has started a second round. */
async function firstSyncRoundDone(env: Record<string, string>, taskQueue: string): Promise<number> {
  const temporal = await connectTemporal({ address: env.TEMPORAL_ADDRESS }, env.TEMPORAL_NAMESPACE);
  const started = process.hrtime.bigint();
  try {
    const schedule = temporal.client.schedule.getHandle(workflowIds.statusSyncSchedule(taskQueue));
    for (;;) {
      const described = await schedule.describe().catch(() => undefined);
      if ((described?.info.recentActions.length ?? 0) >= 2) return msSince(started);
      if (msSince(started) > SETTLE_LIMIT_MS) throw new Error('the first status-sync round did not end in 5 min');
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    await temporal.close();
  }
}

const mb = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? '–' : `${n.toFixed(0)} MB`);

/**
 * Two runs of the built service. The list figure: GET /api/df/ps (a page of 50, sorted by name,
 * filtered by status) over 100,000 tasks at 200 requests/s, with GET /livez on the same server as
 * the baseline. The memory figure: the same service over 10,000 tasks, its RSS sampled while 200
 * lists/s and the status sync run, with the main thread's V8 heap and external memory beside it.
 */
export async function taskListBench(): Promise<{ list: BenchResult; memory: BenchResult }> {
  const small = await serviceRun(MEMORY_TASKS, false);
  const large = await serviceRun(LIST_TASKS, true);

  const l = summarise(large.list.latenciesMs);
  const f = summarise(large.floor.latenciesMs);
  const settled = summarise(large.settling?.latenciesMs ?? []);
  const failures = large.list.failures + large.floor.failures;
  const peak = small.memory.reduce<MemorySample | undefined>((p, s) => (!p || s.rss > p.rss ? s : p), undefined);
  const heapPeak = Math.max(...small.memory.map((s) => s.heapTotal));
  const largePeak = Math.max(...large.memory.map((s) => s.rss));
  const ms = summarise(small.list.latenciesMs);
  return {
    list: {
      id: 'task-list',
      title: 'Task list latency',
      baseline: `GET /livez on the same server at ${FLOOR_RATE}/s beside the lists: a route that answers a constant, the floor of every route`,
      target: `p99 ≤ ${LIST_P99_LIMIT_MS} ms at ${RATE} requests/s, ${fmtCount(LIST_TASKS)} tasks`,
      met: l.p99 <= LIST_P99_LIMIT_MS && failures === 0,
      checks: [
        {
          target: `list p99 ≤ ${LIST_P99_LIMIT_MS} ms at ${RATE} requests/s over ${fmtCount(LIST_TASKS)} tasks, none failed`,
          measured: `${fmtMs(l.p99)} (the floor, GET /livez in the same process: ${fmtMs(f.p99)}), ${failures} failed`,
          met: l.p99 <= LIST_P99_LIMIT_MS && failures === 0,
        },
      ],
      figures: [
        ['tasks in the store', fmtCount(LIST_TASKS)],
        ['rate, duration', `${RATE}/s for ${SECONDS} s`],
        ['list median / p99', `${fmtMs(l.median)} / ${fmtMs(l.p99)}`],
        ['p99 / limit', fmtRatio(l.p99 / LIST_P99_LIMIT_MS)],
        ['floor (GET /livez beside the lists) median / p99', `${fmtMs(f.median)} / ${fmtMs(f.p99)}`],
        ['list / floor (median, p99)', `${fmtRatio(l.median / f.median)}, ${fmtRatio(l.p99 / f.p99)}`],
        ['longest event-loop delay in the measured lists', loopDelay(large, 'list')],
        [
          `lists in the ${SECONDS} s after the first (the first sync round reading every task): median / p99, longest event-loop delay`,
          `${fmtMs(settled.median)} / ${fmtMs(settled.p99)}, ${loopDelay(large, 'settle')}; the first round ended ${(large.settleMs / 1000).toFixed(1)} s after them`,
        ],
        ['failed requests', `${failures}${large.list.firstFailure ? ` (${large.list.firstFailure})` : ''}`],
        ['seeding the tasks (5,000 per insert)', `${(large.seedMs / 1000).toFixed(1)} s`],
        ['first list (the view reads every task)', `${(large.firstListMs / 1000).toFixed(1)} s`],
        ['main-thread GC during the run', large.gc],
        ['RSS peak at this scale', mb(largePeak)],
        [
          'list p99 at 10,000 tasks (the memory run) / the floor beside it',
          `${fmtMs(ms.p99)} / ${fmtMs(summarise(small.floor.latenciesMs).p99)}`,
        ],
      ],
      notes: [
        `Query: \`${LIST}\` (page of 50 of the RUNNING tasks, sorted by name, with X-Total-Count).`,
        'The service runs as users run it (node dist/src/main.js: API and worker in one process), its status sync every 10 s (the default) against a FAKE Kafka Connect / Flink (bench/support/fake-ras.ts, in a process of its own so that answering the statuses never stalls the load generator) that holds the same connectors (90%) and jobs (10%).',
        `The measured lists start once the sync's first round, which reads every task from the store, has ended (the schedule has started a second), and run with GET /livez beside them at ${FLOOR_RATE}/s: every route of the process waits for what holds its event loop (the sync's rounds, the collector) and for the two cores the store and the engines share, so the list's p99 is judged beside that floor. The event-loop delays are prom-client's (the process's /metrics, read every 250 ms).`,
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
