import fs from 'node:fs/promises';
import path from 'node:path';
import { KafkaConnectClient } from '../src/ras/kafka-connect';
import { TaskRepository } from '../src/repository/task-repository';
import { unassignedTask } from '../src/domain/task';
import { uniqueName } from '../test/support/stack';
import { eventually } from '../test/support/wait';
import { benchDb, benchEnv } from './support/context';
import { request } from './support/load';
import { BenchResult, withChecks } from './support/report';
import { startTemporalFloor } from './support/floor/measure';
import { startBenchService } from './support/service';
import { fmtMs, fmtRatio, msSince, summarise } from './support/stats';

const ADDS = 50;
const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
/** How often the baseline asks Kafka Connect whether the connector runs yet. */
const BASELINE_POLL_MS = 50;
/** The connectAdd workflow's steps: prepare, take the lock, record, create, watch, record the state, free the lock. */
const ADD_STEPS = 7;
/** The target: DF's time over the direct steps within Temporal's own floor and this much. */
const FLOOR_ALLOWANCE_MS = 5;
const RATIO_LIMIT = 1.15;

/**
 * Connect add until RUNNING, 50 in a row, on the real stack: through DF's API (validate, record,
 * create, watch the state, all in the connectAdd workflow), against the same steps done directly by
 * a script (validate, create in Kafka Connect, insert into the store, poll the status every 50 ms),
 * and against Temporal's own floor: workflows that do nothing, timed between them.
 */
