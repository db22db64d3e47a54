import {
  AnyBulkWriteOperation,
  Collection,
  Db,
  Filter,
  FindCursor,
  MongoBulkWriteError,
  MongoServerError,
} from 'mongodb';
import { DfError } from '../domain/errors';
import { dfStatusOfOriginal, type StoreUpgrade } from '../domain/legacy-task';
import { type DfStatus, isDfStatus } from '../domain/status';
import type { StatusChange, StatusPatch, SyncedTask } from '../domain/status-sync';
import {
  lastChangedBy,
  type NewTask,
  type OperationRef,
  type SavepointRecord,
  type StringMap,
  type Task,
} from '../domain/task';
import type { TaskListQuery, TaskPage } from '../domain/task-query';
import { duplicateKeyRefusals, isDuplicateKey } from './mongo';
import { decodeMap } from './key-encoding';
import { type ConfigSealer, NO_SEALING } from './secret-cipher';
import {
  newTaskDoc,
  readTaskDoc,
  storedMap,
  syncedTaskOf,
  type TaskDoc,
  toTask as taskOfDoc,
  type UnreadableRecord,
  unreadableError,
  upgradeOfOriginal,
} from './task-doc';

export type { UnreadableRecord } from './task-doc';

export const TASK_COLLECTION = 'df_processor';
/** One counter per collection of how many writes it has had: lets a reader tell "nothing changed" by one _id read. */
export const CHANGES_COLLECTION = 'df_changes';

interface ChangeCountDoc {
  _id: string;
  seq: number;
}

/** Fields a user edit may change; status has its own write (recordStatus). */
export type TaskEdit = Partial<
  Pick<Task, 'taskSeq' | 'name' | 'description' | 'connectorType' | 'connectorConfig' | 'jobConfig' | 'autoRestart'>
>;

/**
 * A write this process made to df_processor, as a reader in the same process can apply it to a
 * copy of every task instead of reading them all again: a task as it now stands, a removal, status
 * patches (the sync's bulk write), or "something" (applying it needs a read).
 */
export type TaskWrite =
  | { kind: 'put'; task: Task }
  | { kind: 'remove'; id: string }
  | { kind: 'status'; patches: Map<string, StatusPatch> }
  | { kind: 'unknown' };

/**
 * Documents per batch of a read of every task: the driver decodes a whole batch at once, and a
 * thousand tasks held the event loop for about 50 ms (list answers waited behind it).
 */
const FULL_READ_BATCH = 250;

/** Writes kept for readers in this process, by change count: a reader further behind reads everything. */
const WRITES_KEPT = 2000;

/** What a status write needs to know to append to df_status_history: the status it replaced. */
export type StatusTransition = { task: Task; from: DfStatus };

const SORT_FIELD: Record<TaskListQuery['sort'], string> = {
  id: '_id',
  name: 'name',
  taskSeq: 'taskSeq',
  status: 'status',
  connectorType: 'connectorType',
  connectorCategory: 'connectorCategory',
  description: 'description',
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  statusAt: 'statusAt',
};

const TASK_INDEXES = [
  { key: { connectorCategory: 1, status: 1 }, name: 'category_status' },
  { key: { connectorCategory: 1, name: 1 }, name: 'category_name' },
  { key: { connectorCategory: 1, updatedAt: -1 }, name: 'category_updated' },
  { key: { connectUid: 1 }, name: 'connect_uid' },
] as const satisfies { key: Record<string, 1 | -1>; name: string }[];

