import { Collection, Db, Filter, MongoServerError } from 'mongodb';
import { DfError } from '../domain/errors';
import type { DfStatus } from '../domain/status';
import type { OperationRef, SavepointRecord, StringMap, Task } from '../domain/task';
import type { TaskListQuery, TaskPage } from '../domain/task-query';
import { decodeMap, encodeMap } from './key-encoding';

export const TASK_COLLECTION = 'df_processor';

/** df_processor as stored: `_id` for id, times as Date, config keys encoded (same field names otherwise). */
type TaskDoc = Omit<Task, 'id' | 'createdAt' | 'updatedAt' | 'statusAt' | 'statusReason'> & {
  _id: string;
  createdAt: Date;
  updatedAt: Date;
  statusAt: Date;
  statusReason?: string | null;
};

/** Fields a user edit may change; status has its own write (recordStatus). */
export type TaskEdit = Partial<Pick<Task, 'taskSeq' | 'name' | 'description' | 'connectorType' | 'connectorConfig' | 'jobConfig'>>;

const SORT_FIELD: Record<TaskListQuery['sort'], string> = {
  id: '_id', name: 'name', taskSeq: 'taskSeq', status: 'status', connectorType: 'connectorType',
  connectorCategory: 'connectorCategory', description: 'description', createdAt: 'createdAt',
  updatedAt: 'updatedAt', statusAt: 'statusAt',
};

const TASK_INDEXES = [
  { key: { connectorCategory: 1, status: 1 }, name: 'category_status' },
  { key: { connectorCategory: 1, name: 1 }, name: 'category_name' },
  { key: { connectorCategory: 1, updatedAt: -1 }, name: 'category_updated' },
  { key: { connectUid: 1 }, name: 'connect_uid' },
] as const satisfies { key: Record<string, 1 | -1>; name: string }[];

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toTask(doc: TaskDoc): Task {
  return {
    id: doc._id,
    taskSeq: doc.taskSeq,
    name: doc.name,
    description: doc.description,
    connectorType: doc.connectorType,
    connectorCategory: doc.connectorCategory,
    connectUid: doc.connectUid,
    status: doc.status,
    connectorConfig: decodeMap(doc.connectorConfig ?? {}),
    jobConfig: doc.jobConfig ? decodeMap(doc.jobConfig) : null,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
    statusAt: doc.statusAt.toISOString(),
    ...(doc.statusReason ? { statusReason: doc.statusReason } : {}),
    revision: doc.revision,
    ...(doc.lastOperation ? { lastOperation: doc.lastOperation } : {}),
    ...(doc.savepoints?.length ? { savepoints: doc.savepoints } : {}),
  };
}

/** Whether this stored task was last written by the given operation (a retried step's own write). */
function writtenBy(doc: TaskDoc | null, op: OperationRef): doc is TaskDoc {
  return doc?.lastOperation?.workflowId === op.workflowId && doc.lastOperation.runId === op.runId;
}

function taskNotFound(id: string): DfError {
  return new DfError('NOT_FOUND', `no task with id ${id}`, { details: { id } });
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 11000;
}

/**
 * The task repository (collection df_processor). Every write is one single-document operation,
 * conditional where a retry could otherwise apply it twice, and stamped with the operation that made
 * it so the retry can tell its own earlier write from somebody else's.
 */
export class TaskRepository {
  private readonly collection: Collection<TaskDoc>;

  constructor(db: Db) {
    this.collection = db.collection<TaskDoc>(TASK_COLLECTION);
  }

  /** The indexes behind the list queries (category + status filter, sorts). Safe to repeat. */
  async ensureIndexes(): Promise<void> {
    const existing = new Set((await this.existingIndexes()).map((i) => String(i.name)));
    // One at a time, and only the missing ones: FerretDB 1.24 drops the connection when a single
    // createIndexes names several indexes that already exist.
    for (const spec of TASK_INDEXES) {
      if (!existing.has(spec.name)) await this.collection.createIndexes([spec]);
    }
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
    return doc ? toTask(doc) : undefined;
  }

