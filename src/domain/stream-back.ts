import type { DescribedColumn } from './flink-sql';
import type { StringMap } from './task';

/**
 * Stream back: a finished batch transform's result set, exported to one JSON-lines file, sent to a
 * Kafka topic by a FileStreamSource connector that is deleted once every record has arrived.
 * Config keys are the original's: `stream_back_flag` ("true") and `stream_back_topic`.
 */

/** The topic a batch transform streams its result back to, or undefined when it does not. */
export function streamBackTopic(config: StringMap): string | undefined {
  return config.stream_back_flag === 'true' && config.stream_back_topic ? config.stream_back_topic : undefined;
}

/** The stream-back connector of a task: one per task, named as the original named its worker. */
export function streamBackConnectorName(taskId: string): string {
  return `${taskId}_streamback`;
}

/** Type of the stream-back connector's INTERNAL record (so imports and the sync know it as DF's). */
export const STREAM_BACK_CONNECTOR_TYPE = 'INTERNAL_STREAM_BACK';

export const STREAM_BACK_PHASES = [
  'exporting',
  'preparing',
  'delivering',
  'cleaning-up',
  'finished',
  'failed',
] as const;
export type StreamBackPhase = (typeof STREAM_BACK_PHASES)[number];

/** What the streamBack workflow's `progress` query answers (and GET /tr/:id/streamback). */
export interface StreamBackProgress {
  phase: StreamBackPhase;
  taskId: string;
  jobId: string;
  topic: string;
  connector: string;
  file?: string;
  exportedRows?: number;
  deliveredRows: number;
  startedAt: string;
  endedAt?: string;
  reason?: string;
}

/**
 * The FileStreamSource connector that sends the file: each line (a JSON object) as the record
 * value, unchanged. Each run reads a file of its own name, because Kafka Connect keeps a source's
 * offsets by file name even after the connector is deleted.
 *
 * `batchBytes` (> 0) asks for larger producer batches: Kafka Connect's worker producer sends one
 * request at a time per broker (max.in.flight.requests.per.connection=1, which keeps the order
 * and retries free of reordering), so with the producer's 16 KiB default a single-partition
 * topic takes about 300 small records per round trip, and the round trips bound the rate.
 * Nothing else changes: acks=all and the one request in flight stay as Connect sets them.
 */
export function streamBackConnectorConfig(file: string, topic: string, batchBytes = 0): StringMap {
  return {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    'tasks.max': '1',
    file,
    topic,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    ...(batchBytes > 0 ? { [PRODUCER_BATCH_SIZE]: String(batchBytes) } : {}),
  };
}

/** The client override the stream-back connector may carry (a worker's override policy may refuse it). */
export const PRODUCER_BATCH_SIZE = 'producer.override.batch.size';

/** The config without its client overrides: for a Kafka Connect whose override policy refuses them. */
export function withoutClientOverrides(config: StringMap): StringMap {
  return Object.fromEntries(
    Object.entries(config).filter(([key]) => !/^(producer|consumer|admin)\.override\./.test(key)),
  );
}

const JSON_TYPES: [RegExp, string][] = [
  [/^(TINYINT|SMALLINT|INT|INTEGER|BIGINT)\b/, 'integer'],
  [/^(FLOAT|DOUBLE|DECIMAL|NUMERIC|DEC)\b/, 'number'],
  [/^BOOLEAN\b/, 'boolean'],
  [/^(ARRAY|MULTISET)\b/, 'array'],
  [/^(MAP|ROW)\b/, 'object'],
];

/**
 * The JSON Schema of the records: one property per result column (Flink type → JSON type; strings,
 * times and anything else as string), nullable unless Flink says NOT NULL.
 */
export function jsonSchemaOfColumns(name: string, columns: DescribedColumn[]): object {
  const properties: Record<string, { type: string | string[] }> = {};
  const required: string[] = [];
  for (const c of columns) {
    const upper = c.type.toUpperCase();
    const type = JSON_TYPES.find(([re]) => re.test(upper))?.[1] ?? 'string';
    const notNull = !c.nullable || /NOT NULL/.test(upper);
    properties[c.name] = { type: notNull ? type : [type, 'null'] };
    if (notNull) required.push(c.name);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: name,
    type: 'object',
    properties,
    ...(required.length ? { required } : {}),
  };
}
