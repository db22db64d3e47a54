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
import { BenchResult, withChecks } from './support/report';
import { startBenchService } from './support/service';
import { fmtCount, fmtMs, msSince } from './support/stats';
import { kafkaProducerPerfTest } from './support/java-producer';
import { streamBack } from '../workflows/stream-back';
import type { temporal as proto } from '@temporalio/proto';

const ROWS = Number(process.env.BENCH_STREAMBACK_ROWS ?? 1_000_000);
const PARTS = 4;

function line(i: number): string {
  return `{"n":${i},"doubled":${i * 2},"label":"row ${i}"}`;
}

/**
 * A batch result as Flink's filesystem sink leaves it: a directory of JSON-lines part files; and
 * the same lines in one file, the Java producer's payloads.
 */
async function writeResult(dir: string, payloadFile: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(payloadFile, '');
  const per = Math.ceil(ROWS / PARTS);
  for (let p = 0; p < PARTS; p++) {
    const lines: string[] = [];
    for (let i = p * per; i < Math.min(ROWS, (p + 1) * per); i++) lines.push(line(i));
    await fs.writeFile(path.join(dir, `part-${p}`), `${lines.join('\n')}\n`);
    await fs.appendFile(payloadFile, `${lines.join('\n')}\n`);
  }
}

/** Kafka Connect's worker producer settings that the baseline shares (its default acks; the stack's worker sets no producer.acks). */
const CONNECT_PRODUCER_ACKS = 'all';

/** When the topic first had a record and when it had them all, read every 100 ms while DF runs. */
function watchTopic(admin: KafkaAdmin, topic: string): { stop(): void; first?: number; last?: number } {
  const seen: { stop(): void; first?: number; last?: number } = { stop: () => clearInterval(timer) };
  let reading = false;
  const timer = setInterval(() => {
    if (reading || seen.last) return;
    reading = true;
    admin
      .describePartitions(topic) // undefined before DF makes the topic
      .then((partitions) => {
        const n = (partitions ?? []).reduce((sum, p) => sum + p.latestOffset, 0);
        const now = Date.now();
        if (n > 0) seen.first ??= now;
        if (n >= ROWS) seen.last ??= now;
      })
      .catch(() => undefined)
      .finally(() => (reading = false));
  }, 100);
  return seen;
}

type History = proto.api.history.v1.IHistory;

function millisOf(t: proto.api.history.v1.IHistoryEvent['eventTime']): number {
  return Number(t?.seconds ?? 0) * 1000 + Math.round((t?.nanos ?? 0) / 1e6);
}

/** Each activity of the run: its type, when it was scheduled and when it completed (wall clock, ms). */
function activitySpans(history: History): { type: string; scheduled: number; completed: number }[] {
  const spans = new Map<string, { type: string; scheduled: number; completed: number }>();
  for (const e of history.events ?? []) {
    const scheduled = e.activityTaskScheduledEventAttributes;
    if (scheduled)
      spans.set(String(e.eventId), {
        type: scheduled.activityType?.name ?? '?',
        scheduled: millisOf(e.eventTime),
        completed: Number.NaN,
      });
    const done = e.activityTaskCompletedEventAttributes;
    const span = done && spans.get(String(done.scheduledEventId));
    if (span) span.completed = millisOf(e.eventTime);
  }
  return [...spans.values()];
}

