import { connectTemporal } from '../src/temporal/client';
import { uniqueName } from '../test/support/stack';
import { benchDb, benchEnv } from './support/context';
import { startFakeRasProcess } from './support/fake-ras-process';
import { openLoop, REFUSED, request } from './support/load';
import { CORES, cpuMeter, pidsMatching } from './support/cpu';
import type { BenchResult } from './support/report';
import { startBenchService } from './support/service';
import { fmtCount, fmtMs, summarise } from './support/stats';

/** Runs the stopped service left unfinished would wait forever for a worker on their queue. */
async function terminateLeftovers(taskQueue: string): Promise<void> {
  const env = benchEnv();
  const temporal = await connectTemporal(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE);
  try {
    for await (const run of temporal.client.workflow.list({ query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'` })) {
      await temporal.client.workflow.getHandle(run.workflowId, run.runId).terminate('benchmark over').catch(() => undefined);
    }
  } finally {
    await temporal.close();
  }
}

const RATE = Number(process.env.BENCH_THROUGHPUT_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 60);

/**
 * Connect adds through the API at 100/s for 60 s, each answered once its connectAdd workflow has
 * recorded the connector RUNNING: real Temporal and store, a FAKE Kafka Connect (the real one here
 * cannot create 6,000 connectors a minute) that reports a new connector RUNNING at once.
 */
export async function connectThroughputBench(): Promise<BenchResult> {
  const env = benchEnv();
  const store = await benchDb('bench_tput');
  const fake = await startFakeRasProcess({ latencyMs: 1 });
  const service = await startBenchService({
    ...env, MONGO_DB: store.name, DF_TASK_QUEUE: uniqueName('bench-tput'), KAFKA_CONNECT_URL: fake.connectUrl, FLINK_URL: fake.flinkUrl,
    DF_SYNC_INTERVAL: '0', DF_STARTUP_SYNC: 'false',
  });
  const taskQueue = service.taskQueue;
  const prefix = uniqueName('tput');
  const add = (i: number) => request(`${service.baseUrl}/api/df/ps`, {
    method: 'POST',
    body: { id: `${prefix}_${i}`, name: `tput ${i}`, description: 'bench', connectorConfig: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', 'tasks.max': '1', file: `/tmp/tput-${i}`, topic: `tput-${i}` } },
  }).then((a) => (a.status === 201 && a.body.includes('"status":"RUNNING"')) || (a.status === 503 && a.body.includes('"OVERLOADED"') ? REFUSED : `${a.status}: ${a.body.slice(0, 200)}`));
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(service.rssMb()), 500);
  try {
    await openLoop(10, 2, (i) => add(-1 - i)); // warm-up, not counted
    await fake.resetCalls();
    const cpu = cpuMeter({
      service: [service.pid], temporal: pidsMatching('server start-dev'), store: pidsMatching('ferretdb'), load: [process.pid], 'FAKE Connect': [fake.pid],
    });
    const run = await openLoop(RATE, SECONDS, add);
    const used = cpu.read();
    const perAdd = (ms: number) => ms / Math.max(1, run.latenciesMs.length);
    const totalPerAdd = perAdd(Object.values(used).reduce((a, b) => a + b, 0));
    const ceiling = (CORES * 1000) / totalPerAdd;
    const s = summarise(run.latenciesMs);
    const achieved = run.latenciesMs.length / run.seconds;
    const callsPerAdd = (await fake.totalCalls()) / Math.max(1, run.latenciesMs.length);
    return {
      id: 'connect-throughput', title: 'Connect add throughput (fake Kafka Connect)', baseline: 'none (absolute, on this machine)',
      target: `≥ ${RATE} operations/s sustained for 60 s, p99 ≤ 1 s, no failed operation`,
      met: SECONDS >= 60 && achieved >= RATE * 0.99 && s.p99 <= 1000 && run.failures === 0,
      figures: [
        ['offered', `${RATE}/s for ${SECONDS} s (${fmtCount(run.sent)} adds)`],
        ['completed RUNNING', `${fmtCount(run.latenciesMs.length)} in ${run.seconds.toFixed(1)} s = ${achieved.toFixed(1)}/s`],
        ['latency median / p99 / max', `${fmtMs(s.median)} / ${fmtMs(s.p99)} / ${fmtMs(s.max)}`],
        ['failed', `${run.failures}${run.firstFailure ? ` (first: ${run.firstFailure})` : ''}`],
        ['refused at once (503 OVERLOADED, DF_MAX_IN_FLIGHT 32)', fmtCount(run.refused)],
        ['Kafka Connect calls per completed add', callsPerAdd.toFixed(1)],
        ['service RSS peak', `${Math.max(...rss).toFixed(0)} MB`],
        ['CPU per completed add', Object.entries(used).map(([name, ms]) => `${name} ${perAdd(ms).toFixed(1)} ms`).join(', ')],
        [`ceiling on ${CORES} cores at that CPU per add`, `${ceiling.toFixed(0)} adds/s`],
      ],
      notes: ['FAKE Kafka Connect (bench/support/fake-ras.ts, 1 ms per call, new connectors RUNNING at once); real Temporal dev server and store; the service is node dist/src/main.js (API and worker in one process). Open loop: an add starts every 10 ms whether or not earlier ones have answered.'],
    };
  } finally {
    clearInterval(sampler);
    await service.stop();
    await terminateLeftovers(taskQueue);
    await fake.close();
    await store.close();
  }
}
