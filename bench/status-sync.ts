import { createStatusSyncActivities } from '../activities/status-sync';
import type { FlinkJobSummary } from '../src/domain/flink-status';
import type { ConnectStatusReport } from '../src/domain/status';
import { EngineView, planStatusSync } from '../src/domain/status-sync';
import { FlinkClient } from '../src/ras/flink';
import { KafkaConnectClient } from '../src/ras/kafka-connect';
import { StatusHistoryRepository } from '../src/repository/status-history-repository';
import { TaskRepository } from '../src/repository/task-repository';
import { benchDb } from './support/context';
import { fakeConnectorName, fakeJobId } from './support/fake-ras';
import { FakeRasProcess, startFakeRasProcess } from './support/fake-ras-process';
import type { BenchResult } from './support/report';
import { benchTasks, seedTasks } from './support/seed';
import { fmtCount, fmtMs, fmtRatio, summarise, timed } from './support/stats';

const CONNECTORS = 10_000;
const JOBS = 1_000;
/** Rounds measured each way (each pauses 100 connectors not paused before, so at most 50 in all). */
const ROUNDS = Math.min(25, Number(process.env.BENCH_SYNC_ROUNDS ?? 5));
/** The original's per-task calls went out concurrently (Vert.x), bounded here as a pooled HTTP client would. */
const BASELINE_CONCURRENCY = 16;
/** Loopback latency the fake adds per call, in ms. */
const LATENCY_MS = 1;

/** 1% of the engines' state changes before each round: 100 connectors not touched before are paused, 10 jobs canceled. */
async function changeOnePercent(fake: FakeRasProcess, round: number): Promise<number> {
  await fake.setStates({
    connectors: Array.from({ length: CONNECTORS / 100 }, (_, i) => [fakeConnectorName(round * 100 + i), 'PAUSED']),
    jobs: Array.from({ length: JOBS / 100 }, (_, i) => [fakeJobId(round * 10 + i), 'CANCELED']),
  });
  return CONNECTORS / 100 + JOBS / 100;
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

/**
 * One status-sync round over 10,000 connectors and 1,000 Flink jobs held by a FAKE Kafka Connect /
 * Flink (bench/support/fake-ras.ts, in a process of its own; the real services here cannot hold that many), with the tasks
 * in the real store. Baseline: the original design's round, one status call per task, same fake,
 * same store, same planning and writes.
 */
export async function statusSyncBench(): Promise<BenchResult> {
  const store = await benchDb('bench_sync');
  // Every connector and job RUNNING, like the tasks recorded for them.
  const fake = await startFakeRasProcess({ latencyMs: LATENCY_MS, connectors: CONNECTORS, jobs: JOBS });
  try {
    const seed = benchTasks(CONNECTORS, JOBS).map((t) => ({ ...t, status: 'RUNNING' as const }));
    await seedTasks(store.db, seed);
    const tasks = new TaskRepository(store.db);
    const statusHistory = new StatusHistoryRepository(store.db);
    await statusHistory.ensureIndexes();
    const kafkaConnect = new KafkaConnectClient(fake.connectUrl);
    const flink = new FlinkClient(fake.flinkUrl);
    const syncSettings = { intervalMs: 10_000, graceMs: 30_000, onStartup: false };
    const activities = createStatusSyncActivities({ tasks, statusHistory, kafkaConnect, flink, syncSettings });

    // A first round records what the engines say now; it is not measured.
    await activities.syncStatusRound();
    // Where a round's time goes on this store: the snapshot read alone, and the two engine calls alone.
    const snapshotMs = (await timed(() => tasks.syncSnapshot())).ms;
    const rasMs = (await timed(() => Promise.all([kafkaConnect.listConnectorStatuses(), flink.jobsOverview()]))).ms;
    let round = 0;
    const dfMs: number[] = [];
    const dfCalls: number[] = [];
    const dfWrites: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const expected = await changeOnePercent(fake, round++);
      await fake.resetCalls();
      const { ms, value } = await timed(() => activities.syncStatusRound());
      dfMs.push(ms);
      dfCalls.push(await fake.totalCalls());
      dfWrites.push(value.changed);
      if (value.changed !== expected)
        throw new Error(`round ${i} changed ${value.changed} tasks, expected ${expected}`);
    }

    const baselineMs: number[] = [];
    const baselineCalls: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      await changeOnePercent(fake, round++);
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
        const plan = planStatusSync(snapshot, views, { now: Date.now(), graceMs: syncSettings.graceMs });
        const applied = await tasks.applyStatusChanges(plan.changes);
        await statusHistory.append(plan.changes.filter((c) => applied.has(c.id)).flatMap((c) => c.history));
      });
      baselineMs.push(ms);
      baselineCalls.push(await fake.totalCalls());
    }
    const df = summarise(dfMs);
    const base = summarise(baselineMs);
    const speedup = base.median / df.median;
    const calls = Math.max(...dfCalls);
    const writes = Math.max(...dfWrites);
    return {
      id: 'status-sync',
      title: 'Status sync round at scale',
      baseline: `the original design's per-task status calls (${BASELINE_CONCURRENCY} at a time), same fake, same store and writes`,
      target: '≤ 1 s per round, ≤ 2 RAS calls, writes only the changed 1%, ≥ 50× faster than the baseline',
      met: df.p99 <= 1000 && calls <= 2 && writes === (CONNECTORS + JOBS) / 100 && speedup >= 50,
      figures: [
        ['tasks', `${fmtCount(CONNECTORS)} connects + ${fmtCount(JOBS)} transforms`],
        ['changed per round', `${(CONNECTORS + JOBS) / 100} (1%)`],
        ['DF round median / p99', `${fmtMs(df.median)} / ${fmtMs(df.p99)} (${ROUNDS} rounds)`],
        ['baseline round median / p99', `${fmtMs(base.median)} / ${fmtMs(base.p99)} (${ROUNDS} rounds)`],
        ['speed-up (baseline median / DF median)', fmtRatio(speedup)],
        ['RAS calls per round: DF / baseline', `${calls} / ${fmtCount(Math.max(...baselineCalls))}`],
        ['tasks written per round', String(writes)],
        [
          'a full read of the tasks (a DF round carries its snapshot over: it reads them only after another writer, or every 60 s)',
          fmtMs(snapshotMs),
        ],
        ['both engine calls, alone', fmtMs(rasMs)],
      ],
      notes: [
        `FAKE Kafka Connect and Flink (bench/support/fake-ras.ts): real REST paths and payload shapes, ${LATENCY_MS} ms added per call, in a process of its own as the real engines are (serialising 10,000 statuses is the engine's work, not DF's); the real services on this machine cannot hold 10,000 connectors.`,
        'The round is the status-sync activity itself (syncStatusRound), called directly; the store is the real one (FerretDB).',
      ],
    };
  } finally {
    await fake.close();
    await store.close();
  }
}
