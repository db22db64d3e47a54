import type { RowShape } from './list-sort';
import type { StringMap } from './task';

/**
 * Processing metadata: one record per file a DF file connector reads, "Start" when it picks the
 * file up and "End" when it has sent it all, on topic df_meta. The metadata sink connector copies
 * the records into collection df_meta; GET /hist sums them up per (task, file).
 */

/** The df_meta record, as the original registered it (Avro, subject = topic name). */
export const METADATA_SCHEMA = {
  type: 'record',
  name: 'df_meta',
  namespace: 'com.datafibers',
  fields: [
    { name: 'cuid', type: 'string' },
    { name: 'file_name', type: 'string' },
    { name: 'file_size', type: 'long' },
    { name: 'file_owner', type: 'string' },
    { name: 'last_modified_timestamp', type: 'string' },
    { name: 'current_timestamp', type: 'string' },
    { name: 'current_timemillis', type: 'long' },
    { name: 'stream_offset', type: 'string' },
    { name: 'topic_sent', type: 'string' },
    { name: 'schema_subject', type: 'string' },
    { name: 'schema_version', type: 'string' },
    { name: 'status', type: 'string' },
  ],
} as const;

/**
 * The sink connector's config: JSON records (no embedded schema) from the topic into the
 * collection. The original used a long-gone community Mongo sink; this is MongoDB's official one.
 */
export function metadataSinkConfig(settings: {
  topic: string;
  mongoUrl: string;
  database: string;
  collection: string;
}): StringMap {
  return {
    'connector.class': 'com.mongodb.kafka.connect.MongoSinkConnector',
    'tasks.max': '1',
    topics: settings.topic,
    'connection.uri': settings.mongoUrl,
    database: settings.database,
    collection: settings.collection,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
  };
}

/** A df_meta record as stored (every field optional: producers are not DF's to police). */
export interface MetaRecord {
  cuid?: string;
  file_name?: string;
  file_size?: number | string;
  file_owner?: string;
  last_modified_timestamp?: string;
  current_timemillis?: number | string;
  topic_sent?: string;
  schema_subject?: string;
  schema_version?: string | number;
  status?: string;
}

/** One row of GET /hist: a file one task processed. */
export interface HistRow {
  id: string;
  cuid: string;
  file_name: string;
  file_size?: number;
  file_owner?: string;
  topic_sent?: string;
  schema_subject?: string;
  schema_version?: string;
  last_modified_timestamp?: string;
  start_time?: number;
  end_time?: number;
  /** end_time − start_time; absent until both ends are known. */
  process_milliseconds?: number;
  /** The latest record's status: "End" once the file is sent, "Start" while it is under way. */
  status?: string;
  records: number;
}

/** The fields of a GET /hist row: what `_sort` takes. */
export const HIST_ROW_SHAPE: RowShape = {
  fields: [
    'id',
    'cuid',
    'file_name',
    'file_size',
    'file_owner',
    'topic_sent',
    'schema_subject',
    'schema_version',
    'last_modified_timestamp',
    'start_time',
    'end_time',
    'process_milliseconds',
    'status',
    'records',
  ],
};

const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/**
 * Groups records by (cuid, file_name) in code: the store's aggregation (FerretDB) has no $min/$max
 * over groups, and the original's aggregate command no longer exists on modern MongoDB.
 */
export function processingHistory(records: MetaRecord[]): HistRow[] {
  const rows = new Map<string, HistRow & { latestAt: number }>();
  for (const r of records) {
    if (!r.cuid || !r.file_name) continue;
    const id = `${r.cuid}${r.file_name}`;
    const at = num(r.current_timemillis);
    let row = rows.get(id);
    if (!row) {
      row = { id, cuid: r.cuid, file_name: r.file_name, records: 0, latestAt: -Infinity };
      rows.set(id, row);
    }
    row.records += 1;
    const size = num(r.file_size);
    if (row.file_size === undefined && size !== undefined) row.file_size = size;
    for (const key of ['file_owner', 'topic_sent', 'schema_subject', 'last_modified_timestamp'] as const) {
      if (row[key] === undefined && r[key] !== undefined) row[key] = String(r[key]);
    }
    if (row.schema_version === undefined && r.schema_version !== undefined)
      row.schema_version = String(r.schema_version);
    if (at !== undefined) {
      row.start_time = Math.min(row.start_time ?? at, at);
      row.end_time = Math.max(row.end_time ?? at, at);
    }
    if ((at ?? -Infinity) >= row.latestAt && r.status !== undefined) {
      row.status = r.status;
      row.latestAt = at ?? row.latestAt;
    }
  }
  return [...rows.values()].map(({ latestAt: _latest, ...row }) => ({
    ...row,
    ...(row.start_time !== undefined && row.end_time !== undefined && row.end_time > row.start_time
      ? { process_milliseconds: row.end_time - row.start_time }
      : {}),
  }));
}