/** The $set/$unset of a status-sync change, in the stored shape. */
function statusUpdate(c: StatusChange): { $set?: Partial<TaskDoc>; $unset?: Record<string, ''> } {
  const set: Partial<TaskDoc> = {};
  const unset: Record<string, ''> = {};
  const { status, statusReason, statusAt, unreachableSince, pending, restarts } = c.set;
  if (status !== undefined) set.status = status;
  if (statusReason !== undefined) set.statusReason = statusReason;
  if (statusAt !== undefined) set.statusAt = new Date(statusAt);
  if (unreachableSince === null) unset.unreachableSince = '';
  else if (unreachableSince !== undefined) set.unreachableSince = new Date(unreachableSince);
  if (pending === null) unset.statusPending = '';
  else if (pending !== undefined) set.statusPending = { status: pending.status, since: new Date(pending.since) };
  if (restarts !== undefined) set.restarts = restarts;
  return { ...(Object.keys(set).length ? { $set: set } : {}), ...(Object.keys(unset).length ? { $unset: unset } : {}) };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether this stored task was last written by the given operation (a retried step's own write). */
function writtenBy(doc: TaskDoc | null, op: OperationRef): doc is TaskDoc {
  return doc !== null && lastChangedBy(doc, op);
}

/**
 * Each document of a cursor as it arrives, batch by batch (not all decoded first, then all
 * mapped); a document the map cannot read (undefined) is left out.
 */
async function mapEach<D, T>(cursor: FindCursor<D>, map: (doc: D) => T | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const doc of cursor) {
    const mapped = map(doc);
    if (mapped !== undefined) out.push(mapped);
  }
  return out;
}

export interface TaskRepositoryOptions {
  /** Told of each stored document a read of many tasks had to leave out because it cannot be read. */
  onUnreadable?: (record: UnreadableRecord) => void;
  /** How secret config values are kept at rest (sealed with DF_PAYLOAD_KEY); default: as they are. */
  sealer?: ConfigSealer;
}

/**
 * A document as DF writes it, checked cheaply: the status sync maps these directly (a round reads
 * every task), and reads anything else (the original's records, a damaged one) the careful way.
 */
function isPlainDfDoc(d: TaskDoc): boolean {
  return (
    typeof d._id === 'string' &&
    typeof d.revision === 'number' &&
    d.statusAt instanceof Date &&
    d.updatedAt instanceof Date &&
    typeof d.connectUid === 'string' &&
    isDfStatus(d.status) &&
    (d.statusPending == null || d.statusPending.since instanceof Date) &&
    (d.unreachableSince == null || d.unreachableSince instanceof Date)
  );
}

/** A filter on the revision a reader saw: 0 is also the original's records, which have none. */
function revisionIs(revision: number): Filter<TaskDoc> {
  return revision === 0 ? { $or: [{ revision: 0 }, { revision: { $exists: false } }] } : { revision };
}

function taskNotFound(id: string): DfError {
  return new DfError('NOT_FOUND', `no task with id ${id}`, { details: { id } });
}

/** A status-sync round's writes go out over at most this many connections at once... */
const STATUS_WRITE_STREAMS = 2;
/** ...each carrying at least this many (a few writes are not worth a second connection). */
const MIN_STATUS_WRITES_PER_STREAM = 50;

/**
 * The task repository (collection df_processor). Every write is one single-document operation,
 * conditional where a retry could otherwise apply it twice, and stamped with the operation that made
 * it so the retry can tell its own earlier write from somebody else's.
 */
export class TaskRepository {
  private readonly collection: Collection<TaskDoc>;
  private readonly changes: Collection<ChangeCountDoc>;
  /** This process's writes by the change count each took (see writesSince). */
  private readonly ownWrites = new Map<number, TaskWrite>();

  private readonly sealer: ConfigSealer;

  constructor(
    db: Db,
    private readonly options: TaskRepositoryOptions = {},
  ) {
    this.collection = db.collection<TaskDoc>(TASK_COLLECTION);
    this.changes = db.collection<ChangeCountDoc>(CHANGES_COLLECTION);
    this.sealer = options.sealer ?? NO_SEALING;
  }

  /** A stored task that must be readable: an unreadable one is UNREADABLE_RECORD. */
  private toTask(doc: unknown): Task {
    return taskOfDoc(doc, this.sealer);
  }

  /** A config map as stored: secrets sealed, keys encoded. */
  private stored(map: StringMap): StringMap {
    return storedMap(map, this.sealer);
  }

  /** A document of a read of many: the task, or undefined (reported) when it cannot be read. */
  private readOrSkip(doc: unknown, skipped?: UnreadableRecord[]): Task | undefined {
    const read = readTaskDoc(doc as Record<string, unknown>, this.sealer);
    if (read.ok) return read.task;
    skipped?.push(read.unreadable);
    this.options.onUnreadable?.(read.unreadable);
    return undefined;
  }

  private readMany(docs: unknown[]): Task[] {
    return docs.map((d) => this.readOrSkip(d)).filter((t): t is Task => t !== undefined);
  }

  /** The indexes behind the list queries (category + status filter, sorts). Safe to repeat. */
  async ensureIndexes(): Promise<void> {
    const existing = new Set((await this.existingIndexes()).map((i) => String(i.name)));
    // One at a time, and only the missing ones: FerretDB 1.24 drops the connection when a single
    // createIndexes names several indexes that already exist.
    for (const spec of TASK_INDEXES) {
      if (!existing.has(spec.name)) await this.collection.createIndexes([spec]);
    }
    await this.changes
      .updateOne({ _id: TASK_COLLECTION }, { $setOnInsert: { seq: 0 } }, { upsert: true })
      .catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error; // another process created it meanwhile
      });
  }

  /**
   * How many writes df_processor has had, from any process: the list view reads this one small
   * document, by _id, and reads every task again only when it has moved.
   */
  async changeCount(): Promise<number> {
    return (await this.changes.findOne({ _id: TASK_COLLECTION }))?.seq ?? 0;
  }

  /**
   * Counts a write, after it is made (so a reader that sees the count also sees the write), and
   * keeps what it was under the count it took.
   */
  private async changed(write: TaskWrite): Promise<void> {
    const bump = () =>
      this.changes.findOneAndUpdate(
        { _id: TASK_COLLECTION },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
    let counted: ChangeCountDoc | null;
    try {
      counted = await bump();
    } catch (error) {
      // Two first writes raced to create the counter: it exists now.
      if (!isDuplicateKey(error)) throw error;
      counted = await bump();
    }
    if (!counted) return;
    this.ownWrites.set(counted.seq, write);
    if (this.ownWrites.size > WRITES_KEPT) this.ownWrites.delete(this.ownWrites.keys().next().value as number);
  }

  /**
   * The writes counted after `since` up to `until`, in order, if this process made every one of
   * them (and still keeps them); undefined if any was another process's, or is unknown.
   */
  writesSince(since: number, until: number): TaskWrite[] | undefined {
    if (until - since > WRITES_KEPT) return undefined;
    const writes: TaskWrite[] = [];
    for (let seq = since + 1; seq <= until; seq++) {
      const write = this.ownWrites.get(seq);
      if (!write || write.kind === 'unknown') return undefined;
      writes.push(write);
    }
    return writes;
  }

  private async existingIndexes(): Promise<{ name?: unknown }[]> {
    try {
      return await this.collection.listIndexes().toArray();
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 26) return []; // NamespaceNotFound: no collection yet
      throw error;
    }
  }

  async get(id: string): Promise<Task | undefined> {
    const doc = await this.collection.findOne({ _id: id });
    return doc ? this.toTask(doc) : undefined;
  }

  /**
   * Refuses an id some task already has (an add of a new task): CONFLICT. With `op`, a task that
   * very operation wrote passes, and 'ours' says so: a step run again after its worker died
   * mid-way (local activities re-run on replay) finds its own earlier record, not a rival's.
   */
  async requireFree(id: string, op?: OperationRef): Promise<'free' | 'ours'> {
    const existing = await this.collection.findOne({ _id: id }, { projection: { _id: 1, lastOperation: 1 } });
    if (!existing) return 'free';
    if (op && writtenBy(existing, op)) return 'ours';
    throw new DfError('CONFLICT', `a task with id ${id} already exists`, { details: { id } });
  }

  async require(id: string): Promise<Task> {
    const task = await this.get(id);
    if (!task) throw taskNotFound(id);
    return task;
  }

  /**
   * Inserts a new task. If the id is taken by this same operation (a retried insert), the stored
   * task is returned; taken by anything else, CONFLICT.
   */
  async insert(task: NewTask, op: OperationRef, at: Date): Promise<Task> {
    const doc = newTaskDoc(task, op, at, this.sealer);
    try {
      await this.collection.insertOne(doc);
      const inserted = this.toTask(doc);
      await this.changed({ kind: 'put', task: inserted });
      return inserted;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.collection.findOne({ _id: task.id });
      if (writtenBy(existing, op)) return this.toTask(existing);
      throw new DfError('CONFLICT', `a task with id ${task.id} already exists`, { details: { id: task.id } });
    }
  }

  /**
   * Inserts a task DF keeps on its own account (an import, an internal connector's record) unless
   * its id is already taken by another operation's task: then undefined, and nothing changes.
   */
  async insertUnlessTaken(task: NewTask, op: OperationRef, at: Date): Promise<Task | undefined> {
    try {
      return await this.insert(task, op, at);
    } catch (error) {
      if (error instanceof DfError && error.code === 'CONFLICT') return undefined;
      throw error;
    }
  }

  /**
   * insertUnlessTaken for many tasks in one unordered bulk insert (an import of a whole Kafka
   * Connect cluster). Returns the ids now stored by this operation: inserted now, or by an earlier
   * try of the same operation; ids another operation holds are left alone.
   */
  async insertManyUnlessTaken(tasks: NewTask[], op: OperationRef, at: Date): Promise<string[]> {
    if (tasks.length === 0) return [];
    const docs = tasks.map((t) => newTaskDoc(t, op, at, this.sealer));
    let taken: string[] = [];
    try {
      await this.collection.insertMany(docs, { ordered: false });
      await this.changed({ kind: 'unknown' });
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      if (error.result.insertedCount > 0) await this.changed({ kind: 'unknown' });
      const refused = duplicateKeyRefusals(error);
      if (!refused) throw error;
      taken = refused.map((i) => docs[i]._id);
    }
    if (taken.length === 0) return docs.map((d) => d._id);
    const ours = await this.collection
      .find(
        { _id: { $in: taken }, 'lastOperation.workflowId': op.workflowId, 'lastOperation.runId': op.runId },
        { projection: { _id: 1 } },
      )
      .toArray();
    const ourIds = new Set(ours.map((d) => d._id));
    const skipped = new Set(taken.filter((id) => !ourIds.has(id)));
    return docs.map((d) => d._id).filter((id) => !skipped.has(id));
  }

  /**
   * Applies a user edit if the task is still at `expectedRevision`, bumping the revision. A retry
   * of the same operation finds its own write done and returns it.
   */
  async edit(id: string, edit: TaskEdit, expectedRevision: number, op: OperationRef, at: Date): Promise<Task> {
    const set: Partial<TaskDoc> = { updatedAt: at, lastOperation: op };
    if (edit.taskSeq !== undefined) set.taskSeq = edit.taskSeq;
    if (edit.name !== undefined) set.name = edit.name;
    if (edit.description !== undefined) set.description = edit.description;
    if (edit.connectorType !== undefined) set.connectorType = edit.connectorType;
    if (edit.connectorConfig !== undefined) set.connectorConfig = this.stored(edit.connectorConfig);
    if (edit.jobConfig !== undefined) set.jobConfig = edit.jobConfig ? this.stored(edit.jobConfig) : null;
    // A new policy starts a fresh count (and lifts a give-up).
    if (edit.autoRestart !== undefined)
      Object.assign(set, { autoRestart: edit.autoRestart, restarts: { attempts: 0 } });
    // An original record is brought to DF's shape first (as it reads: revision 0), so the edit's
    // fields land on a record that reads the same way whoever looks next.
    if (expectedRevision === 0) await this.upgradeOriginal(id, at);
    const updated = await this.collection.findOneAndUpdate(
      { _id: id, ...revisionIs(expectedRevision) },
      { $set: set, $inc: { revision: 1 } },
      { returnDocument: 'after' },
    );
    if (updated) {
      await this.changed({ kind: 'put', task: this.toTask(updated) });
      return this.toTask(updated);
    }
    const current = await this.collection.findOne({ _id: id });
    if (!current) throw taskNotFound(id);
    const revision = this.toTask(current).revision;
    if (revision === expectedRevision + 1 && writtenBy(current, op)) return this.toTask(current);
    throw new DfError('CONFLICT', `task ${id} changed meanwhile: revision ${revision}, expected ${expectedRevision}`, {
      details: { id, revision, expectedRevision },
    });
  }

  /**
   * Records what the engine reported. Not a user edit: the revision stays. Idempotent. Returns the
   * task and the status it had before, so the caller can append the transition to the history.
   */
  async recordStatus(
    id: string,
    status: DfStatus,
    reason: string | undefined,
    at: Date,
  ): Promise<StatusTransition | undefined> {
    const before = await this.collection.findOneAndUpdate(
      { _id: id },
      { $set: { status, statusReason: reason ?? null, statusAt: at, statusPending: null, unreachableSince: null } },
      { returnDocument: 'before' },
    );
    if (!before) return undefined;
    const after: TaskDoc = {
      ...before,
      status,
      statusReason: reason ?? null,
      statusAt: at,
      statusPending: null,
      unreachableSince: null,
    };
    const task = this.toTask(after);
    await this.changed({ kind: 'put', task });
    return { task, from: this.toTask(before).status };
  }

  /**
   * Every task, in no particular order: what the API's list view holds in memory. A document that
   * cannot be read is left out, and named in `unreadable`.
   */
  async all(): Promise<{ tasks: Task[]; unreadable: UnreadableRecord[] }> {
    const unreadable: UnreadableRecord[] = [];
    // In batches, each decoded and converted before the next arrives, so reading 10,000 documents
    // never holds the event loop for long.
    const tasks = await mapEach(this.collection.find({}, { batchSize: FULL_READ_BATCH }), (d) =>
      this.readOrSkip(d, unreadable),
    );
    return { tasks, unreadable };
  }

  /** Every task the status sync looks after, with only the fields a round reads. */
  async syncSnapshot(): Promise<SyncedTask[]> {
    const docs = this.collection.find(
      { connectorCategory: { $in: ['CONNECT', 'INTERNAL', 'TRANSFORM'] } },
      // connectorType, revision and createdAt: an original record's category and times are derived from them.
      {
        projection: {
          connectorCategory: 1,
          connectorType: 1,
          revision: 1,
          createdAt: 1,
          connectUid: 1,
          status: 1,
          statusReason: 1,
          statusAt: 1,
          updatedAt: 1,
          'jobConfig.flink_job_id': 1,
          'connectorConfig.stream_back_flag': 1,
          statusPending: 1,
          unreachableSince: 1,
          autoRestart: 1,
          restarts: 1,
        },
        batchSize: FULL_READ_BATCH,
      },
    );
    return mapEach(docs, (d) =>
      isPlainDfDoc(d)
        ? {
            id: d._id,
            category: d.connectorCategory,
            connectUid: d.connectUid,
            status: d.status,
            ...(d.statusReason ? { statusReason: d.statusReason } : {}),
            statusAt: d.statusAt.getTime(),
            updatedAt: d.updatedAt.getTime(),
            ...(typeof d.jobConfig?.flink_job_id === 'string' && d.jobConfig.flink_job_id
              ? { jobId: d.jobConfig.flink_job_id }
              : {}),
            ...(d.connectorConfig?.stream_back_flag === 'true' ? { streamsBack: true } : {}),
            ...(d.statusPending
              ? { pending: { status: d.statusPending.status, since: d.statusPending.since.getTime() } }
              : {}),
            ...(d.unreachableSince ? { unreachableSince: d.unreachableSince.getTime() } : {}),
            ...(d.autoRestart ? { autoRestart: d.autoRestart } : {}),
            ...(d.restarts ? { restarts: d.restarts } : {}),
          }
        : syncedTaskOf(d as unknown as Record<string, unknown>),
    );
  }

  /**
   * Applies a round's changes in one unordered bulk write, each only if the task still has the
   * status the round read. Returns the ids whose write applied (all of them, unless an operation
   * recorded a newer status meanwhile, which is then checked task by task).
   */
  async applyStatusChanges(changes: StatusChange[]): Promise<Set<string>> {
    if (changes.length === 0) return new Set();
    // A record with no status time yet (the original's) is unchanged while it still has none: any
    // status DF records sets one.
    const filterOf = (c: StatusChange): Filter<TaskDoc> =>
      c.expect.unrecorded
        ? { _id: c.id, statusAt: { $exists: false } }
        : { _id: c.id, status: c.expect.status, statusAt: new Date(c.expect.statusAt) };
    const ops: AnyBulkWriteOperation<TaskDoc>[] = changes.map((c) => ({
      updateOne: { filter: filterOf(c), update: statusUpdate(c) },
    }));
    // The writes are unordered and independent, so a few connections share them: the store
    // (FerretDB) works through one command's statements one by one (110 writes: 88 -> 56 ms on two).
    const parts = Math.min(STATUS_WRITE_STREAMS, Math.ceil(ops.length / MIN_STATUS_WRITES_PER_STREAM));
    const size = Math.ceil(ops.length / parts);
    const results = await Promise.all(
      Array.from({ length: parts }, (_, i) =>
        this.collection.bulkWrite(ops.slice(i * size, (i + 1) * size), { ordered: false }),
      ),
    );
    const matched = results.reduce((n, r) => n + r.matchedCount, 0);
    if (matched > 0) {
      await this.changed(
        matched === changes.length
          ? { kind: 'status', patches: new Map(changes.map((c) => [c.id, c.set])) }
          : { kind: 'unknown' },
      );
    }
    if (matched === changes.length) return new Set(changes.map((c) => c.id));
    // Some filter missed: the written ones are those now carrying what the round set.
    const applied = new Set<string>();
    const docs = await this.collection
      .find(
        { _id: { $in: changes.map((c) => c.id) } },
        { projection: { status: 1, statusAt: 1, statusReason: 1, restarts: 1, statusPending: 1 } },
      )
      .toArray();
    const byId = new Map(docs.map((d) => [d._id, d]));
    for (const c of changes) {
      const d = byId.get(c.id);
      if (!d) continue;
      const status = c.set.status ?? c.expect.status;
      const statusAt = c.set.statusAt ?? c.expect.statusAt;
      const storedAt =
        d.statusAt instanceof Date ? d.statusAt.getTime() : c.expect.unrecorded ? c.expect.statusAt : undefined;
      if (
        dfStatusOfOriginal(d.status).status === status &&
        storedAt === statusAt &&
        (c.set.statusReason === undefined || (d.statusReason ?? null) === c.set.statusReason)
      )
        applied.add(c.id);
    }
    return applied;
  }

  /**
   * Counts an auto-restart attempt, if it is still the next one (a retried step finds it counted
   * and goes on). Returns whether this call counted it.
   */
  async recordRestartAttempt(id: string, attempt: number, at: Date): Promise<boolean> {
    const previous: Filter<TaskDoc> =
      attempt === 1
        ? { $or: [{ 'restarts.attempts': 0 }, { 'restarts.attempts': { $exists: false } }] }
        : { 'restarts.attempts': attempt - 1 };
    const result = await this.collection.updateOne(
      { _id: id, ...previous },
      { $set: { restarts: { attempts: attempt, lastAttemptAt: at.toISOString() } } },
    );
    if (result.modifiedCount === 1) await this.changed({ kind: 'unknown' });
    return result.modifiedCount === 1;
  }

  /** The tasks Kafka Connect runs under these names (connectUid), for the startup import. */
  async byConnectUid(names: string[]): Promise<Task[]> {
    if (names.length === 0) return [];
    return this.readMany(await this.collection.find({ connectUid: { $in: names } }).toArray());
  }

  /** Every task of one connector type (e.g. the JAR transforms, to see which jars they run). */
  async byConnectorType(connectorType: string): Promise<Task[]> {
    return this.readMany(await this.collection.find({ connectorType }).toArray());
  }

  /** Every connect-like task (CONNECT, INTERNAL) with its config: the drift report compares them. */
  async connectTasks(): Promise<Task[]> {
    return this.readMany(await this.collection.find({ connectorCategory: { $in: ['CONNECT', 'INTERNAL'] } }).toArray());
  }

  /**
   * Replaces the recorded config with what Kafka Connect runs, for tasks that mirror Connect rather
   * than drive it: imported connectors and DF's internal ones. A user's task is never touched.
   */
  async mirrorConnectConfig(id: string, config: StringMap, at: Date): Promise<void> {
    const result = await this.collection.updateOne(
      // An original record not upgraded yet keeps its own key spelling until the upgrade rewrites it.
      { _id: id, revision: { $exists: true }, $or: [{ imported: true }, { connectorCategory: 'INTERNAL' }] },
      { $set: { connectorConfig: this.stored(config), updatedAt: at } },
    );
    if (result.modifiedCount > 0) await this.changed({ kind: 'unknown' });
  }

  /**
   * Records the job an engine runs for the task (job id, result counts…): bookkeeping of an
   * operation, not a user edit, so the revision stays. Idempotent.
   */
  async recordJob(id: string, jobConfig: StringMap, at: Date): Promise<Task> {
    const updated = await this.collection.findOneAndUpdate(
      { _id: id },
      { $set: { jobConfig: this.stored(jobConfig), updatedAt: at } },
      { returnDocument: 'after' },
    );
    if (!updated) throw taskNotFound(id);
    await this.changed({ kind: 'put', task: this.toTask(updated) });
    return this.toTask(updated);
  }

  /** Adds a savepoint to the task's list; adding the same path again (a retried step) changes nothing. */
  async addSavepoint(id: string, savepoint: SavepointRecord): Promise<Task> {
    const result = await this.collection.updateOne(
      { _id: id, 'savepoints.path': { $ne: savepoint.path } },
      { $push: { savepoints: savepoint } },
    );
    if (result.modifiedCount > 0) await this.changed({ kind: 'unknown' });
    return this.require(id);
  }

  /** Removes a task; removing one already gone is not an error (a retried delete). */
  async remove(id: string): Promise<boolean> {
    const result = await this.collection.deleteOne({ _id: id });
    if (result.deletedCount === 1) await this.changed({ kind: 'remove', id });
    return result.deletedCount === 1;
  }

  /** Removes a task only if the given operation was the last to write it (compensation of an add). */
  async removeIfWrittenBy(id: string, op: OperationRef): Promise<boolean> {
    const result = await this.collection.deleteOne({
      _id: id,
      'lastOperation.workflowId': op.workflowId,
      'lastOperation.runId': op.runId,
    });
    if (result.deletedCount === 1) await this.changed({ kind: 'remove', id });
    return result.deletedCount === 1;
  }

  /**
   * Brings every record the original service wrote (no revision) to DF's shape, in place: DF type
   * names, DF statuses, Kafka Connect's key spelling, times and revision 0. Run again, it finds
   * nothing to do. A document that cannot be read is left as it is and named in `unreadable`.
   */
  async upgradeStoredRecords(at: Date): Promise<StoreUpgrade> {
    const result: StoreUpgrade = { upgraded: [], sealed: [], unreadable: [] };
    const docs = await this.collection.find({ revision: { $exists: false } }, { batchSize: FULL_READ_BATCH }).toArray();
    for (const doc of docs) {
      const read = readTaskDoc(doc as unknown as Record<string, unknown>, this.sealer);
      if (!read.ok) {
        result.unreadable.push(read.unreadable);
        this.options.onUnreadable?.(read.unreadable);
        continue;
      }
      const done = await this.upgradeOriginal(read.task.id, at);
      if (done) result.upgraded.push(done);
    }
    result.sealed = await this.sealClearSecrets();
    return result;
  }

  /**
   * Seals the secret config values DF's own records hold in clear (written before secrets were
   * sealed, or while no key was set). Not a change of the task: revision and times stay. Returns
   * the ids sealed; a record written meanwhile is left for the next run.
   */
  private async sealClearSecrets(): Promise<string[]> {
    const sealed: string[] = [];
    const docs = this.collection.find(
      { revision: { $exists: true } },
      { projection: { connectorConfig: 1, jobConfig: 1, revision: 1, updatedAt: 1 }, batchSize: FULL_READ_BATCH },
    );
    const clear: { id: string; revision: number; updatedAt: Date }[] = [];
    for await (const d of docs) {
      const maps = [d.connectorConfig, d.jobConfig].filter((m): m is StringMap => m !== null && typeof m === 'object');
      if (typeof d._id === 'string' && maps.some((m) => this.sealer.hasClearSecret(decodeMap(m))))
        clear.push({ id: d._id, revision: d.revision, updatedAt: d.updatedAt });
    }
    for (const { id, revision, updatedAt } of clear) {
      const doc = await this.collection.findOne({ _id: id });
      const read = doc ? readTaskDoc(doc as unknown as Record<string, unknown>, this.sealer) : undefined;
      if (!read?.ok) continue;
      const { connectorConfig, jobConfig } = read.task;
      const result = await this.collection.updateOne(
        { _id: id, revision, updatedAt },
        {
          $set: { connectorConfig: this.stored(connectorConfig), jobConfig: jobConfig ? this.stored(jobConfig) : null },
        },
      );
      if (result.modifiedCount === 1) sealed.push(id);
    }
    if (sealed.length > 0) await this.changed({ kind: 'unknown' });
    return sealed;
  }

  /**
   * Upgrades one original record (see upgradeOriginals); undefined when it is not one (any more).
   * The write applies only to the record as it was read, so a status recorded meanwhile is never
   * overwritten: the record is then read again.
   */
  async upgradeOriginal(id: string, at: Date): Promise<{ id: string; changes: string[] } | undefined> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const raw = await this.collection.findOne({ _id: id, revision: { $exists: false } });
      if (!raw) return undefined;
      const read = readTaskDoc(raw as unknown as Record<string, unknown>, this.sealer);
      if (!read.ok) throw unreadableError(read.unreadable);
      const { set, changes } = upgradeOfOriginal(raw as unknown as Record<string, unknown>, read.task, at, this.sealer);
      const unchanged = (field: 'status' | 'statusAt') => (raw[field] === undefined ? { $exists: false } : raw[field]);
      const filter = {
        _id: id,
        revision: { $exists: false },
        status: unchanged('status'),
        statusAt: unchanged('statusAt'),
      } as Filter<TaskDoc>;
      // A replacement, not a $set: FerretDB takes a $set of a map whose values are unchanged, under
      // other keys, for no change at all (the renamed connector keys would stay as they were).
      const { _id: _same, ...rest } = raw;
      const updated = await this.collection.findOneAndReplace(filter, { ...rest, ...set } as TaskDoc, {
        returnDocument: 'after',
      });
      if (updated) {
        await this.changed({ kind: 'put', task: this.toTask(updated) });
        return { id, changes };
      }
    }
    throw new DfError('CONFLICT', `task ${id} kept changing while it was upgraded from the original service's shape`, {
      details: { id },
    });
  }

  async list(query: TaskListQuery): Promise<TaskPage<Task>> {
    const filter: Filter<TaskDoc> = {};
    if (query.category) filter.connectorCategory = query.category;
    if (query.statuses?.length) filter.status = { $in: query.statuses };
    if (query.q) {
      // A literal substring, never a pattern or an operator: user text is escaped.
      const pattern = { $regex: escapeRegex(query.q), $options: 'i' };
      filter.$or = [{ _id: pattern }, { name: pattern }, { description: pattern }, { connectorType: pattern }];
    }
    const direction = query.order === 'ASC' ? 1 : -1;
    const sortField = SORT_FIELD[query.sort];
    const sort: Record<string, 1 | -1> = { [sortField]: direction };
    if (sortField !== '_id') sort._id = direction; // a stable order across pages
    const [docs, total] = await Promise.all([
      // limit 0 is an empty page (_end == _start), not the driver's "no limit".
      query.limit === 0
        ? Promise.resolve([])
        : this.collection.find(filter).sort(sort).skip(query.skip).limit(query.limit).toArray(),
      this.collection.countDocuments(filter),
    ]);
    const unreadable: UnreadableRecord[] = [];
    const items = docs.map((d) => this.readOrSkip(d, unreadable)).filter((t): t is Task => t !== undefined);
    return { items, total: total - unreadable.length, ...(unreadable.length ? { unreadable: unreadable.length } : {}) };
  }
}
