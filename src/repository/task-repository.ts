import { AnyBulkWriteOperation, Db, Filter, MongoBulkWriteError, MongoServerError } from 'mongodb';
import { DfError } from '../domain/errors';
import type { StoreUpgrade } from '../domain/legacy-task';
import type { DfStatus } from '../domain/status';
import type { StatusChange } from '../domain/status-sync';
import type { NewTask, OperationRef, SavepointRecord, StringMap, Task, TaskEdit } from '../domain/task';
import { duplicateKeyRefusals, isDuplicateKey } from './mongo';
import { TaskChangeLog, type TaskWrite } from './task-change-log';
import { newTaskDoc, storedMap, type TaskDoc } from './task-doc';
import { TaskReads, type TaskRepositoryOptions, taskNotFound, writtenBy } from './task-reads';
import { APPLIED_PROJECTION, appliedChanges, statusChangeFilter, statusUpdate } from './task-status-doc';
import { upgradeOriginal, upgradeStoredRecords, type UpgradeContext } from './task-upgrade';
import { SyncSnapshotStore, type SyncSnapshotRead } from './sync-snapshot-store';
import { TaskWrites } from './task-writes';

export type { UnreadableRecord } from './task-doc';

export const TASK_COLLECTION = 'df_processor';

/** What a status write needs to know to append to df_status_history: the status it replaced. */
export type StatusTransition = { task: Task; from: DfStatus };

const TASK_INDEXES = [
  { key: { connectorCategory: 1, status: 1 }, name: 'category_status' },
  { key: { connectorCategory: 1, name: 1 }, name: 'category_name' },
  { key: { connectorCategory: 1, updatedAt: -1 }, name: 'category_updated' },
  { key: { connectUid: 1 }, name: 'connect_uid' },
] as const satisfies { key: Record<string, 1 | -1>; name: string }[];

/** A filter on the revision a reader saw: 0 is also the original's records, which have none. */
function revisionIs(revision: number): Filter<TaskDoc> {
  return revision === 0 ? { $or: [{ revision: 0 }, { revision: { $exists: false } }] } : { revision };
}

/** A status-sync round's writes go out over at most this many connections at once... */
const STATUS_WRITE_STREAMS = 2;
/** ...each carrying at least this many (a few writes are not worth a second connection). */
const MIN_STATUS_WRITES_PER_STREAM = 50;

/**
 * The task repository (collection df_processor). Every write is one single-document operation,
 * conditional where a retry could otherwise apply it twice, and stamped with the operation that made
 * it so the retry can tell its own earlier write from somebody else's. Every write goes through
 * TaskWrites, which records it in the change log the list view follows.
 */
export class TaskRepository extends TaskReads {
  private readonly log: TaskChangeLog;
  private readonly writes: TaskWrites;
  private readonly syncStore: SyncSnapshotStore;

  constructor(db: Db, options: TaskRepositoryOptions = {}) {
    const collection = db.collection<TaskDoc>(TASK_COLLECTION);
    super(collection, options);
    this.log = new TaskChangeLog(db, TASK_COLLECTION);
    this.syncStore = new SyncSnapshotStore(db, collection);
    this.writes = new TaskWrites(collection, this.log, this.syncStore);
  }

  /**
   * Every task the status sync looks after, from its compact snapshot (df_sync_snapshot), or from
   * df_processor itself (syncSnapshot) when the snapshot is not whole or a true read is due; the
   * snapshot is then built again from that read.
   */
  async readSyncSnapshot(now = Date.now()): Promise<SyncSnapshotRead> {
    return this.syncStore.read(() => this.syncSnapshot(), now);
  }

  /** A config map as stored: secrets sealed, keys encoded. */
  private stored(map: StringMap): StringMap {
    return storedMap(map, this.sealer);
  }

  private get upgrade(): UpgradeContext {
    return { reader: this.reader, writes: this.writes, sealer: this.sealer, onUnreadable: this.options.onUnreadable };
  }

  /** The indexes behind the list queries (category + status filter, sorts). Safe to repeat. */
  async ensureIndexes(): Promise<void> {
    const existing = new Set((await this.existingIndexes()).map((i) => String(i.name)));
    // One at a time, and only the missing ones: FerretDB 1.24 drops the connection when a single
    // createIndexes names several indexes that already exist.
    for (const spec of TASK_INDEXES) {
      if (!existing.has(spec.name)) await this.writes.createIndexes([spec]);
    }
    await this.log.ensureCounter();
  }

  /**
   * How many writes df_processor has had, from any process: the list view reads this one small
   * document, by _id, and reads every task again only when it has moved.
   */
  async changeCount(): Promise<number> {
    return this.log.count();
  }

