import type { Db } from 'mongodb';
import { createStatusSyncActivities } from '../activities/status-sync';
import type { FlinkJobSummary } from '../src/domain/flink-status';
import type { ConnectStatusReport } from '../src/domain/status';
import { EngineView, planStatusSync } from '../src/domain/status-sync';
import { FlinkClient } from '../src/ras/flink';
import { KafkaConnectClient } from '../src/ras/kafka-connect';
import { StatusHistoryRepository } from '../src/repository/status-history-repository';
import { TASK_COLLECTION, TaskRepository } from '../src/repository/task-repository';
import { benchDb } from './support/context';
import { cpuMeter, pidsMatching } from './support/cpu';
import { fakeConnectorName, fakeJobId } from './support/fake-ras';
import { FakeRasProcess, startFakeRasProcess } from './support/fake-ras-process';
import { BenchResult, withChecks } from './support/report';
import { benchTasks, seedTasks } from './support/seed';
import { fmtCount, fmtMs, fmtRatio, msSince, summarise, timed } from './support/stats';

/** The scale the round is compared with its per-task baseline at, and where the full read is timed. */
const SMALL = { connectors: 10_000, jobs: 1_000 };
/** The large scale: a round only (its per-task baseline would take minutes a round). */
const LARGE_TASKS = Number(process.env.BENCH_SYNC_LARGE_TASKS ?? 100_000);
const LARGE = { connectors: Math.round(LARGE_TASKS * 0.9), jobs: LARGE_TASKS - Math.round(LARGE_TASKS * 0.9) };
/** Rounds measured each way (each pauses 1% of connectors not paused before, so at most 50 in all). */
const ROUNDS = Math.min(25, Number(process.env.BENCH_SYNC_ROUNDS ?? 5));
/** Full reads of the small scale's tasks timed, each way (the compact snapshot a round reads, and df_processor itself). */
const FULL_READS = 3;
/** The original's per-task calls went out concurrently (Vert.x), bounded here as a pooled HTTP client would. */
const BASELINE_CONCURRENCY = 16;
/** Loopback latency the fake adds per call, in ms. */
const LATENCY_MS = 1;
/** Tasks per insert when seeding the large scale (the store takes a batch in one command). */
const SEED_BATCH = 10_000;

/** The limits. */
const ROUND_OVER_ENGINES_MAX = 1.5;
const FULL_READ_MAX_MS = 500;
const LARGE_ROUND_MAX_MS = 1000;

type Scale = { connectors: number; jobs: number };

/** 1% of the engines' state changes before each round: 1% of connectors not touched before are paused, 1% of jobs canceled. */
async function changeOnePercent(fake: FakeRasProcess, scale: Scale, round: number): Promise<number> {
  const c = scale.connectors / 100;
  const j = scale.jobs / 100;
  await fake.setStates({
    connectors: Array.from({ length: c }, (_, i) => [fakeConnectorName(round * c + i), 'PAUSED']),
    jobs: Array.from({ length: j }, (_, i) => [fakeJobId(round * j + i), 'CANCELED']),
  });
  return c + j;
}

async function mapPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]);
      }
    }),
  );
  return out;
}

/** When each timed call of a round started and ended (ms on the bench's clock), by method name. */
type Spans = Map<string, [number, number][]>;

/** Replaces the named async methods of this one object with ones that note their spans in `spans()`. */
function noteSpans<T extends object>(target: T, names: (keyof T & string)[], spans: () => Spans): T {
  for (const name of names) {
    const original = (target[name] as unknown as (...args: unknown[]) => Promise<unknown>).bind(target);
    Object.defineProperty(target, name, {
      configurable: true,
      value: async (...args: unknown[]) => {
        const start = msSince(0n);
        try {
          return await original(...args);
        } finally {
          const list = spans().get(name) ?? [];
          list.push([start, msSince(0n)]);
          spans().set(name, list);
        }
      },
    });
  }
  return target;
}

/** Total time in the named calls, and the wall time they covered together (parallel calls overlap). */
function spanOf(spans: Spans, names: string[]): { total: number; wall: number } {
  const all = names.flatMap((n) => spans.get(n) ?? []);
  if (all.length === 0) return { total: 0, wall: 0 };
  return {
    total: all.reduce((t, [s, e]) => t + e - s, 0),
    wall: Math.max(...all.map(([, e]) => e)) - Math.min(...all.map(([s]) => s)),
  };
}

