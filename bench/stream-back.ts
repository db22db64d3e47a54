import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { connectTemporal } from '../src/temporal/client';
import { TaskRepository } from '../src/repository/task-repository';
import { PLAINTEXT_KAFKA } from '../src/domain/kafka-security';
import { KafkaAdmin } from '../src/ras/kafka';
import { uniqueName } from '../test/support/stack';
import { benchDb, benchEnv } from './support/context';
import type { BenchResult } from './support/report';
import { startBenchService } from './support/service';
import { fmtCount, msSince } from './support/stats';
import { streamBack } from '../workflows/stream-back';

const ROWS = Number(process.env.BENCH_STREAMBACK_ROWS ?? 1_000_000);
const PARTS = 4;

function line(i: number): string {
  return `{"n":${i},"doubled":${i * 2},"label":"row ${i}"}`;
}

/** A batch result as Flink's filesystem sink leaves it: a directory of JSON-lines part files. */
async function writeResult(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const per = Math.ceil(ROWS / PARTS);
  for (let p = 0; p < PARTS; p++) {
    const lines: string[] = [];
    for (let i = p * per; i < Math.min(ROWS, (p + 1) * per); i++) lines.push(line(i));
    await fs.writeFile(path.join(dir, `part-${p}`), `${lines.join('\n')}\n`);
  }
}

/** The baseline: kafkajs sending the same records, in batches of 10,000, four batches in flight. */
async function producerBaseline(brokers: string[], topic: string): Promise<number> {
  const kafka = new Kafka({ clientId: 'df-bench', brokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  const start = process.hrtime.bigint();
  const BATCH = 10_000;
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < ROWS) {
        const from = next;
        next += BATCH;
        const messages = [];
        for (let i = from; i < Math.min(ROWS, from + BATCH); i++) messages.push({ value: line(i) });
        await producer.send({ topic, messages });
      }
    }),
  );
  const ms = msSince(start);
  await producer.disconnect();
  return ms;
}

/**
 * Stream back of 1,000,000 rows on the real stack: the streamBack workflow in the built worker
 * (its own process, for its RSS) exports the result to a file and has a FileStreamSource connector
 * send it to a topic, deleted once every record arrived. Baseline: a plain kafkajs producer sending
 * the same records to a topic of the same shape.
 */
export async function streamBackBench(): Promise<BenchResult> {
  const env = benchEnv();
  const store = await benchDb('bench_sb');
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'df-bench-sb-'));
  const resultDir = path.join(work, 'result');
  await writeResult(resultDir);
  const id = uniqueName('bench_sb');
  const topic = uniqueName('bench-sb-out');
  const baselineTopic = uniqueName('bench-sb-base');
  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const admin = new KafkaAdmin(brokers, PLAINTEXT_KAFKA, 'df-bench');
  const tasks = new TaskRepository(store.db);
  await tasks.insert(
    {
      id,
      taskSeq: '0',
      name: id,
      description: 'bench stream back',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorCategory: 'TRANSFORM',
      connectUid: id,
      status: 'FINISHED',
      connectorConfig: { stream_back_flag: 'true', stream_back_topic: topic },
      jobConfig: {
        flink_job_id: 'bench-job',
        result_columns: JSON.stringify([
          { name: 'n', type: 'BIGINT', nullable: true },
          { name: 'doubled', type: 'BIGINT', nullable: true },
          { name: 'label', type: 'STRING', nullable: true },
        ]),
      },
    },
    { workflowId: 'bench', runId: 'bench', type: 'bench' },
    new Date(),
  );
  const taskQueue = uniqueName('bench-sb');
  const worker = await startBenchService(
    {
      ...env,
      MONGO_DB: store.name,
      DF_TASK_QUEUE: taskQueue,
      DF_SYNC_INTERVAL: '0',
      DF_STARTUP_SYNC: 'false',
      DF_STREAMBACK_DIR: path.join(work, 'out'),
    },
    'worker-main',
  );
  const temporal = await connectTemporal({ address: env.TEMPORAL_ADDRESS }, env.TEMPORAL_NAMESPACE);
  const rss: number[] = [];
  try {
    await new Promise((r) => setTimeout(r, 3000)); // the worker connects and starts polling
    const before = worker.rssMb();
    const sampler = setInterval(() => rss.push(worker.rssMb()), 250);
    const start = process.hrtime.bigint();
    const result = (await temporal.client.workflow.execute(streamBack, {
      taskQueue,
      workflowId: `df-streamback-${id}-bench-job`,
      args: [{ id, jobId: 'bench-job', resultPath: `file://${resultDir}` }],
    })) as { status: string; rows: number; delivered: number };
    const dfMs = msSince(start);
    clearInterval(sampler);
    if (result.status !== 'FINISHED' || result.delivered !== ROWS)
      throw new Error(`stream back ended ${JSON.stringify(result)}`);
    await admin.ensureTopic(baselineTopic, 1, 1);
    const baseMs = await producerBaseline(brokers, baselineTopic);
    const dfRate = ROWS / (dfMs / 1000);
    const baseRate = ROWS / (baseMs / 1000);
    const growth = Math.max(...rss) - before;
    return {
      id: 'stream-back',
      title: 'Stream back of 1,000,000 rows',
      baseline:
        'a plain kafkajs producer sending the same records (batches of 10,000, 4 in flight) to a topic of the same shape',
      target: "≥ 50% of the producer's records/s; worker RSS growth ≤ 100 MB",
      met: dfRate >= baseRate * 0.5 && growth <= 100,
      figures: [
        ['rows', `${fmtCount(ROWS)} (${PARTS} part files)`],
        [
          'DF stream back',
          `${(dfMs / 1000).toFixed(1)} s = ${fmtCount(dfRate)} records/s (export, topic and schema, connector, delivery counted from end offsets, connector deleted)`,
        ],
        ['producer baseline', `${(baseMs / 1000).toFixed(1)} s = ${fmtCount(baseRate)} records/s`],
        ['DF / producer', `${((dfRate / baseRate) * 100).toFixed(0)}%`],
        [
          'worker RSS before / peak / growth',
          `${before.toFixed(0)} MB / ${Math.max(...rss).toFixed(0)} MB / ${growth.toFixed(0)} MB`,
        ],
      ],
      notes: [
        'Real Temporal, store, Kafka, Kafka Connect (FileStreamSource) and Schema Registry; the worker is node dist/src/worker-main.js. The workflow is started directly (as transformBatchWatch does when a batch job finishes), on a result directory written beforehand.',
      ],
    };
  } finally {
    await worker.stop();
    await temporal.close();
    await admin.deleteTopic(topic).catch(() => undefined);
    await admin.deleteTopic(baselineTopic).catch(() => undefined);
    await admin.close();
    await store.close();
    await fs.rm(work, { recursive: true, force: true });
  }
}
