/**
 * The recent log lines DF keeps in its store (df_log) for GET /logs and /logs/:id: which lines are
 * kept, what a kept line holds, and the bounded queue lines wait in until they are written.
 */
import type { RowShape } from './list-sort';

/** The levels kept, with pino's numbers; below info nothing is kept. */
export const KEPT_LEVELS = { info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type KeptLevel = keyof typeof KEPT_LEVELS;
/** As the original service's rows spelled them (log4j). */
export type LogRowLevel = 'INFO' | 'WARN' | 'ERROR' | 'FATAL';

/** Which part of DF wrote a line: the API, the worker, or a process that runs both (`npm start`). */
export type ProcessRole = 'api' | 'worker' | 'api+worker';

/** The process whose lines a log store keeps. */
export interface LogProcess {
  role: ProcessRole;
  host: string;
  pid: number;
}

/** A kept message and its other fields are capped: a line is a hint, the full one is on stderr. */
export const MAX_MESSAGE_CHARS = 2000;
export const MAX_FIELDS_CHARS = 4000;

/** One kept line as the store holds it (its _id, an ObjectId, is added on insert). */
export interface LogLineDoc {
  taskId: string;
  level: LogRowLevel;
  /** pino's number of the level: sorts WARN after INFO. */
  levelValue: number;
  at: Date;
  message: string;
  /** `api@host` or `worker@host`. */
  process: string;
  pid: number;
  /** The activity that wrote the line (worker), or the request's method and path (API). */
  method?: string;
  workflowId?: string;
  runId?: string;
  requestId?: string;
  /** The line's other fields, secrets already scrubbed. */
  fields?: Record<string, unknown>;
}

/** One row of GET /logs: the original's `id, timestamp, level, message` (and `method`), and what DF adds. */
export type LogRow = Omit<LogLineDoc, 'at' | 'levelValue'> & { id: string; timestamp: string };

/** The fields a list of log rows sorts by, and the stored field each one is. */
export const LOG_SORT_FIELDS = {
  id: '_id',
  timestamp: 'at',
  level: 'levelValue',
  taskId: 'taskId',
  message: 'message',
  process: 'process',
  pid: 'pid',
  method: 'method',
  workflowId: 'workflowId',
  runId: 'runId',
  requestId: 'requestId',
} as const satisfies Record<Exclude<keyof LogRow, 'fields'>, string>;
export type LogSortField = keyof typeof LOG_SORT_FIELDS;

/** `_sort` of a list of log rows: its fields, and any key of a line's other `fields`. */
export const LOG_ROW_SHAPE: RowShape = {
  fields: [...Object.keys(LOG_SORT_FIELDS), 'fields'],
  maps: ['fields'],
  compound: ['fields'],
};

/**
 * The stored field a log row sorts by: a row field's own, or `fields.<key>` as written (`sort`
 * is a path of LOG_ROW_SHAPE, a row field or `fields.<key>`).
 */
export function storedLogSortField(sort: string): string {
  return sort in LOG_SORT_FIELDS ? LOG_SORT_FIELDS[sort as LogSortField] : sort;
}

/** Fields of a pino line that have a place of their own in a kept line. */
const OWN_FIELDS = new Set(['time', 'level', 'msg', 'taskId', 'workflowId', 'runId', 'activity', 'requestId']);

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function capped(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}

/** The pino level number of a line (pino writes labels here: DF's formatter), or undefined. */
function levelOf(line: Record<string, unknown>): KeptLevel | undefined {
  const level = line.level;
  return typeof level === 'string' && level in KEPT_LEVELS ? (level as KeptLevel) : undefined;
}

/**
 * A read that went well says someone looked at the task, not that anything happened to it; with
 * a console refreshing every few seconds such lines would push the task's own out of the store.
 */
function isQuietRead(line: Record<string, unknown>): boolean {
  return (
    line.msg === 'request' &&
    (line.method === 'GET' || line.method === 'HEAD') &&
    typeof line.status === 'number' &&
    line.status < 400
  );
}

/**
 * What the store keeps of one log line (as the logger wrote it, secrets scrubbed), or undefined
 * when it keeps nothing: lines that name no task, lines below info, reads that went well.
 */
export function logLineDocOf(line: Record<string, unknown>, proc: LogProcess): LogLineDoc | undefined {
  const taskId = text(line.taskId);
  const level = levelOf(line);
  if (!taskId || !level || isQuietRead(line)) return undefined;
  const at = new Date(typeof line.time === 'string' || typeof line.time === 'number' ? line.time : Date.now());
  const activity = text(line.activity);
  const requestId = text(line.requestId);
  // In a process that runs both, the context says which part wrote the line.
  const role = requestId ? 'api' : activity ? 'worker' : proc.role;
  const method =
    activity ??
    (line.msg === 'request' && text(line.method) && text(line.path) ? `${line.method} ${line.path}` : undefined);
  const rest = Object.fromEntries(Object.entries(line).filter(([key]) => !OWN_FIELDS.has(key)));
  const restText = JSON.stringify(rest);
  const fields =
    restText.length > MAX_FIELDS_CHARS
      ? { omitted: `the fields took ${restText.length} characters, more than ${MAX_FIELDS_CHARS}` }
      : rest;
  const workflowId = text(line.workflowId);
  const runId = text(line.runId);
  return {
    taskId,
    level: level.toUpperCase() as LogRowLevel,
    levelValue: KEPT_LEVELS[level],
    at: Number.isNaN(at.getTime()) ? new Date() : at,
    message: capped(text(line.msg) ?? '', MAX_MESSAGE_CHARS),
    process: `${role}@${proc.host}`,
    pid: proc.pid,
    ...(method ? { method } : {}),
    ...(workflowId ? { workflowId } : {}),
    ...(runId ? { runId } : {}),
    ...(requestId ? { requestId } : {}),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
  };
}

/** The row GET /logs answers for a stored line. */
export function logRowOf(doc: LogLineDoc & { id: string }): LogRow {
  return {
    id: doc.id,
    timestamp: doc.at.toISOString(),
    level: doc.level,
    taskId: doc.taskId,
    message: doc.message,
    process: doc.process,
    pid: doc.pid,
    ...(doc.method ? { method: doc.method } : {}),
    ...(doc.workflowId ? { workflowId: doc.workflowId } : {}),
    ...(doc.runId ? { runId: doc.runId } : {}),
    ...(doc.requestId ? { requestId: doc.requestId } : {}),
    ...(doc.fields ? { fields: doc.fields } : {}),
  };
}

/**
 * Lines waiting to be written, at most `capacity` of them: a line offered to a full queue is
 * dropped and counted, so a slow or absent store never holds up the code that logs.
 */
export class LogLineQueue<T> {
  private items: T[] = [];
  private droppedSinceReport = 0;
  private droppedTotal = 0;

  constructor(readonly capacity: number) {}

  offer(item: T): boolean {
    if (this.items.length >= this.capacity) {
      this.drop(1);
      return false;
    }
    this.items.push(item);
    return true;
  }

  /** The oldest lines, at most `max`, taken out of the queue. */
  take(max: number): T[] {
    return this.items.splice(0, max);
  }

  /** Counts lines lost after they left the queue (a batch the store refused). */
  drop(count: number): void {
    this.droppedSinceReport += count;
    this.droppedTotal += count;
  }

  get size(): number {
    return this.items.length;
  }

  get dropped(): number {
    return this.droppedTotal;
  }

  /** Lines dropped since the last call, for a report of them. */
  takeDroppedSinceReport(): number {
    const count = this.droppedSinceReport;
    this.droppedSinceReport = 0;
    return count;
  }
}

/** The oldest time a kept line may have: older ones are gone, whether or not a trim has removed them yet. */
export function oldestKept(now: Date, maxAgeMs: number): Date {
  return new Date(now.getTime() - maxAgeMs);
}

/**
 * Activities that only read (a status, a record, progress), which operations call again and again
 * while they wait: their completion is no step of the task worth a line of its own.
 */
export function isReadActivity(name: string): boolean {
  return /^(read|get|find|list)[A-Z]|Progress$|Count$/.test(name);
}