/** How long at least one of the named calls was running (overlapping calls counted once). */
function unionOf(spans: Spans, names: string[]): number {
  const all = names.flatMap((n) => spans.get(n) ?? []).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of all) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}

interface Rounds {
  /** The first round, unmeasured as a round: it reads every task from df_processor and builds the compact snapshot. */
  firstRoundMs: number;
  roundMs: number[];
  enginesAloneMs: number[];
  calls: number[];
  writes: number[];
  /** Per round: the engine calls' wall time inside it, the writes, the history, the change-count reads, the snapshot read, DF's CPU. */
  phases: Record<'engines' | 'writes' | 'history' | 'count' | 'snapshot' | 'rest' | 'cpu', number>[];
}

/**
 * The DF rounds of one scale: its tasks seeded and RUNNING, a first round (unmeasured: it reads
 * every task), then ROUNDS rounds after 1% changed each, with the two engine calls alone timed
 * just before each round.
 */
async function dfRounds(db: Db, fake: FakeRasProcess, scale: Scale, firstRound: number): Promise<Rounds> {
  let spans: Spans = new Map();
  const current = () => spans;
  const tasks = noteSpans(new TaskRepository(db), ['changeCount', 'readSyncSnapshot', 'applyStatusChanges'], current);
  const statusHistory = noteSpans(new StatusHistoryRepository(db), ['append'], current);
  await statusHistory.ensureIndexes();
  const kafkaConnect = noteSpans(new KafkaConnectClient(fake.connectUrl), ['listConnectorStatuses'], current);
  const flink = noteSpans(new FlinkClient(fake.flinkUrl), ['jobsOverview'], current);
  const syncSettings = { intervalMs: 10_000, graceMs: 30_000, onStartup: false };
  const activities = createStatusSyncActivities({ tasks, statusHistory, kafkaConnect, flink, syncSettings });
  // Untimed clients for the engine calls alone.
  const connectAlone = new KafkaConnectClient(fake.connectUrl);
  const flinkAlone = new FlinkClient(fake.flinkUrl);

  const firstRoundMs = (await timed(() => activities.syncStatusRound())).ms;
  const out: Rounds = { firstRoundMs, roundMs: [], enginesAloneMs: [], calls: [], writes: [], phases: [] };
  for (let i = 0; i < ROUNDS; i++) {
    const expected = await changeOnePercent(fake, scale, firstRound + i);
    out.enginesAloneMs.push(
      (await timed(() => Promise.all([connectAlone.listConnectorStatuses(), flinkAlone.jobsOverview()]))).ms,
    );
    await fake.resetCalls();
    spans = new Map();
    const cpu = process.cpuUsage();
    const { ms, value } = await timed(() => activities.syncStatusRound());
    const used = process.cpuUsage(cpu);
    out.roundMs.push(ms);
    out.calls.push(await fake.totalCalls());
    out.writes.push(value.changed);
    out.phases.push({
      engines: spanOf(spans, ['listConnectorStatuses', 'jobsOverview']).wall,
      writes: spanOf(spans, ['applyStatusChanges']).total,
      history: spanOf(spans, ['append']).total,
      count: spanOf(spans, ['changeCount']).total,
      snapshot: spanOf(spans, ['readSyncSnapshot']).total,
      rest: ms - unionOf(spans, [...spans.keys()]),
      cpu: (used.user + used.system) / 1000,
    });
    if (value.changed !== expected) throw new Error(`round ${i} changed ${value.changed} tasks, expected ${expected}`);
  }
  return out;
}

function median(values: number[]): number {
  return summarise(values).median;
}

/** "engine calls 55 ms, writes 48 ms, …": where a median round's time went. */
function phasesText(r: Rounds): string {
  const m = (k: keyof Rounds['phases'][number]) => median(r.phases.map((p) => p[k]));
  return [
    `the engine calls (parallel, DF's parsing included) ${fmtMs(m('engines'))}`,
    `the conditional status writes ${fmtMs(m('writes'))}`,
    `the history ${fmtMs(m('history'))} beside the second of two change-count reads (both ${fmtMs(m('count'))})`,
    ...(m('snapshot') > 0 ? [`a full read ${fmtMs(m('snapshot'))}`] : []),
    `planning and the rest (outside every call above) ${fmtMs(m('rest'))}`,
    `(DF's own CPU in the round ${fmtMs(m('cpu'))})`,
  ].join(', ');
}

