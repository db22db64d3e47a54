import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { Context } from '@temporalio/activity';
import type { StreamBackSettings } from '../src/config';
import { DfError } from '../src/domain/errors';
import type { DescribedColumn } from '../src/domain/flink-sql';
import { dfStatusOfConnect, StatusReading } from '../src/domain/status';
import {
  jsonSchemaOfColumns,
  STREAM_BACK_CONNECTOR_TYPE,
  streamBackConnectorConfig,
  streamBackConnectorName,
  streamBackTopic,
  withoutClientOverrides,
} from '../src/domain/stream-back';
import type { StringMap } from '../src/domain/task';
import type { KafkaAdmin } from '../src/ras/kafka';
import type { KafkaConnectClient } from '../src/ras/kafka-connect';
import type { SchemaRegistryClient } from '../src/ras/schema-registry';
import type { TaskRepository } from '../src/repository/task-repository';
import { currentOperation } from './calling-workflow';

export interface StreamBackDeps {
  tasks: TaskRepository;
  kafkaConnect: KafkaConnectClient;
  kafka: KafkaAdmin;
  schemaRegistry: SchemaRegistryClient;
  streamBackSettings: StreamBackSettings;
}

export interface StreamBackPlan {
  topic: string;
  columns: DescribedColumn[];
  stallTimeoutMs: number;
}

export interface ExportedFile {
  file: string;
  rows: number;
  bytes: number;
}

export interface DeliveryReading {
  /** Records the topic has taken since the connector was created. */
  delivered: number;
  connector: StatusReading & { exists: boolean; failed: boolean };
  fileExists: boolean;
}

/** How often a delivery watch reads the topic's end offsets. */
const WATCH_INTERVAL_MS = 100;

/** A refusal of Kafka Connect's connector.client.config.override.policy (its own wording). */
const OVERRIDE_REFUSED = /policy does not allow '[^']+' to be overridden/;

/** Counts lines while passing bytes through, and ends each file with a newline. */
function lineCounter(): Transform & { lines: () => number; bytes: () => number; endsWithNewline: () => boolean } {
  let lines = 0;
  let bytes = 0;
  let last = 0x0a;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      // indexOf scans natively; a byte-by-byte loop made counting a large result cost more than copying it.
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines++;
      bytes += chunk.length;
      if (chunk.length > 0) last = chunk[chunk.length - 1];
      done(null, chunk);
    },
  });
  return Object.assign(counter, { lines: () => lines, bytes: () => bytes, endsWithNewline: () => last === 0x0a });
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}

/** The committed part files of a Flink filesystem sink, in a stable order (in-progress and hidden files skipped). */
async function partFiles(dir: string): Promise<string[]> {
  const names = await fs.readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT')
      throw new DfError('NOT_FOUND', `the batch result ${dir} is gone`, { details: { resultPath: dir } });
    throw error;
  });
  return names
    .filter((n) => !n.startsWith('.') && !n.startsWith('_'))
    .sort()
    .map((n) => path.join(dir, n));
}

async function countLines(file: string): Promise<ExportedFile> {
  const counter = lineCounter();
  await pipeline(createReadStream(file), counter, async function* drain(source) {
    for await (const _chunk of source) {
      /* counted on the way */
    }
  });
  return { file, rows: counter.lines(), bytes: counter.bytes() };
}

