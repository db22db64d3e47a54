import { DfError } from '../domain/errors';
import {
  connectKeysOfOriginal,
  createdAtOfOriginal,
  dfStatusOfOriginal,
  dfTypeOfOriginal,
  isConnectCategory,
  stringMapOf,
  stringOf,
  upgradeChanges,
  type UnreadableRecord,
} from '../domain/legacy-task';
import type { DfStatus } from '../domain/status';
import type { SyncedTask } from '../domain/status-sync';
import {
  categoryOfType,
  type NewTask,
  type OperationRef,
  type StringMap,
  type Task,
  TASK_CATEGORIES,
  type TaskCategory,
} from '../domain/task';
import { decodeMap, encodeMap } from './key-encoding';
import { type ConfigSealer, NO_SEALING, SecretCipherError } from './secret-cipher';

/** df_processor as DF stores it: `_id` for id, times as Date, config keys encoded (same field names otherwise). */
export type TaskDoc = Omit<
  Task,
  'id' | 'createdAt' | 'updatedAt' | 'statusAt' | 'statusReason' | 'unreachableSince'
> & {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
  statusAt: Date;
  statusReason?: string | null;
  unreachableSince?: Date | null;
  /** A flip the status sync saw but has not recorded yet (a rebalance, until it outlasts the grace). */
  statusPending?: { status: DfStatus; since: Date } | null;
  /** Records the original service wrote, once upgraded: what DF changed of them, and when. */
  upgradedFromOriginal?: {
    at: Date;
    connectorType?: string;
    connectorCategory?: string | null;
    status?: string | null;
  };
};

export type { UnreadableRecord } from '../domain/legacy-task';

export type TaskRead =
  | { ok: true; task: Task; /** Written by the original service and not upgraded yet. */ original: boolean }
  | { ok: false; unreadable: UnreadableRecord };

/** The error a read of an unreadable record answers: the store's data, not the caller's request. */
export function unreadableError(record: UnreadableRecord): DfError {
  return new DfError('UNREADABLE_RECORD', `task record ${record.id} cannot be read: ${record.problems.join('; ')}`, {
    details: { id: record.id, problems: record.problems },
  });
}

function idText(id: unknown): string {
  if (typeof id === 'string') return id;
  try {
    return JSON.stringify(id) ?? String(id);
  } catch {
    return String(id);
  }
}

type Raw = Record<string, unknown>;

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : value instanceof Date ? 'date' : typeof value;
}

/**
 * Reads a stored document as a task, whoever wrote it: DF, or the original service (no revision,
 * original type names and status words, "_" for "." in connector keys, no times). What is missing
 * gets a default; what is there with the wrong type makes the record unreadable, with each
 * problem named.
 */
