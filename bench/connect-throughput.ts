import path from 'node:path';
import { ENV_DEFAULTS } from '../src/config';
import { connectTemporal } from '../src/temporal/client';
import { uniqueName } from '../test/support/stack';
import { benchDb, benchEnv } from './support/context';
import { startFakeRasProcess } from './support/fake-ras-process';
import { LoadResult, openLoop, REFUSED, request } from './support/load';
import { CORES, cpuMeter, pidsMatching } from './support/cpu';
import { BenchResult, withChecks } from './support/report';
import { startBenchService } from './support/service';
import { startFloorService } from './support/floor/service';
import { fmtCount, fmtMs, summarise } from './support/stats';

/** Runs the stopped service left unfinished would wait forever for a worker on their queue. */
async function terminateLeftovers(taskQueue: string): Promise<void> {
  const env = benchEnv();
  const temporal = await connectTemporal({ address: env.TEMPORAL_ADDRESS }, env.TEMPORAL_NAMESPACE);
  try {
    for await (const run of temporal.client.workflow.list({
      query: `TaskQueue = '${taskQueue}' AND ExecutionStatus = 'Running'`,
    })) {
      await temporal.client.workflow
        .getHandle(run.workflowId, run.runId)
        .terminate('benchmark over')
        .catch(() => undefined);
    }
  } finally {
    await temporal.close();
  }
}

const RATE = Number(process.env.BENCH_THROUGHPUT_RATE ?? 100);
const SECONDS = Number(process.env.BENCH_THROUGHPUT_SECONDS ?? 60);

/** An add's steps (workflows/connect.ts connectAdd): seven local activities, then the lock's release. */
const ADD_LOCAL_STEPS = 7;
/** The target: DF completes at least this share of the floor's operations/s, on at most this much CPU per add. */
const FLOOR_SHARE = 0.7;
const CPU_PER_ADD_LIMIT_MS = 25;

/** The second pass's bound on operations in flight: about what saturates two cores, no more. */
const TIGHT_IN_FLIGHT = 12;

interface PassResult {
  maxInFlight: number;
  run: LoadResult;
  cpu: Record<string, number>;
  callsPerAdd: number;
  rssPeakMb: number;
}

/** One open-loop pass against a fresh service with this bound on operations in flight. */
async function throughputPass(maxInFlight: number): Promise<PassResult> {
  const env = benchEnv();
  const store = await benchDb('bench_tput');
  const fake = await startFakeRasProcess({ latencyMs: 1 });
  const service = await startBenchService({
    ...env,
    MONGO_DB: store.name,
    DF_TASK_QUEUE: uniqueName('bench-tput'),
    KAFKA_CONNECT_URL: fake.connectUrl,
    FLINK_URL: fake.flinkUrl,
    DF_SYNC_INTERVAL: '0',
    DF_STARTUP_SYNC: 'false',
    DF_MAX_IN_FLIGHT: String(maxInFlight),
  });
  const taskQueue = service.taskQueue;
  const prefix = uniqueName('tput');
  const add = (i: number) =>
    request(`${service.baseUrl}/api/df/ps`, {
      method: 'POST',
      body: {
        id: `${prefix}_${i}`,
        name: `tput ${i}`,
        description: 'bench',
        connectorConfig: {
          'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          'tasks.max': '1',
          file: path.join(path.resolve(env.DF_DATA_DIR), `tput-${i}`),
          topic: `tput-${i}`,
        },
      },
    }).then(
      (a) =>
        (a.status === 201 && a.body.includes('"status":"RUNNING"')) ||
        (a.status === 503 && a.body.includes('"OVERLOADED"') ? REFUSED : `${a.status}: ${a.body.slice(0, 200)}`),
    );
  const rss: number[] = [];
  const sampler = setInterval(() => rss.push(service.rssMb()), 500);
  try {
    await openLoop(10, 2, (i) => add(-1 - i)); // warm-up, not counted
    await fake.resetCalls();
    const meter = cpuMeter({
      service: [service.pid],
      temporal: pidsMatching('server start-dev'),
      store: pidsMatching('ferretdb'),
      load: [process.pid],
      'FAKE Connect': [fake.pid],
    });
    const run = await openLoop(RATE, SECONDS, add);
    const cpu = meter.read();
    const callsPerAdd = (await fake.totalCalls()) / Math.max(1, run.latenciesMs.length);
    return { maxInFlight, run, cpu, callsPerAdd, rssPeakMb: Math.max(...rss) };
  } finally {
    clearInterval(sampler);
    await service.stop();
    await terminateLeftovers(taskQueue);
    await fake.close();
    await store.close();
  }
}