/** Seeds a scale's tasks, all RUNNING like their fake engines; returns how long it took. */
async function seed(db: Db, scale: Scale, perInsert: number): Promise<number> {
  const tasks = benchTasks(scale.connectors, scale.jobs).map((t) => ({ ...t, status: 'RUNNING' as const }));
  return (await timed(() => seedTasks(db, tasks, perInsert))).ms;
}

interface SmallScale {
  rounds: Rounds;
  baselineMs: number[];
  baselineCalls: number[];
  /** The read a round makes: the compact snapshot. */
  fullReadMs: number[];
  /** The true read of df_processor the snapshot is checked against now and then, and built from. */
  trueReadMs: number[];
  /** The first read of a store without a snapshot: a true read and the snapshot built from it. */
  buildMs: number;
  fullRead: { dfCpuMs: number; storeCpuMs: number; idsOnlyMs: number };
}

/** The small scale: the full read timed alone, DF's rounds, and the original design's per-task rounds. */
async function smallScale(): Promise<SmallScale> {
  const store = await benchDb('bench_sync');
  const fake = await startFakeRasProcess({ latencyMs: LATENCY_MS, ...SMALL });
  try {
    await seed(store.db, SMALL, 1000);
    const tasks = new TaskRepository(store.db);
    // Seeded behind the repository's back: the first read finds no snapshot and builds it.
    const build = await timed(() => tasks.readSyncSnapshot());
    if (build.value.source !== 'true') throw new Error('the first read of a store without a snapshot did not build it');
    const fullReadMs: number[] = [];
    for (let i = 0; i < FULL_READS; i++) {
      const { ms, value } = await timed(() => tasks.readSyncSnapshot());
      if (value.source !== 'compact' || value.tasks.length !== SMALL.connectors + SMALL.jobs)
        throw new Error(`the compact read gave ${value.tasks.length} tasks from ${value.source}`);
      fullReadMs.push(ms);
    }
    // The true read, and where its time goes: DF's CPU (driver decoding, mapping) against the store's.
    const trueReadMs: number[] = [];
    const meter = cpuMeter({ df: [process.pid], store: pidsMatching('ferretdb') });
    for (let i = 0; i < FULL_READS; i++) trueReadMs.push((await timed(() => tasks.syncSnapshot())).ms);
    const cpu = meter.read();
    // The store's floor for any read of every document: their ids alone.
    const idsOnlyMs = (
      await timed(() =>
        store.db
          .collection(TASK_COLLECTION)
          .find({}, { projection: { _id: 1 }, batchSize: 10_000 })
          .toArray(),
      )
    ).ms;

    const rounds = await dfRounds(store.db, fake, SMALL, 0);

    const kafkaConnect = new KafkaConnectClient(fake.connectUrl);
    const flink = new FlinkClient(fake.flinkUrl);
    const statusHistory = new StatusHistoryRepository(store.db);
    const baselineMs: number[] = [];
    const baselineCalls: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await changeOnePercent(fake, SMALL, ROUNDS + i);
      await fake.resetCalls();
      const { ms } = await timed(async () => {
        const snapshot = await tasks.syncSnapshot();
        const connect = new Map<string, ConnectStatusReport>();
        const jobs = new Map<string, FlinkJobSummary>();
        await mapPool(snapshot, BASELINE_CONCURRENCY, async (t) => {
          if (t.category === 'TRANSFORM') {
            const job = t.jobId ? await flink.job(t.jobId) : undefined;
            if (job)
              jobs.set(job.jid, {
                ...job,
                tasks: (job as unknown as { 'status-counts'?: FlinkJobSummary['tasks'] })['status-counts'],
              } as FlinkJobSummary);
          } else {
            const report = await kafkaConnect.status(t.connectUid);
            if (report) connect.set(t.connectUid, report);
          }
        });
        const views: { connect: EngineView<ConnectStatusReport>; flink: EngineView<FlinkJobSummary> } = {
          connect: { reachable: true, items: connect },
          flink: { reachable: true, items: jobs },
        };
        const plan = planStatusSync(snapshot, views, { now: Date.now(), graceMs: 30_000 });
        const applied = await tasks.applyStatusChanges(plan.changes);
        await statusHistory.append(plan.changes.filter((c) => applied.has(c.id)).flatMap((c) => c.history));
      });
      baselineMs.push(ms);
      baselineCalls.push(await fake.totalCalls());
    }
    return {
      rounds,
      baselineMs,
      baselineCalls,
      fullReadMs,
      trueReadMs,
      buildMs: build.ms,
      fullRead: { dfCpuMs: cpu.df / FULL_READS, storeCpuMs: cpu.store / FULL_READS, idsOnlyMs },
    };
  } finally {
    await fake.close();
    await store.close();
  }
}