export function readTaskDoc(raw: Raw, sealer: ConfigSealer = NO_SEALING): TaskRead {
  const problems: string[] = [];
  const id = raw._id;
  if (typeof id !== 'string' || id === '') problems.push(`_id: expected a non-empty string, got ${typeName(id)}`);
  /** `scalar`: a number or boolean is read as its text (the original coerced such fields so). */
  const text = (field: string, fallback: string, scalar = false): string => {
    const value = raw[field];
    if (value === undefined || value === null) return fallback;
    const s = scalar ? stringOf(value) : typeof value === 'string' ? value : undefined;
    if (s === undefined) problems.push(`${field}: expected a string, got ${typeName(value)}`);
    return s ?? fallback;
  };
  const time = (field: string): Date | undefined => {
    const value = raw[field];
    if (value === undefined || value === null) return undefined;
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
    problems.push(`${field}: expected a date, got ${typeName(value)}`);
    return undefined;
  };
  const map = (field: string): StringMap | null => {
    const value = raw[field];
    if (value === undefined || value === null) return null;
    const m = stringMapOf(value);
    if (!m) problems.push(`${field}: expected a map of strings, got ${typeName(value)}`);
    return m ?? null;
  };

  const storedType = text('connectorType', 'NONE');
  const storedStatus = raw.status === undefined || raw.status === null ? undefined : text('status', '');
  const revision = raw.revision;
  if (revision !== undefined && (typeof revision !== 'number' || !Number.isInteger(revision)))
    problems.push(`revision: expected a whole number, got ${typeName(revision)}`);
  const original = revision === undefined;
  const taskSeq = text('taskSeq', '1', true);
  const name = text('name', '', true);
  const description = text('description', '', true);
  const connectUid = text('connectUid', typeof id === 'string' ? id : '');
  const connectorConfig = map('connectorConfig') ?? {};
  const jobConfig = map('jobConfig');
  const createdAt = time('createdAt');
  const updatedAt = time('updatedAt');
  const statusAt = time('statusAt');
  const statusReason =
    raw.statusReason === undefined || raw.statusReason === null ? undefined : text('statusReason', '');
  /** A stored map as the engines take it: keys decoded, sealed secrets opened. */
  const opened = (field: string, stored: StringMap): StringMap => {
    try {
      return sealer.open(decodeMap(stored));
    } catch (error) {
      if (!(error instanceof SecretCipherError)) throw error;
      problems.push(`${field}.${error.message}`);
      return {};
    }
  };
  const decodedConfig = opened('connectorConfig', connectorConfig);
  const decodedJob = jobConfig ? opened('jobConfig', jobConfig) : null;
  if (problems.length > 0) return { ok: false, unreadable: { id: idText(id), problems } };

  const taskId = id as string;
  const doc = raw as Partial<TaskDoc>;
  // The original's type names are kept; what each runs as is the engines' concern. A record an
  // earlier upgrade renamed reads under its original name again (it runs as the same DF type).
  const renamed = doc.upgradedFromOriginal?.connectorType;
  const connectorType = typeof renamed === 'string' && dfTypeOfOriginal(renamed) === storedType ? renamed : storedType;
  const storedCategory = raw.connectorCategory;
  const connectorCategory: TaskCategory =
    !original && (TASK_CATEGORIES as readonly unknown[]).includes(storedCategory)
      ? (storedCategory as TaskCategory)
      : categoryOfType(connectorType);
  const reading = dfStatusOfOriginal(storedStatus);
  const born = createdAt?.toISOString() ?? createdAtOfOriginal(taskId);
  // The original stored a connect's keys with "_" for ".": that is the spelling its users read.
  const originalKeys = original && isConnectCategory(connectorCategory);
  const task: Task = {
    id: taskId,
    taskSeq,
    name,
    description,
    connectorType,
    connectorCategory,
    connectUid: connectUid || taskId,
    status: reading.status,
    connectorConfig: originalKeys ? connectKeysOfOriginal(decodedConfig) : decodedConfig,
    ...(originalKeys || doc.keySpelling === 'underscore' ? { keySpelling: 'underscore' as const } : {}),
    jobConfig: decodedJob,
    createdAt: born,
    updatedAt: updatedAt?.toISOString() ?? born,
    statusAt: statusAt?.toISOString() ?? born,
    ...(statusReason
      ? { statusReason }
      : reading.reason && storedStatus !== undefined
        ? { statusReason: reading.reason }
        : {}),
    revision: original ? 0 : (revision as number),
    ...(doc.lastOperation ? { lastOperation: doc.lastOperation } : {}),
    ...(Array.isArray(doc.savepoints) && doc.savepoints.length ? { savepoints: doc.savepoints } : {}),
    ...(doc.unreachableSince instanceof Date ? { unreachableSince: doc.unreachableSince.toISOString() } : {}),
    ...(doc.autoRestart ? { autoRestart: doc.autoRestart } : {}),
    ...(doc.restarts ? { restarts: doc.restarts } : {}),
    ...(doc.imported ? { imported: true } : {}),
  };
  return { ok: true, task, original };
}

/** A config map as stored: secrets sealed, keys encoded for the store. */
export function storedMap(map: StringMap, sealer: ConfigSealer): StringMap {
  return encodeMap(sealer.seal(map));
}

/** A stored task that must be readable (a write's own result): an unreadable one is UNREADABLE_RECORD. */
export function toTask(raw: unknown, sealer: ConfigSealer = NO_SEALING): Task {
  const read = readTaskDoc(raw as Raw, sealer);
  if (!read.ok) throw unreadableError(read.unreadable);
  return read.task;
}