/**
 * The same load against the floor service (bench/support/floor/service-main.ts): operations of an
 * add's shape with no work in them (no-op local activities, the answer from the outcome update,
 * one no-op activity after it), started and answered as DF's API does, with the same bound.
 */
async function floorPass(maxInFlight: number): Promise<PassResult> {
  const env = benchEnv();
  const floor = await startFloorService({
    TEMPORAL_ADDRESS: env.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: env.TEMPORAL_NAMESPACE,
    FLOOR_TASK_QUEUE: uniqueName('bench-tput-floor'),
    FLOOR_STEPS: String(ADD_LOCAL_STEPS),
    FLOOR_MAX_IN_FLIGHT: String(maxInFlight),
    FLOOR_WORKER_CACHE: ENV_DEFAULTS.DF_WORKER_CACHE,
  });
  const prefix = uniqueName('f');
  const run = (i: number) =>
    request(`${floor.baseUrl}/run/${prefix}_${i}`, { method: 'POST', body: {} }).then(
      (a) =>
        (a.status === 201 && a.body.includes('"status":"RUNNING"')) ||
        (a.status === 503 && a.body.includes('"OVERLOADED"') ? REFUSED : `${a.status}: ${a.body.slice(0, 200)}`),
    );
  try {
    await openLoop(10, 2, (i) => run(-1 - i)); // warm-up, not counted
    const meter = cpuMeter({
      service: [floor.pid],
      temporal: pidsMatching('server start-dev'),
      load: [process.pid],
    });
    const result = await openLoop(RATE, SECONDS, run);
    return { maxInFlight, run: result, cpu: meter.read(), callsPerAdd: 0, rssPeakMb: 0 };
  } finally {
    await floor.stop();
    await terminateLeftovers(floor.taskQueue);
  }
}

/**
 * Connect adds through the API at 100/s for 60 s, each answered once its connectAdd workflow has
 * recorded the connector RUNNING: real Temporal and store, a FAKE Kafka Connect (the real one here
 * cannot create 6,000 connectors a minute) that reports a new connector RUNNING at once. Run
 * twice: with DF's default bound on operations in flight, then with a bound near what saturates
 * the machine, which shows what the bound trades (refusals against latency).
 */