export async function connectAddBench(): Promise<BenchResult> {
  const env = benchEnv();
  const store = await benchDb('bench_add');
  // Under the data directory: the reach policy lets connectors read files only there.
  const dataDir = path.resolve(env.DF_DATA_DIR);
  await fs.mkdir(dataDir, { recursive: true });
  const dir = await fs.mkdtemp(path.join(dataDir, 'df-bench-add-'));
  const file = path.join(dir, 'lines.txt');
  await fs.writeFile(file, 'one\ntwo\n');
  const connect = new KafkaConnectClient(env.KAFKA_CONNECT_URL);
  const tasks = new TaskRepository(store.db);
  await tasks.ensureIndexes();
  const service = await startBenchService({
    ...env,
    MONGO_DB: store.name,
    DF_TASK_QUEUE: uniqueName('bench-add'),
    DF_SYNC_INTERVAL: '0',
    DF_STARTUP_SYNC: 'false',
  });
  const floor = await startTemporalFloor(env.TEMPORAL_ADDRESS, env.TEMPORAL_NAMESPACE);
  const created: string[] = [];
  try {
    const config = (id: string) => ({
      'connector.class': FILE_SOURCE,
      'tasks.max': '1',
      file,
      topic: `${id}-topic`,
      name: id,
    });
    const dfMs: number[] = [];
    const baseMs: number[] = [];
    const floorEmptyMs: number[] = [];
    const floorStepsMs: number[] = [];
    const floorOperationMs: number[] = [];
    const floorEagerMs: number[] = [];
    let notEager = 0;
    // One of each first, not measured: the JIT, connections, Connect's plugin scan.
    for (let i = -1; i < ADDS; i++) {
      const dfId = uniqueName('bench_add_df');
      const start = process.hrtime.bigint();
      const res = await request(`${service.baseUrl}/api/df/ps`, {
        method: 'POST',
        body: { id: dfId, name: dfId, description: 'bench', connectorConfig: config(dfId) },
      });
      const ms = msSince(start);
      created.push(dfId);
      const body = JSON.parse(res.body) as { status?: string };
      if (res.status !== 201 || body.status !== 'RUNNING')
        throw new Error(`DF add answered ${res.status}: ${res.body.slice(0, 300)}`);
      if (i >= 0) dfMs.push(ms);

      const baseId = uniqueName('bench_add_base');
      const t0 = process.hrtime.bigint();
      const validation = await connect.validate(FILE_SOURCE, config(baseId));
      if (validation.error_count > 0)
        throw new Error(
          `baseline config invalid: ${JSON.stringify(validation.configs.filter((c) => c.value.errors.length > 0).map((c) => c.value))}`,
        );
      await connect.createConnector(baseId, config(baseId));
      created.push(baseId);
      await tasks.insert(
        unassignedTask(
          {
            id: baseId,
            taskSeq: '0',
            name: baseId,
            description: 'bench',
            connectorType: 'CONNECT_SOURCE_KAFKA_FileStream',
            connectorConfig: config(baseId),
          },
          'CONNECT',
          null,
        ),
        { workflowId: 'bench', runId: 'bench', type: 'bench' },
        new Date(),
      );
      await eventually(
        `baseline ${baseId} RUNNING`,
        async () => {
          const status = await connect.status(baseId);
          const running =
            status?.connector?.state === 'RUNNING' &&
            (status.tasks ?? []).length > 0 &&
            (status.tasks ?? []).every((t) => t.state === 'RUNNING');
          return running || undefined;
        },
        60_000,
        BASELINE_POLL_MS,
      );
      await tasks.recordStatus(baseId, 'RUNNING', undefined, new Date());
      if (i >= 0) baseMs.push(msSince(t0));

      const emptyMs = await floor.empty();
      const stepsMs = await floor.steps(ADD_STEPS);
      const operationMs = await floor.operation(ADD_STEPS);
      const eager = await floor.eagerOperation(ADD_STEPS);
      if (i >= 0) {
        floorEmptyMs.push(emptyMs);
        floorStepsMs.push(stepsMs);
        floorOperationMs.push(operationMs);
        floorEagerMs.push(eager.ms);
        if (!eager.eager) notEager++;
      }
    }
    const df = summarise(dfMs);
    const base = summarise(baseMs);
    const ratio = df.median / base.median;
    const floorEmpty = summarise(floorEmptyMs);
    const floorSteps = summarise(floorStepsMs);
    const floorOperation = summarise(floorOperationMs);
    const floorEager = summarise(floorEagerMs);
    const overDirect = df.median - base.median;
    const overLimit = floorEmpty.median + FLOOR_ALLOWANCE_MS;
    return withChecks(
      {
        id: 'connect-add',
        title: 'Connect add until RUNNING (real stack)',
        baseline: `the same steps done directly: validate, create in Kafka Connect, insert into the store, poll the status every ${BASELINE_POLL_MS} ms until RUNNING, record it`,
        target: `DF p50 − baseline p50 ≤ Temporal floor p50 + ${FLOOR_ALLOWANCE_MS} ms, and DF p50 ≤ ${RATIO_LIMIT} × baseline p50`,
        figures: [
          ['adds', `${ADDS} in a row, each way (alternating)`],
          ['DF median / p99', `${fmtMs(df.median)} / ${fmtMs(df.p99)}`],
          ['baseline median / p99', `${fmtMs(base.median)} / ${fmtMs(base.p99)}`],
          ['DF / baseline (median)', `${fmtRatio(ratio)} (limit ${RATIO_LIMIT}×)`],
          [
            `DF median − baseline median / its limit (Temporal floor median + ${FLOOR_ALLOWANCE_MS} ms)`,
            `${fmtMs(overDirect)} / ${fmtMs(overLimit)}`,
          ],
          ['DF / baseline (p99)', fmtRatio(df.p99 / base.p99)],
          [
            'Temporal floor: a workflow that does nothing, started and answered as the API does (median / p99)',
            `${fmtMs(floorEmpty.median)} / ${fmtMs(floorEmpty.p99)}`,
          ],
          [
            `Temporal floor: the same with ${ADD_STEPS} no-op local activities, as many as an add's steps (median / p99)`,
            `${fmtMs(floorSteps.median)} / ${fmtMs(floorSteps.p99)}`,
          ],
          [
            `Temporal floor: an operation's shape (${ADD_STEPS} no-op local activities, the answer, one activity after it), started as the API does (median / p99)`,
            `${fmtMs(floorOperation.median)} / ${fmtMs(floorOperation.p99)}`,
          ],
          [
            'the same started eagerly (a plain start with requestEagerStart, then the outcome update: the server refuses eager execution in update-with-start) (median / p99)',
            `${fmtMs(floorEager.median)} / ${fmtMs(floorEager.p99)}${notEager > 0 ? ` (${notEager} not started eagerly)` : ''}`,
          ],
          [
            'what 1.15× leaves for everything DF adds to the baseline (0.15 × baseline median)',
            fmtMs(base.median * (RATIO_LIMIT - 1)),
          ],
          [
            "DF median − baseline median − Temporal floor with steps: DF's own work beyond the baseline's",
            fmtMs(df.median - base.median - floorSteps.median),
          ],
        ],
        notes: [
          'DF: POST /api/df/ps answered 201 with status RUNNING (the connectAdd workflow validated, recorded, created and watched the connector). Real Temporal, store, Kafka and Kafka Connect (FileStreamSource).',
          `Temporal floor: workflows that do nothing (bench/support/floor), run by a worker in the benchmark's process on the same dev server, one of each after every DF add and baseline add (so all three see the same load). The first half of the target allows DF what Temporal alone costs an operation plus 5 ms; the second holds only if that floor fits in what 1.15× leaves over.`,
          `Eager start: the dev server refuses eager execution in update-with-start ("RequestEagerExecution is not supported"), so an eager start is a plain start followed by the outcome update, which the server cannot hand to the eagerly started workflow task already running: it comes in a second workflow task once the first (the steps) has completed. The two floor rows show what that trade gives with an operation's shape.`,
        ],
      },
      [
        {
          target: `DF p50 − baseline p50 ≤ Temporal floor p50 + ${FLOOR_ALLOWANCE_MS} ms`,
          measured: `${fmtMs(overDirect)} against ${fmtMs(overLimit)} (floor ${fmtMs(floorEmpty.median)}; with an add's ${ADD_STEPS} no-op steps ${fmtMs(floorSteps.median)})`,
          met: overDirect <= overLimit,
        },
        {
          target: `DF p50 ≤ ${RATIO_LIMIT} × baseline p50`,
          measured: `${fmtMs(df.median)} against ${fmtMs(base.median)} = ${fmtRatio(ratio)}`,
          met: ratio <= RATIO_LIMIT,
        },
      ],
    );
  } finally {
    await floor.stop();
    await service.stop();
    await Promise.all(created.map((id) => connect.deleteConnector(id).catch(() => false)));
    await store.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