/** The fields that say what a task is and what it runs, as stored (secret values sealed). */
function describedBy(task: NewTask, sealer: ConfigSealer) {
  return {
    taskSeq: task.taskSeq,
    name: task.name,
    description: task.description,
    connectorType: task.connectorType,
    connectorCategory: task.connectorCategory,
    connectUid: task.connectUid,
    status: task.status,
    connectorConfig: storedMap(task.connectorConfig, sealer),
    jobConfig: task.jobConfig ? storedMap(task.jobConfig, sealer) : null,
    ...(task.keySpelling === 'underscore' ? { keySpelling: task.keySpelling } : {}),
  };
}

/** A new task as stored: revision 1, every time the insert's, stamped with the operation inserting it. */
export function newTaskDoc(task: NewTask, op: OperationRef, at: Date, sealer: ConfigSealer = NO_SEALING): TaskDoc {
  return {
    _id: task.id,
    ...describedBy(task, sealer),
    createdAt: at,
    updatedAt: at,
    statusAt: at,
    statusReason: task.statusReason ?? null,
    revision: 1,
    lastOperation: op,
    ...(task.autoRestart ? { autoRestart: task.autoRestart } : {}),
    ...(task.imported ? { imported: true } : {}),
  };
}

/** An original record in DF's shape: the fields an upgrade sets, and what it changed, in words. */
export function upgradeOfOriginal(
  raw: Raw,
  task: Task,
  at: Date,
  sealer: ConfigSealer = NO_SEALING,
): { set: Partial<TaskDoc>; changes: string[] } {
  const storedType = stringOf(raw.connectorType) ?? 'NONE';
  const storedCategory = typeof raw.connectorCategory === 'string' ? raw.connectorCategory : undefined;
  const storedStatus = stringOf(raw.status);
  const storedKeys = Object.keys(stringMapOf(raw.connectorConfig) ?? {});
  const keysRenamed = storedKeys.filter((k) => !(k in task.connectorConfig)).length;
  const changes = upgradeChanges(
    {
      connectorType: storedType,
      connectorCategory: storedCategory,
      status: storedStatus,
      connectKeysRenamed: keysRenamed,
      timesAdded: true,
    },
    task,
  );
  const set: Partial<TaskDoc> = {
    ...describedBy(task, sealer),
    statusReason: task.statusReason ?? null,
    createdAt: new Date(task.createdAt),
    updatedAt: new Date(task.updatedAt),
    statusAt: new Date(task.statusAt),
    // 0, as the record read before: an edit that read it then still applies now.
    revision: 0,
    upgradedFromOriginal: {
      at,
      ...(storedType !== task.connectorType ? { connectorType: storedType } : {}),
      ...(storedCategory !== task.connectorCategory ? { connectorCategory: storedCategory ?? null } : {}),
      ...(storedStatus !== task.status ? { status: storedStatus ?? null } : {}),
    },
  };
  return { set, changes };
}

/** What the status sync needs of a stored document; undefined when it cannot be read. */
export function syncedTaskOf(raw: Raw): SyncedTask | undefined {
  const read = readTaskDoc(raw);
  if (!read.ok) return undefined;
  const t = read.task;
  const doc = raw as Partial<TaskDoc>;
  const jobId = t.jobConfig?.flink_job_id;
  return {
    id: t.id,
    category: t.connectorCategory,
    connectUid: t.connectUid,
    status: t.status,
    ...(t.statusReason ? { statusReason: t.statusReason } : {}),
    statusAt: Date.parse(t.statusAt),
    updatedAt: Date.parse(t.updatedAt),
    ...(doc.statusAt instanceof Date ? {} : { statusUnrecorded: true }),
    ...(jobId ? { jobId } : {}),
    ...(t.connectorConfig.stream_back_flag === 'true' ? { streamsBack: true } : {}),
    ...(doc.statusPending?.since instanceof Date
      ? { pending: { status: doc.statusPending.status, since: doc.statusPending.since.getTime() } }
      : {}),
    ...(t.unreachableSince ? { unreachableSince: Date.parse(t.unreachableSince) } : {}),
    ...(t.autoRestart ? { autoRestart: t.autoRestart } : {}),
    ...(t.restarts ? { restarts: t.restarts } : {}),
  };
}