  /** Refuses an id some task already has (an add of a new task): CONFLICT. */
  async requireFree(id: string): Promise<void> {
    if (await this.collection.findOne({ _id: id }, { projection: { _id: 1 } })) {
      throw new DfError('CONFLICT', `a task with id ${id} already exists`, { details: { id } });
    }
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
  async insert(task: Omit<Task, 'createdAt' | 'updatedAt' | 'statusAt' | 'revision'>, op: OperationRef, at: Date): Promise<Task> {
    const doc: TaskDoc = {
      _id: task.id,
      taskSeq: task.taskSeq,
      name: task.name,
      description: task.description,
      connectorType: task.connectorType,
      connectorCategory: task.connectorCategory,
      connectUid: task.connectUid,
      status: task.status,
      connectorConfig: encodeMap(task.connectorConfig),
      jobConfig: task.jobConfig ? encodeMap(task.jobConfig) : null,
      createdAt: at,
      updatedAt: at,
      statusAt: at,
      statusReason: task.statusReason ?? null,
      revision: 1,
      lastOperation: op,
    };
    try {
      await this.collection.insertOne(doc);
      return toTask(doc);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const existing = await this.collection.findOne({ _id: task.id });
      if (writtenBy(existing, op)) return toTask(existing);
      throw new DfError('CONFLICT', `a task with id ${task.id} already exists`, { details: { id: task.id } });
    }
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
    if (edit.connectorConfig !== undefined) set.connectorConfig = encodeMap(edit.connectorConfig);
    if (edit.jobConfig !== undefined) set.jobConfig = edit.jobConfig ? encodeMap(edit.jobConfig) : null;
    const updated = await this.collection.findOneAndUpdate(
      { _id: id, revision: expectedRevision },
      { $set: set, $inc: { revision: 1 } },
      { returnDocument: 'after' },
    );
    if (updated) return toTask(updated);
    const current = await this.collection.findOne({ _id: id });
    if (!current) throw taskNotFound(id);
    if (current.revision === expectedRevision + 1 && writtenBy(current, op)) return toTask(current);
    throw new DfError('CONFLICT', `task ${id} changed meanwhile: revision ${current.revision}, expected ${expectedRevision}`, {
      details: { id, revision: current.revision, expectedRevision },
    });
  }

  /** Records what the engine reported. Not a user edit: the revision stays. Idempotent. */
  async recordStatus(id: string, status: DfStatus, reason: string | undefined, at: Date): Promise<Task | undefined> {
    const updated = await this.collection.findOneAndUpdate(
      { _id: id },
      { $set: { status, statusReason: reason ?? null, statusAt: at } },
      { returnDocument: 'after' },
    );
    return updated ? toTask(updated) : undefined;
  }

  /**
   * Records the job an engine runs for the task (job id, result counts…): bookkeeping of an
   * operation, not a user edit, so the revision stays. Idempotent.
   */
  async recordJob(id: string, jobConfig: StringMap, at: Date): Promise<Task> {
    const updated = await this.collection.findOneAndUpdate(
      { _id: id },
      { $set: { jobConfig: encodeMap(jobConfig), updatedAt: at } },
      { returnDocument: 'after' },
    );
    if (!updated) throw taskNotFound(id);
    return toTask(updated);
  }

  /** Adds a savepoint to the task's list; adding the same path again (a retried step) changes nothing. */
  async addSavepoint(id: string, savepoint: SavepointRecord): Promise<Task> {
    await this.collection.updateOne({ _id: id, 'savepoints.path': { $ne: savepoint.path } }, { $push: { savepoints: savepoint } });
    return this.require(id);
  }

  /** Removes a task; removing one already gone is not an error (a retried delete). */
  async remove(id: string): Promise<boolean> {
    const result = await this.collection.deleteOne({ _id: id });
    return result.deletedCount === 1;
  }

  /** Removes a task only if the given operation was the last to write it (compensation of an add). */
  async removeIfWrittenBy(id: string, op: OperationRef): Promise<boolean> {
    const result = await this.collection.deleteOne({ _id: id, 'lastOperation.workflowId': op.workflowId, 'lastOperation.runId': op.runId });
    return result.deletedCount === 1;
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
      query.limit === 0 ? Promise.resolve([]) : this.collection.find(filter).sort(sort).skip(query.skip).limit(query.limit).toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items: docs.map(toTask), total };
  }
}