export async function connectThroughputBench(): Promise<BenchResult> {
  const defaultBound = Number(ENV_DEFAULTS.DF_MAX_IN_FLIGHT);
  const main = await throughputPass(Number(process.env.DF_MAX_IN_FLIGHT ?? defaultBound));
  const tight = await throughputPass(TIGHT_IN_FLIGHT);
  const floor = await floorPass(main.maxInFlight);
  const perAdd = (pass: PassResult, ms: number) => ms / Math.max(1, pass.run.latenciesMs.length);
  const rate = (pass: PassResult) => pass.run.latenciesMs.length / pass.run.seconds;
  const totalPerAdd = perAdd(
    main,
    Object.values(main.cpu).reduce((a, b) => a + b, 0),
  );
  const ceiling = (CORES * 1000) / totalPerAdd;
  const s = summarise(main.run.latenciesMs);
  const t = summarise(tight.run.latenciesMs);
  const { run } = main;
  const f = summarise(floor.run.latenciesMs);
  const share = rate(main) / Math.max(1e-9, rate(floor));
  const serviceCpu = perAdd(main, main.cpu.service);
  const floorServiceCpu = perAdd(floor, floor.cpu.service ?? 0);
  return withChecks(
    {
      id: 'connect-throughput',
      title: 'Connect add throughput (fake Kafka Connect)',
      baseline: `a floor service: operations of an add's shape with no work in them (${ADD_LOCAL_STEPS} no-op local activities, the answer, one no-op activity), started and answered as the API does, same load, same run`,
      target: `DF completed adds/s ≥ ${FLOOR_SHARE * 100}% of the floor's operations/s, and DF's process ≤ ${CPU_PER_ADD_LIMIT_MS} ms CPU per add`,
      figures: [
        ['offered', `${RATE}/s for ${SECONDS} s (${fmtCount(run.sent)} adds)`],
        [
          'completed RUNNING',
          `${fmtCount(run.latenciesMs.length)} in ${run.seconds.toFixed(1)} s = ${rate(main).toFixed(1)}/s`,
        ],
        [
          'floor: completed / latency median, p99 / failed / refused',
          `${rate(floor).toFixed(1)}/s / ${fmtMs(f.median)}, ${fmtMs(f.p99)} / ${floor.run.failures} / ${fmtCount(floor.run.refused)}`,
        ],
        ['DF / floor (completed per s)', `${(share * 100).toFixed(0)}% (limit ≥ ${FLOOR_SHARE * 100}%)`],
        ["DF's process CPU per completed add", `${serviceCpu.toFixed(1)} ms (limit ${CPU_PER_ADD_LIMIT_MS} ms)`],
        [
          'floor: CPU per completed operation',
          Object.entries(floor.cpu)
            .map(([name, ms]) => `${name} ${perAdd(floor, ms).toFixed(1)} ms`)
            .join(', '),
        ],
        ['latency median / p99 / max', `${fmtMs(s.median)} / ${fmtMs(s.p99)} / ${fmtMs(s.max)}`],
        ['failed', `${run.failures}${run.firstFailure ? ` (first: ${run.firstFailure})` : ''}`],
        [`refused at once (503 OVERLOADED, DF_MAX_IN_FLIGHT ${main.maxInFlight})`, fmtCount(run.refused)],
        ['Kafka Connect calls per completed add', main.callsPerAdd.toFixed(1)],
        ['service RSS peak', `${main.rssPeakMb.toFixed(0)} MB`],
        [
          'CPU per completed add',
          Object.entries(main.cpu)
            .map(([name, ms]) => `${name} ${perAdd(main, ms).toFixed(1)} ms`)
            .join(', '),
        ],
        [`ceiling on ${CORES} cores at that CPU per add`, `${ceiling.toFixed(0)} adds/s`],
        [
          `second pass, DF_MAX_IN_FLIGHT ${tight.maxInFlight}: completed / latency median, p99 / failed / refused`,
          `${rate(tight).toFixed(1)}/s / ${fmtMs(t.median)}, ${fmtMs(t.p99)} / ${tight.run.failures} / ${fmtCount(tight.run.refused)}`,
        ],
      ],
      notes: [
        'FAKE Kafka Connect (bench/support/fake-ras.ts, 1 ms per call, new connectors RUNNING at once); real Temporal dev server and store; the service is node dist/src/main.js (API and worker in one process). Open loop: an add starts every 10 ms whether or not earlier ones have answered.',
        `The floor (bench/support/floor/service-main.ts) is a process of its own with a worker and an HTTP endpoint, started the same way and bounded the same way (${main.maxInFlight} in flight), run after the two DF passes with the same open loop: what Temporal alone lets this machine complete for operations of an add's shape.`,
        `The second pass runs the same load against a fresh service that admits ${TIGHT_IN_FLIGHT} operations at once: past what the machine completes, more in flight only adds waiting, so the bound decides the latency of the adds that are taken, and a lower one refuses bursts sooner.`,
      ],
    },
    [
      {
        target: `completed adds/s ≥ ${FLOOR_SHARE * 100}% of the floor workflow's, no failed add`,
        measured: `${rate(main).toFixed(1)}/s against ${rate(floor).toFixed(1)}/s = ${(share * 100).toFixed(0)}%, ${run.failures} failed`,
        met: share >= FLOOR_SHARE && run.failures === 0,
      },
      {
        target: `DF's process ≤ ${CPU_PER_ADD_LIMIT_MS} ms CPU per add`,
        measured: `${serviceCpu.toFixed(1)} ms (the floor's process: ${floorServiceCpu.toFixed(1)} ms per operation)`,
        met: serviceCpu <= CPU_PER_ADD_LIMIT_MS,
      },
    ],
  );
}
