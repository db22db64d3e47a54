import { FLINK_JOB_STATES } from './flink-status';
import { DF_STATUSES, type DfStatus } from './status';
import type { StringMap, TaskCategory } from './task';

/**
 * Records the original DataFibers service wrote into df_processor, and how DF reads them: its
 * type names, its status words, its "_"-for-"." connector keys, and the bookkeeping it never kept
 * (times, revision). Pure rules; the repository applies them to stored documents.
 */

/**
 * Type names the original used that DF runs as another type: the 2017 names (renamed by the
 * original itself in 2018) and the 2018 Flink names DF runs as other kinds. A task keeps the name
 * it was created or stored with (the original UI shows it); only what runs follows this map.
 * Names not listed run as themselves (a Spark or Hive transform is never run by DF).
 */
export const ORIGINAL_TYPE_NAMES: Readonly<Record<string, string>> = {
  CONNECT_KAFKA_SOURCE: 'CONNECT_SOURCE_KAFKA_FlatFile',
  CONNECT_KAFKA_SOURCE_AVRO: 'CONNECT_SOURCE_KAFKA_AvroFile',
  CONNECT_KAFKA_SINK: 'CONNECT_SINK_KAFKA_FlatFile',
  CONNECT_KAFKA_HDFS_SOURCE: 'CONNECT_SOURCE_HDFS_AvroFile',
  CONNECT_KAFKA_HDFS_SINK: 'CONNECT_SINK_HDFS_AvroFile',
  CONNECT_MONGODB_SOURCE: 'CONNECT_SOURCE_MONGODB_AvroDB',
  CONNECT_MONGODB_SINK: 'CONNECT_SINK_MONGODB_AvroDB',
  // The 2017 SQL transforms all read topic_in, wrote topic_out and ran trans_sql: DF's SQLA2A.
  TRANSFORM_FLINK_SQL_GENE: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
  TRANSFORM_FLINK_SQL_A2A: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
  TRANSFORM_FLINK_SQL_A2J: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
  TRANSFORM_FLINK_SQL_J2J: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
  TRANSFORM_FLINK_SCRIPT: 'TRANSFORM_EXCHANGE_FLINK_SQL',
  TRANSFORM_FLINK_UDF: 'TRANSFORM_EXCHANGE_FLINK_JAR',
  TRANSFORM_EXCHANGE_FLINK_Script: 'TRANSFORM_EXCHANGE_FLINK_SQL',
  TRANSFORM_EXCHANGE_FLINK_UDF: 'TRANSFORM_EXCHANGE_FLINK_JAR',
};

/** The DF type an original type name runs as. */
export function dfTypeOfOriginal(connectorType: string): string {
  return ORIGINAL_TYPE_NAMES[connectorType] ?? connectorType;
}

/**
 * Words the original stored as a status that are not DF statuses: the action verbs its PUT /ps
 * persisted (read as what they asked for), and Flink's raw job states it passed through (read as
 * DF reads them from Flink). The next status sync reads the engine and replaces any of them.
 */
const ORIGINAL_STATUS_WORDS: Readonly<Record<string, DfStatus>> = {
  ...FLINK_JOB_STATES,
  PAUSE: 'PAUSED',
  RESUME: 'RUNNING',
  RESTART: 'RUNNING',
};

/** A stored status as DF reads it; a word DF does not know becomes NONE, with the word as the reason. */
export function dfStatusOfOriginal(stored: string | undefined): { status: DfStatus; reason?: string } {
  if (stored === undefined || stored === '') return { status: 'NONE', reason: 'no status recorded' };
  const upper = stored.trim().toUpperCase();
  if ((DF_STATUSES as readonly string[]).includes(upper)) {
    return upper === stored
      ? { status: upper as DfStatus }
      : { status: upper as DfStatus, reason: `recorded as "${stored}"` };
  }
  const mapped = ORIGINAL_STATUS_WORDS[upper];
  return { status: mapped ?? 'NONE', reason: `recorded as "${stored}"` };
}

/**
 * A connector config as the original stored it ("_" for every "."), with Kafka Connect's keys: the
 * original sent every key with each "_" turned into "." (so that is what the connector runs), and a
 * key that already has a "." was never touched by it.
 */
export function connectKeysOfOriginal(config: StringMap): StringMap {
  const out: StringMap = {};
  for (const [key, value] of Object.entries(config)) {
    const dotted = key.includes('.') ? key : key.replace(/_/g, '.');
    if (dotted !== key && dotted in config) continue; // both spellings: the dotted one is Connect's
    out[dotted] = value;
  }
  return out;
}

/** Whether a category's configs are Kafka Connect's (their keys were stored with "_" for "."). */
export function isConnectCategory(category: TaskCategory): boolean {
  return category === 'CONNECT' || category === 'INTERNAL';
}

/**
 * When the original created a record, as far as it can be told: an id it generated is a MongoDB
 * ObjectId, whose first 8 hex digits are the creation second; any other id tells nothing, and the
 * record reads as made at the epoch (older than anything DF wrote).
 */
export function createdAtOfOriginal(id: string): string {
  if (/^[0-9a-f]{24}$/i.test(id)) return new Date(parseInt(id.slice(0, 8), 16) * 1000).toISOString();
  return new Date(0).toISOString();
}

/** A value the original held as a string: numbers and booleans become their text; anything else is no string. */
export function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * A config map as the original held it (string to string), from what is stored: scalar values
 * become strings, nested values their JSON text (the original coerced them so). undefined when
 * the value is no map at all.
 */
export function stringMapOf(value: unknown): StringMap | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date) return undefined;
  const out: StringMap = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    out[k] = stringOf(v) ?? JSON.stringify(v);
  }
  return out;
}

/** What an upgrade of one original record changes, in words, for the drift report. */
export function upgradeChanges(
  stored: {
    connectorType: string;
    connectorCategory?: string;
    status?: string;
    connectKeysRenamed: number;
    timesAdded: boolean;
  },
  read: { connectorType: string; connectorCategory: TaskCategory; status: DfStatus },
): string[] {
  const changes: string[] = [];
  if (stored.connectorType !== read.connectorType)
    changes.push(`connectorType ${stored.connectorType} -> ${read.connectorType}`);
  if (stored.connectorCategory !== read.connectorCategory)
    changes.push(`connectorCategory ${stored.connectorCategory ?? '(none)'} -> ${read.connectorCategory}`);
  if (stored.status !== read.status) changes.push(`status ${stored.status ?? '(none)'} -> ${read.status}`);
  if (stored.connectKeysRenamed > 0)
    changes.push(`${stored.connectKeysRenamed} connectorConfig key(s) spelled with "." as Kafka Connect runs them`);
  if (stored.timesAdded) changes.push('createdAt, updatedAt, statusAt and revision added');
  return changes;
}

/** A stored document that cannot be read as a task at all: which one, and what is wrong with it. */
export interface UnreadableRecord {
  /** Its `_id` (JSON text when it is not a string). */
  id: string;
  problems: string[];
}

/**
 * What an upgrade of the store did: the original's records it brought to DF's shape (what changed
 * of each), the records whose secrets it sealed, and what could not be read.
 */
export interface StoreUpgrade {
  upgraded: { id: string; changes: string[] }[];
  /** Records that held secret config values in clear, now sealed. */
  sealed: string[];
  unreadable: UnreadableRecord[];
}