export function createStreamBackActivities({
  tasks,
  kafkaConnect,
  kafka,
  schemaRegistry,
  streamBackSettings,
}: StreamBackDeps) {
  /** How far delivery has come, and whether the connector and the file are still fit to finish it. */
  async function readDelivery(taskId: string, topic: string, baseline: number, file: string): Promise<DeliveryReading> {
    const connector = streamBackConnectorName(taskId);
    const [count, report, fileExists] = await Promise.all([
      kafka.endOffsetSum(topic),
      kafkaConnect.status(connector),
      exists(file),
    ]);
    if (!report) {
      // A connector just created has its config before Kafka Connect reports a status for it.
      const configured = (await kafkaConnect.getConnector(connector)) !== undefined;
      const reading = configured
        ? { status: 'UNASSIGNED' as const, reason: 'no status reported yet' }
        : { status: 'LOST' as const, reason: 'Kafka Connect has no stream-back connector' };
      return {
        delivered: count - baseline,
        connector: { ...reading, exists: configured, failed: false },
        fileExists,
      };
    }
    const reading = dfStatusOfConnect(report);
    const failed = reading.status === 'FAILED' || (report.tasks ?? []).some((t) => t.state.toUpperCase() === 'FAILED');
    return { delivered: count - baseline, connector: { ...reading, exists: true, failed }, fileExists };
  }

  return {
    /** What the task streams back to, read from its config now (an update may have changed it). */
    async planStreamBack(taskId: string): Promise<StreamBackPlan> {
      const task = await tasks.require(taskId);
      const topic = streamBackTopic(task.connectorConfig);
      if (!topic)
        throw new DfError(
          'VALIDATION_FAILED',
          `transform ${taskId} does not stream back (stream_back_flag is not true)`,
          { details: { id: taskId } },
        );
      const columns = JSON.parse(task.jobConfig?.result_columns ?? '[]') as DescribedColumn[];
      return { topic, columns, stallTimeoutMs: streamBackSettings.stallTimeoutMs };
    },

    /**
     * Concatenates the batch job's result files into one JSON-lines file, streaming (never the
     * whole result in memory). Written under a temporary name and renamed when complete, so a file
     * with the final name is always whole: a retry finds it and only counts it.
     */
    async exportStreamBackFile(taskId: string, jobId: string, resultPath: string): Promise<ExportedFile> {
      const target = path.join(streamBackSettings.dir, taskId, `${jobId}.json`);
      if (await exists(target)) return countLines(target);
      await fs.mkdir(path.dirname(target), { recursive: true });
      const temporary = `${target}.partial`;
      const out = createWriteStream(temporary);
      let rows = 0;
      let bytes = 0;
      try {
        for (const part of await partFiles(resultPath.startsWith('file:') ? fileURLToPath(resultPath) : resultPath)) {
          const counter = lineCounter();
          await pipeline(createReadStream(part), counter, out, { end: false });
          rows += counter.lines();
          bytes += counter.bytes();
          if (counter.bytes() > 0 && !counter.endsWithNewline()) {
            out.write('\n');
            rows += 1;
            bytes += 1;
          }
        }
      } finally {
        await new Promise<void>((resolve, reject) =>
          out.end((error?: Error | null) => (error ? reject(error) : resolve())),
        );
      }
      await fs.rename(temporary, target);
      return { file: target, rows, bytes };
    },

    /** The topic exists and its value subject has a JSON Schema of the result's columns (registered only if missing). */
    async prepareStreamBackTopic(
      topic: string,
      columns: DescribedColumn[],
    ): Promise<{ topicCreated: boolean; schemaRegistered: boolean }> {
      const { created } = await kafka.ensureTopic(topic, 1);
      const subject = `${topic}-value`;
      if (await schemaRegistry.version(subject)) return { topicCreated: created, schemaRegistered: false };
      await schemaRegistry.register(subject, JSON.stringify(jsonSchemaOfColumns(topic, columns)), 'JSON');
      return { topicCreated: created, schemaRegistered: true };
    },

    /** Records the topic has taken so far (all partitions): the baseline delivery is counted from. */
    async topicRecordCount(topic: string): Promise<number> {
      return kafka.endOffsetSum(topic);
    },

    /**
     * Creates (or finds) the task's stream-back connector and records it as DF's INTERNAL task, so
     * an import never mistakes it for a stranger. PUT is Kafka Connect's upsert: a retry never
     * makes a second connector.
     */
    async createStreamBackConnector(taskId: string, file: string, topic: string): Promise<{ connector: string }> {
      const connector = streamBackConnectorName(taskId);
      let config: StringMap = streamBackConnectorConfig(file, topic, streamBackSettings.batchBytes);
      try {
        await kafkaConnect.putConnectorConfig(connector, config);
      } catch (error) {
        // A worker whose override policy refuses client overrides sends with its own producer settings.
        if (!OVERRIDE_REFUSED.test((error as Error).message)) throw error;
        config = withoutClientOverrides(config);
        await kafkaConnect.putConnectorConfig(connector, config);
      }
      if (!(await tasks.get(connector))) {
        await tasks.insertUnlessTaken(
          {
            id: connector,
            taskSeq: '0',
            name: connector,
            description: `Stream back of transform ${taskId}: ${path.basename(file)} → ${topic}`,
            connectorType: STREAM_BACK_CONNECTOR_TYPE,
            connectorCategory: 'INTERNAL',
            connectUid: connector,
            status: 'UNASSIGNED',
            connectorConfig: { ...config, name: connector },
            jobConfig: { stream_back_of: taskId },
          },
          currentOperation(),
          new Date(),
        );
      }
      return { connector };
    },

    /** How far delivery has come, and whether the connector and the file are still fit to finish it. */
    readDelivery,

    /**
     * readDelivery after watching: reads the topic's end offsets every 100 ms for up to `windowMs`
     * (heartbeating, so a lost worker's watch is retried within the heartbeat timeout), and
     * returns as soon as every row is there or the file is gone, so the last record is seen
     * within about 100 ms of its arrival instead of at the next durable timer.
     */
    async watchDelivery(
      taskId: string,
      topic: string,
      baseline: number,
      file: string,
      rows: number,
      windowMs: number,
    ): Promise<DeliveryReading> {
      const started = Date.now();
      while (Date.now() - started + WATCH_INTERVAL_MS < windowMs) {
        const count = await kafka.endOffsetSum(topic);
        Context.current().heartbeat(count - baseline);
        if (count - baseline >= rows || !(await exists(file))) break;
        await new Promise((resolve) => setTimeout(resolve, WATCH_INTERVAL_MS));
      }
      return readDelivery(taskId, topic, baseline, file);
    },

    /** Deletes the stream-back connector and its record; both already gone is fine (a retry). */
    async deleteStreamBackConnector(taskId: string): Promise<{ deleted: boolean }> {
      const connector = streamBackConnectorName(taskId);
      const deleted = await kafkaConnect.deleteConnector(connector);
      await tasks.remove(connector);
      return { deleted };
    },

    /** Adds the stream back's figures to the task's job record, if the task still runs that job. */
    async recordStreamBackResult(taskId: string, jobId: string, fields: StringMap): Promise<{ recorded: boolean }> {
      const task = await tasks.get(taskId);
      if (!task || task.jobConfig?.flink_job_id !== jobId) return { recorded: false };
      await tasks.recordJob(taskId, { ...task.jobConfig, ...fields }, new Date());
      return { recorded: true };
    },
  };
}

export type StreamBackActivities = ReturnType<typeof createStreamBackActivities>;
