import { parseSqlScript, quoteIdent, singleQuery, withOptions } from './flink-sql';
import {
  flinkKafkaSecurityOptions,
  flinkRegistryOptions,
  type KafkaSecurity,
  type KafkaTlsMaterial,
  type RegistryAccess,
} from './kafka-security';
import type { StringMap } from './task';
import type { TransformFormat, TransformKind } from './transform-input';

/**
 * What DF asks the SQL Gateway to do for a SQL transform: session config, the statements that
 * declare its tables, the sink to declare from the query's result type, and the INSERTs that are
 * the job. Pure: built from the task's config and what the activities looked up.
 */
export interface SqlJobPlan {
  config: StringMap;
  declarations: string[];
  /** How many leading declarations declare the input topics (their columns are columns_in's or the registry's). */
  sourceTableCount: number;
  /** Declared after the declarations, with the columns DESCRIBE gives for `view`. */
  sink?: { view: string; table: string; options: StringMap };
  inserts: string[];
}

/** How Flink reaches Kafka and the registry (its own view of the network, which may differ from DF's). */
export interface FlinkDataEnv {
  kafkaBrokers: string;
  schemaRegistryUrl: string;
  /** Absent: plaintext Kafka. */
  kafka?: { security: KafkaSecurity; tls: KafkaTlsMaterial };
  /** Absent: an open registry. */
  registry?: RegistryAccess;
}

/** The connection options of every Kafka table DF declares: brokers, then the security they need. */
function kafkaConnection(env: FlinkDataEnv): StringMap {
  return {
    'properties.bootstrap.servers': env.kafkaBrokers,
    ...(env.kafka ? flinkKafkaSecurityOptions(env.kafka.security, env.kafka.tls) : {}),
  };
}

export interface PlanContext {
  taskId: string;
  env: FlinkDataEnv;
  /** Column list of each input topic: columns_in, or mapped from its registered schema. */
  sourceColumns: Record<string, string>;
  /** Batch only: where the result set goes (a directory URI Flink can write). */
  resultPath?: string;
}

export const RESULT_VIEW = '__df_result';
export const SINK_TABLE = '__df_sink';

/** Streaming jobs checkpoint so Kafka offsets are committed and a stop's savepoint is cheap. */
const STREAMING: StringMap = { 'execution.runtime-mode': 'streaming', 'execution.checkpointing.interval': '10 s' };
const BATCH: StringMap = { 'execution.runtime-mode': 'batch' };

function formatOptions(format: TransformFormat, env: FlinkDataEnv): StringMap {
  return format === 'json'
    ? { format: 'json', 'json.fail-on-missing-field': 'false' }
    : { format: 'avro-confluent', 'avro-confluent.url': env.schemaRegistryUrl, ...flinkRegistryOptions(env.registry) };
}

export function topicsOf(config: StringMap): string[] {
  return (config.topic_in ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

function sourceTables(config: StringMap, ctx: PlanContext, bounded: boolean): string[] {
  const format = (config.format ?? 'avro-confluent') as TransformFormat;
  return topicsOf(config).map((topic) => {
    const options: StringMap = {
      connector: 'kafka',
      topic,
      ...kafkaConnection(ctx.env),
      ...(bounded
        ? { 'scan.startup.mode': 'earliest-offset', 'scan.bounded.mode': 'latest-offset' }
        : // A restarted or upgraded job continues where the group left off; a new group reads from the start.
          {
            'properties.group.id': config.group_id ?? `df-${ctx.taskId}`,
            'scan.startup.mode': 'group-offsets',
            'properties.auto.offset.reset': 'earliest',
          }),
      ...formatOptions(format, ctx.env),
    };
    return `CREATE TEMPORARY TABLE ${quoteIdent(topic)} (${ctx.sourceColumns[topic]}) WITH (${withOptions(options)})`;
  });
}

const INSERT_RESULT = `INSERT INTO ${quoteIdent(SINK_TABLE)} SELECT * FROM ${quoteIdent(RESULT_VIEW)}`;

export function planSqlJob(kind: TransformKind, config: StringMap, ctx: PlanContext): SqlJobPlan {
  switch (kind) {
    case 'TRANSFORM_EXCHANGE_FLINK_SQLA2A': {
      const query = singleQuery(config.trans_sql, 'connectorConfig.trans_sql');
      const format = (config.format ?? 'avro-confluent') as TransformFormat;
      const sources = sourceTables(config, ctx, false);
      return {
        config: STREAMING,
        declarations: [...sources, `CREATE TEMPORARY VIEW ${quoteIdent(RESULT_VIEW)} AS ${query}`],
        sourceTableCount: sources.length,
        sink: {
          view: RESULT_VIEW,
          table: SINK_TABLE,
          options: {
            connector: 'kafka',
            topic: config.topic_out,
            ...kafkaConnection(ctx.env),
            'sink.delivery-guarantee': 'at-least-once',
            ...formatOptions(format, ctx.env),
          },
        },
        inserts: [INSERT_RESULT],
      };
    }
    case 'TRANSFORM_BATCH_FLINK_SQL': {
      const query = singleQuery(config.trans_sql, 'connectorConfig.trans_sql');
      if (!ctx.resultPath) throw new Error('a batch plan needs the result path');
      const sources = sourceTables(config, ctx, true);
      return {
        config: BATCH,
        declarations: [...sources, `CREATE TEMPORARY VIEW ${quoteIdent(RESULT_VIEW)} AS ${query}`],
        sourceTableCount: sources.length,
        sink: {
          view: RESULT_VIEW,
          table: SINK_TABLE,
          options: { connector: 'filesystem', path: ctx.resultPath, format: 'json' },
        },
        inserts: [INSERT_RESULT],
      };
    }
    case 'TRANSFORM_EXCHANGE_FLINK_SQL': {
      const script = parseSqlScript(config.trans_sql, 'connectorConfig.trans_sql');
      return { config: STREAMING, declarations: script.declarations, sourceTableCount: 0, inserts: script.inserts };
    }
    default:
      throw new Error(`${kind} is not a SQL transform`);
  }
}