/** For the record: kafkajs sending the same records, in batches of 10,000, four batches in flight. */
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
  const payloadFile = path.join(work, 'payload.json');
  await writeResult(resultDir, payloadFile);
  const id = uniqueName('bench_sb');
  const topic = uniqueName('bench-sb-out');
  const baselineTopic = uniqueName('bench-sb-base');
  const javaTopic = uniqueName('bench-sb-java');
  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const admin = new KafkaAdmin(brokers, PLAINTEXT_KAFKA, 'df-bench');
  const watcher = new KafkaAdmin(brokers, PLAINTEXT_KAFKA, 'df-bench-watch');
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
    const workflowId = `df-streamback-${id}-bench-job`;
    const topicSeen = watchTopic(watcher, topic);
    const startedAt = Date.now();
    const start = process.hrtime.bigint();
    const result = (await temporal.client.workflow.execute(streamBack, {
      taskQueue,
      workflowId,
      args: [{ id, jobId: 'bench-job', resultPath: `file://${resultDir}` }],
    })) as { status: string; rows: number; delivered: number };
    const dfMs = msSince(start);
    const endedAt = Date.now();
    clearInterval(sampler);
    topicSeen.stop();
    if (result.status !== 'FINISHED' || result.delivered !== ROWS)
      throw new Error(`stream back ended ${JSON.stringify(result)}`);
    const spans = activitySpans(await temporal.client.workflow.getHandle(workflowId).fetchHistory());
    const span = (type: string) => spans.find((a) => a.type === type);
    const exported = span('exportStreamBackFile');
    const created = span('createStreamBackConnector');
    const readings = spans.filter((a) => a.type === 'watchDelivery' || a.type === 'readDelivery');
    const lastReading = readings[readings.length - 1];
    const first = topicSeen.first ?? Number.NaN;
    const last = topicSeen.last ?? Number.NaN;
    const phases: [string, number][] = [
      ['plan, STREAMING', (exported?.scheduled ?? NaN) - startedAt],
      ['export', (exported?.completed ?? NaN) - (exported?.scheduled ?? NaN)],
      ['topic, schema, baseline', (created?.scheduled ?? NaN) - (exported?.completed ?? NaN)],
      ['connector put', (created?.completed ?? NaN) - (created?.scheduled ?? NaN)],
      ['until the first record', first - (created?.completed ?? NaN)],
      ['first to last record', last - first],
      ['last record seen by DF', (lastReading?.completed ?? NaN) - last],
      ['connector deleted, FINISHED', endedAt - (lastReading?.completed ?? NaN)],
    ];
    const connectRate = ROWS / ((last - first) / 1000);

    await admin.ensureTopic(javaTopic, 1, 1);
    const java = await kafkaProducerPerfTest({
      brokers,
      topic: javaTopic,
      records: ROWS,
      payloadFile,
      props: { acks: CONNECT_PRODUCER_ACKS },
    });
    await admin.ensureTopic(baselineTopic, 1, 1);
    const baseMs = await producerBaseline(brokers, baselineTopic);
    const dfRate = ROWS / (dfMs / 1000);
    const baseRate = ROWS / (baseMs / 1000);
    const growth = Math.max(...rss) - before;
    return withChecks(
      {
        id: 'stream-back',
        title: 'Stream back of 1,000,000 rows',
        baseline: `Kafka's own Java producer (kafka-producer-perf-test's ProducerPerformance from the stack's Kafka, acks=${CONNECT_PRODUCER_ACKS} as Kafka Connect's worker producer, the same records, count and broker, a topic of the same shape)`,
        target: "≥ 50% of the Java producer's records/s; worker RSS growth ≤ 100 MB",
        figures: [
          ['rows', `${fmtCount(ROWS)} (${PARTS} part files)`],
          [
            'DF stream back',
            `${(dfMs / 1000).toFixed(1)} s = ${fmtCount(dfRate)} records/s (export, topic and schema, connector, delivery counted from end offsets, connector deleted)`,
          ],
          ['Java producer (baseline)', `${fmtCount(java.recordsPerSec)} records/s (${java.summary})`],
          ['DF / Java producer', `${((dfRate / java.recordsPerSec) * 100).toFixed(0)}%`],
          [
            'kafkajs producer (for the record)',
            `${(baseMs / 1000).toFixed(1)} s = ${fmtCount(baseRate)} records/s (batches of 10,000, 4 in flight); DF ${((dfRate / baseRate) * 100).toFixed(0)}% of it`,
          ],
          ["where DF's time goes", phases.map(([what, ms]) => `${what} ${fmtMs(ms)}`).join('; ')],
          [
            'Kafka Connect sending',
            `${fmtCount(connectRate)} records/s from the first record on the topic to the last (read every 100 ms); ${readings.length} delivery readings (watches of up to 1 s)`,
          ],
          [
            'worker RSS before / peak / growth',
            `${before.toFixed(0)} MB / ${Math.max(...rss).toFixed(0)} MB / ${growth.toFixed(0)} MB`,
          ],
        ],
        notes: [
          'Real Temporal, store, Kafka, Kafka Connect (FileStreamSource) and Schema Registry; the worker is node dist/src/worker-main.js. The workflow is started directly (as transformBatchWatch does when a batch job finishes), on a result directory written beforehand.',
          "The Java producer draws its records from the same lines (`--payload-file`) and runs after DF; its rate is its own summary line's (from its first send, without the JVM's start). The phases come from the run's Temporal history and the topic's end offsets read every 100 ms.",
        ],
      },
      [
        {
          target: "DF ≥ 50% of the Java producer's records/s",
          measured: `${fmtCount(dfRate)} against ${fmtCount(java.recordsPerSec)} records/s = ${((dfRate / java.recordsPerSec) * 100).toFixed(0)}%`,
          met: dfRate >= java.recordsPerSec * 0.5,
        },
        {
          target: 'worker RSS growth ≤ 100 MB',
          measured: `${growth.toFixed(0)} MB`,
          met: growth <= 100,
        },
      ],
    );
  } finally {
    await worker.stop();
    await temporal.close();
    await admin.deleteTopic(topic).catch(() => undefined);
    await admin.deleteTopic(baselineTopic).catch(() => undefined);
    await admin.deleteTopic(javaTopic).catch(() => undefined);
    await admin.close();
    await watcher.close();
    await store.close();
    await fs.rm(work, { recursive: true, force: true });
  }
}
