import { uniqueName } from '../test/support/stack';
import { benchDb, benchEnv } from './support/context';
import { startFakeRasProcess } from './support/fake-ras-process';
import { request, openLoop } from './support/load';
import type { BenchResult } from './support/report';
import { benchTasks, seedTasks } from './support/seed';
import { startBenchService } from './support/service';
import { fmtCount, fmtMs, fmtRatio, summarise } from './support/stats';

const TASKS = 10_000;
const RATE = 200;
const SECONDS = 20;
const LIST = '/api/df/ps?_start=0&_end=50&_sort=name&_order=ASC&status=RUNNING';

/**
 * GET /api/df/ps (a page of 50, sorted by name, filtered by status) against 10,000 tasks, at 200
 * requests/s, with GET /health on the same server as the baseline; the service's RSS is sampled
 * throughout (the "Worker + API memory with 10,000 tasks" figure), while its status sync runs
 * every 2 s against a FAKE Kafka Connect / Flink holding the same 10,000 connectors and jobs.
 */
export async function taskListBench(): Promise<{ list: BenchResult; memory: BenchResult }> {
  const env = benchEnv();
  const store = await benchDb('bench_list');
  const fake = await startFakeRasProcess({ latencyMs: 1, connectors: TASKS - 1000, jobs: 1000, benchStates: true });
  await seedTasks(store.db, benchTasks(TASKS - 1000, 1000));
  const service = await startBenchService({
    ...env,
    MONGO_DB: store.name,
    DF_TASK_QUEUE: uniqueName('bench-list'),
    KAFKA_CONNECT_URL: fake.connectUrl,
    FLINK_URL: fake.flinkUrl,
    DF_SYNC_INTERVAL: '10s',
    DF_STARTUP_SYNC: 'false',
  });
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(service.rssMb()), 250);
  try {
    const first = await request(`${service.baseUrl}${LIST}`);
    if (first.status !== 200) throw new Error(`list answered ${first.status}: ${first.body}`);
    // Warm-up: connections, JIT, the store's caches.
    await openLoop(RATE, 3, () => request(`${service.baseUrl}${LIST}`).then((a) => a.status === 200));
    const health = await openLoop(RATE, SECONDS, () =>
      request(`${service.baseUrl}/health`).then((a) => a.status === 200 || a.status === 503 || `health ${a.status}`),
    );
    const list = await openLoop(RATE, SECONDS, () =>
      request(`${service.baseUrl}${LIST}`).then((a) => a.status === 200 || `list ${a.status}: ${a.body.slice(0, 200)}`),
    );
    const l = summarise(list.latenciesMs);
    const h = summarise(health.latenciesMs);
    const peak = Math.max(...rss);
    return {
      list: {
        id: 'task-list',
        title: 'Task list latency',
        baseline: 'GET /health on the same server, same rate',
        target: 'p99 ≤ 20 ms at 200 requests/s, 10,000 tasks',
        met: l.p99 <= 20 && list.failures === 0,
        figures: [
          ['tasks in the store', fmtCount(TASKS)],
          ['rate, duration', `${RATE}/s for ${SECONDS} s each`],
          ['list median / p99', `${fmtMs(l.median)} / ${fmtMs(l.p99)}`],
          ['health median / p99', `${fmtMs(h.median)} / ${fmtMs(h.p99)}`],
          ['list / health (median, p99)', `${fmtRatio(l.median / h.median)}, ${fmtRatio(l.p99 / h.p99)}`],
          [
            'failed requests',
            `${list.failures + health.failures}${list.firstFailure ? ` (${list.firstFailure})` : ''}`,
          ],
        ],
        notes: [
          `Query: \`${LIST}\` (page of 50 of the RUNNING tasks, sorted by name, with X-Total-Count).`,
          'The service runs as users run it (node dist/src/main.js: API and worker in one process), its status sync every 10 s (the default) against a FAKE Kafka Connect / Flink (bench/support/fake-ras.ts, in a process of its own so that answering 9,000 statuses never stalls the load generator) that holds the same 9,000 connectors and 1,000 jobs.',
        ],
      },
      memory: {
        id: 'memory',
        title: 'Worker + API memory with 10,000 tasks',
        baseline: 'none',
        target: 'RSS ≤ 300 MB',
        met: peak <= 300,
        figures: [
          ['RSS after start', `${rss[0]?.toFixed(0)} MB`],
          ['RSS peak', `${peak.toFixed(0)} MB`],
          ['RSS at end', `${rss[rss.length - 1]?.toFixed(0)} MB`],
          ['samples', String(rss.length)],
        ],
        notes: [
          'Sampled every 250 ms from /proc while the list benchmark ran: one process with the API and the worker, 10,000 tasks in the store, a status-sync round every 10 s over all of them, 200 list requests/s.',
        ],
      },
    };
  } finally {
    clearInterval(sampler);
    await service.stop();
    await fake.close();
    await store.close();
  }
}