  /**
   * The writes counted after `since` up to `until`, in order, if this process made every one of
   * them (and still keeps them); undefined if any was another process's, or is unknown.
   */
  writesSince(since: number, until: number): TaskWrite[] | undefined {
    return this.log.since(since, until);
  }

  private async existingIndexes(): Promise<{ name?: unknown }[]> {
    try {
      return await this.reader.listIndexes().toArray();
    } catch (error) {
      if (error instanceof MongoServerError && error.code === 26) return []; // NamespaceNotFound: no collection yet
      throw error;
    }
  }

  /**
   * Inserts a new task. If the id is taken by this same operation (a retried insert), the stored
   * task is returned; taken by anything else, CONFLICT.
   */
  async insert(task: NewTask, op: OperationRef, at: Date): Promise<Task> {
    const doc = newTaskDoc(task, op, at, this.sealer);
    try {
      const inserted = await this.writes.write(
        async (c) => {
          await c.insertOne(doc);
          return this.toTask(doc);
        },
        (put) => ({ kind: 'put', task: put, doc }),
      );
      return inserted;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.reader.findOne({ _id: task.id });
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
    // A refused insert still counts as a change when it inserted some of the tasks.
    const refusal = await this.writes.write(
      async (c) => {
        try {
          await c.insertMany(docs, { ordered: false });
          return undefined;
        } catch (error) {
          if (!(error instanceof MongoBulkWriteError)) throw error;
          return error;
        }
      },
      (error) => {
        if (error !== undefined && error.result.insertedCount === 0) return undefined;
        const refused = new Set(error ? (duplicateKeyRefusals(error) ?? []) : []);
        const inserted = docs.filter((_, i) => !refused.has(i));
        // A refusal other than a taken id leaves which were inserted unknown: the journal reads them.
        return error && !duplicateKeyRefusals(error)
          ? { kind: 'unknown', ids: docs.map((d) => d._id) }
          : { kind: 'unknown', ids: inserted.map((d) => d._id), docs: inserted };
      },
    );
    let taken: string[] = [];
    if (refusal) {
      const refused = duplicateKeyRefusals(refusal);
      if (!refused) throw refusal;
      taken = refused.map((i) => docs[i]._id);
    }
    if (taken.length === 0) return docs.map((d) => d._id);
    const ours = await this.reader
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
    const updated = await this.writes.write(
      async (c) => {
        const doc = await c.findOneAndUpdate(
          { _id: id, ...revisionIs(expectedRevision) },
          { $set: set, $inc: { revision: 1 } },
          { returnDocument: 'after' },
        );
        return doc && { doc, task: this.toTask(doc) };
      },
      (w) => (w ? { kind: 'put', task: w.task, doc: w.doc } : undefined),
    );
    if (updated) return updated.task;
    const current = await this.reader.findOne({ _id: id });
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
    const recorded = {
      status,
      statusReason: reason ?? null,
      statusAt: at,
      statusPending: null,
      unreachableSince: null,
    };
    const written = await this.writes.write(
      async (c) => {
        const before = await c.findOneAndUpdate({ _id: id }, { $set: recorded }, { returnDocument: 'before' });
        const doc = before && { ...before, ...recorded };
        return before && doc && { before, doc, task: this.toTask(doc) };
      },
      (w) => (w ? { kind: 'put', task: w.task, doc: w.doc } : undefined),
    );
    if (!written) return undefined;
    return { task: written.task, from: this.toTask(written.before).status };
  }

  /**
   * Applies a round's changes in one unordered bulk write, each only if the task still has the
   * status the round read. Returns the ids whose write applied (all of them, unless an operation
   * recorded a newer status meanwhile, which is then checked task by task).
   */
  async applyStatusChanges(changes: StatusChange[]): Promise<Set<string>> {
    if (changes.length === 0) return new Set();
    const ops: AnyBulkWriteOperation<TaskDoc>[] = changes.map((c) => ({
      updateOne: { filter: statusChangeFilter(c), update: statusUpdate(c.set) },
    }));
    // The writes are unordered and independent, so a few connections share them: the store
    // (FerretDB) works through one command's statements one by one (110 writes: 88 -> 56 ms on two).
    const parts = Math.min(STATUS_WRITE_STREAMS, Math.ceil(ops.length / MIN_STATUS_WRITES_PER_STREAM));
    const size = Math.ceil(ops.length / parts);
    const matched = await this.writes.write(
      async (c) => {
        const results = await Promise.all(
          Array.from({ length: parts }, (_, i) => c.bulkWrite(ops.slice(i * size, (i + 1) * size), { ordered: false })),
        );
        return results.reduce((n, r) => n + r.matchedCount, 0);
      },
      (n): TaskWrite | undefined =>
        n === 0
          ? undefined
          : n === changes.length
            ? { kind: 'status', patches: new Map(changes.map((c) => [c.id, c.set])) }
            : { kind: 'unknown', ids: changes.map((c) => c.id) },
    );
    if (matched === changes.length) return new Set(changes.map((c) => c.id));
    // Some filter missed: the written ones are those now carrying what the round set.
    const docs = await this.reader
      .find({ _id: { $in: changes.map((c) => c.id) } }, { projection: APPLIED_PROJECTION })
      .toArray();
    return appliedChanges(changes, docs);
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
    const result = await this.writes.write(
      (c) =>
        c.updateOne(
          { _id: id, ...previous },
          { $set: { restarts: { attempts: attempt, lastAttemptAt: at.toISOString() } } },
        ),
      (r) => (r.modifiedCount === 1 ? { kind: 'unknown', ids: [id] } : undefined),
    );
    return result.modifiedCount === 1;
  }

  /**
   * Replaces the recorded config with what Kafka Connect runs, for tasks that mirror Connect rather
   * than drive it: imported connectors and DF's internal ones. A user's task is never touched.
   */
  async mirrorConnectConfig(id: string, config: StringMap, at: Date): Promise<void> {
    await this.writes.write(
      (c) =>
        c.updateOne(
          // An original record not upgraded yet keeps its own key spelling until the upgrade rewrites it.
          { _id: id, revision: { $exists: true }, $or: [{ imported: true }, { connectorCategory: 'INTERNAL' }] },
          { $set: { connectorConfig: this.stored(config), updatedAt: at } },
        ),
      (r) => (r.modifiedCount > 0 ? { kind: 'unknown', ids: [id] } : undefined),
    );
  }

  /**
   * Records the job an engine runs for the task (job id, result counts…): bookkeeping of an
   * operation, not a user edit, so the revision stays. Idempotent.
   */
  async recordJob(id: string, jobConfig: StringMap, at: Date): Promise<Task> {
    const updated = await this.writes.write(
      async (c) => {
        const doc = await c.findOneAndUpdate(
          { _id: id },
          { $set: { jobConfig: this.stored(jobConfig), updatedAt: at } },
          { returnDocument: 'after' },
        );
        return doc && { doc, task: this.toTask(doc) };
      },
      (w) => (w ? { kind: 'put', task: w.task, doc: w.doc } : undefined),
    );
    if (!updated) throw taskNotFound(id);
    return updated.task;
  }

  /** Adds a savepoint to the task's list; adding the same path again (a retried step) changes nothing. */
  async addSavepoint(id: string, savepoint: SavepointRecord): Promise<Task> {
    await this.writes.write(
      (c) => c.updateOne({ _id: id, 'savepoints.path': { $ne: savepoint.path } }, { $push: { savepoints: savepoint } }),
      (r) => (r.modifiedCount > 0 ? { kind: 'unknown', ids: [id] } : undefined),
    );
    return this.require(id);
  }

  /** Removes a task; removing one already gone is not an error (a retried delete). */
  async remove(id: string): Promise<boolean> {
    const result = await this.writes.write(
      (c) => c.deleteOne({ _id: id }),
      (r) => (r.deletedCount === 1 ? { kind: 'remove', id } : undefined),
    );
    return result.deletedCount === 1;
  }

  /** Removes a task only if the given operation was the last to write it (compensation of an add). */
  async removeIfWrittenBy(id: string, op: OperationRef): Promise<boolean> {
    const result = await this.writes.write(
      (c) => c.deleteOne({ _id: id, 'lastOperation.workflowId': op.workflowId, 'lastOperation.runId': op.runId }),
      (r) => (r.deletedCount === 1 ? { kind: 'remove', id } : undefined),
    );
    return result.deletedCount === 1;
  }

  /**
   * Brings every record the original service wrote (no revision) to DF's shape, in place: DF type
   * names, DF statuses, Kafka Connect's key spelling, times and revision 0. Run again, it finds
   * nothing to do. A document that cannot be read is left as it is and named in `unreadable`.
   */
  async upgradeStoredRecords(at: Date): Promise<StoreUpgrade> {
    return upgradeStoredRecords(this.upgrade, at);
  }

  /** Upgrades one original record (see upgradeStoredRecords); undefined when it is not one (any more). */
  async upgradeOriginal(id: string, at: Date): Promise<{ id: string; changes: string[] } | undefined> {
    return upgradeOriginal(this.upgrade, id, at);
  }
}