/** The large scale: seeded in big inserts, then DF's rounds, then one compact read timed. */
async function largeScale(): Promise<{ seedMs: number; rounds: Rounds; compactReadMs: number }> {
  const store = await benchDb('bench_sync_large');
  const fake = await startFakeRasProcess({ latencyMs: LATENCY_MS, ...LARGE });
  try {
    const seedMs = await seed(store.db, LARGE, SEED_BATCH);
    const rounds = await dfRounds(store.db, fake, LARGE, 0);
    const compact = await timed(() => new TaskRepository(store.db).readSyncSnapshot());
    if (compact.value.source !== 'compact') throw new Error('the large scale had no compact snapshot after its rounds');
    return { seedMs, rounds, compactReadMs: compact.ms };
  } finally {
    await fake.close();
    await store.close();
  }
}

/**
 * Status-sync rounds over 10,000 connectors and 1,000 Flink jobs, and over 100,000 tasks, held by a
 * FAKE Kafka Connect / Flink (bench/support/fake-ras.ts, in a process of their own; the real services
 * here cannot hold that many), with the tasks in the real store. Limits measured in the same run:
 * the two engine calls alone; and the original design's round, one status call per task, same fake,
 * same store, same planning and writes.
 */
export async function statusSyncBench(): Promise<BenchResult> {
  const small = await smallScale();
  const large = await largeScale();

  const df = summarise(small.rounds.roundMs);
  const engines = median(small.rounds.enginesAloneMs);
  const base = summarise(small.baselineMs);
  const fullRead = median(small.fullReadMs);
  const trueRead = median(small.trueReadMs);
  const big = summarise(large.rounds.roundMs);
  const bigCalls = Math.max(...large.rounds.calls);
  const calls = Math.max(...small.rounds.calls);
  const writes = Math.max(...small.rounds.writes);
  const bigWrites = Math.max(...large.rounds.writes);

  const overEngines = df.median / engines;
  const roundMet = overEngines <= ROUND_OVER_ENGINES_MAX;
  const readMet = fullRead <= FULL_READ_MAX_MS;
  const largeMet = big.median <= LARGE_ROUND_MAX_MS && bigCalls <= 2;
  const correct = calls <= 2 && writes === (SMALL.connectors + SMALL.jobs) / 100 && bigWrites === LARGE_TASKS / 100;
  const met = (ok: boolean) => (ok ? 'met' : '**not met**');
  const total = fmtCount(SMALL.connectors + SMALL.jobs);
  return withChecks(
    {
      id: 'status-sync',
      title: 'Status sync round at scale',
      baseline: `the two engine calls alone, timed before each round; the original design's per-task status calls (${BASELINE_CONCURRENCY} at a time), same fake, same store and writes`,
      target: `round median ≤ ${ROUND_OVER_ENGINES_MAX}× the two engine calls alone; a full read of ${total} tasks ≤ ${FULL_READ_MAX_MS} ms; a round at ${fmtCount(LARGE_TASKS)} tasks ≤ ${fmtCount(LARGE_ROUND_MAX_MS)} ms with 2 RAS calls (each writing only the changed 1%)`,
      figures: [
        ['tasks', `${fmtCount(SMALL.connectors)} connects + ${fmtCount(SMALL.jobs)} transforms`],
        ['changed per round', `${(SMALL.connectors + SMALL.jobs) / 100} (1%)`],
        ['DF round median / p99', `${fmtMs(df.median)} / ${fmtMs(df.p99)} (${ROUNDS} rounds)`],
        ['the two engine calls alone, median', fmtMs(engines)],
        [
          `round / engine calls alone (target ≤ ${ROUND_OVER_ENGINES_MAX}×)`,
          `${fmtRatio(overEngines)}: ${met(roundMet)}`,
        ],
        ['where a round goes (medians)', phasesText(small.rounds)],
        [
          `a full read of the tasks as a round makes it (the compact snapshot, df_sync_snapshot), median of ${FULL_READS} (target ≤ ${FULL_READ_MAX_MS} ms; a round carries its snapshot over and reads them only after another writer, or every 60 s or twenty times the last read, whichever is longer)`,
          `${fmtMs(fullRead)}: ${met(readMet)}`,
        ],
        [
          `the true read of df_processor beside it, median of ${FULL_READS} (made when the snapshot is not whole, and at least every 10 minutes or fifty times its own time)`,
          `${fmtMs(trueRead)}; the first read of a store without the snapshot (a true read and the snapshot built) ${fmtMs(small.buildMs)}`,
        ],
        [
          'where the true read goes',
          `the store's CPU ${fmtMs(small.fullRead.storeCpuMs)}, DF's (driver decoding, mapping) ${fmtMs(small.fullRead.dfCpuMs)}; the same documents' ids alone ${fmtMs(small.fullRead.idsOnlyMs)}`,
        ],
        ['baseline round median / p99', `${fmtMs(base.median)} / ${fmtMs(base.p99)} (${ROUNDS} rounds)`],
        ['speed-up (baseline median / DF median)', fmtRatio(base.median / df.median)],
        ['RAS calls per round: DF / baseline', `${calls} / ${fmtCount(Math.max(...small.baselineCalls))}`],
        ['tasks written per round', String(writes)],
        [
          `${fmtCount(LARGE_TASKS)} tasks (${fmtCount(LARGE.connectors)} connects + ${fmtCount(LARGE.jobs)} transforms), 1% changed: round median / p99 (target ≤ ${fmtCount(LARGE_ROUND_MAX_MS)} ms)`,
          `${fmtMs(big.median)} / ${fmtMs(big.p99)}, ${bigCalls} RAS calls, ${bigWrites} written: ${met(largeMet)}`,
        ],
        [
          `${fmtCount(LARGE_TASKS)} tasks: the two engine calls alone, median`,
          fmtMs(median(large.rounds.enginesAloneMs)),
        ],
        [`${fmtCount(LARGE_TASKS)} tasks: where a round goes (medians)`, phasesText(large.rounds)],
        [
          `${fmtCount(LARGE_TASKS)} tasks: seeding (${fmtCount(SEED_BATCH)} per insert) / the first round (a true read, the snapshot built) / a compact read`,
          `${fmtMs(large.seedMs)} / ${fmtMs(large.rounds.firstRoundMs)} / ${fmtMs(large.compactReadMs)}`,
        ],
      ],
      notes: [
        `FAKE Kafka Connect and Flink (bench/support/fake-ras.ts): real REST paths and payload shapes, ${LATENCY_MS} ms added per call, in a process of their own as the real engines are (serialising 10,000 statuses is the engine's work, not DF's); the real services on this machine cannot hold 10,000 connectors.`,
        'The round is the status-sync activity itself (syncStatusRound), called directly; the store is the real one (FerretDB). Phases are the spans of the repository and client calls inside the round.',
      ],
    },
    [
      {
        target: `round median ≤ ${ROUND_OVER_ENGINES_MAX}× the two engine calls alone`,
        measured: `${fmtMs(df.median)} against ${fmtMs(engines)} = ${fmtRatio(overEngines)}`,
        met: roundMet,
      },
      {
        target: `a full read of ${total} tasks ≤ ${FULL_READ_MAX_MS} ms`,
        measured: `${fmtMs(fullRead)} (the compact snapshot a round reads; the true read of df_processor ${fmtMs(trueRead)})`,
        met: readMet,
      },
      {
        target: `a round at ${fmtCount(LARGE_TASKS)} tasks (FAKE engines) ≤ ${fmtCount(LARGE_ROUND_MAX_MS)} ms with 2 RAS calls`,
        measured: `${fmtMs(big.median)}, ${bigCalls} RAS calls`,
        met: largeMet,
      },
      {
        target: 'each round writes only the changed 1%, with 2 RAS calls',
        measured: `${writes} of ${total} and ${bigWrites} of ${fmtCount(LARGE_TASKS)} written; ${calls} RAS calls`,
        met: correct,
      },
    ],
  );
}
