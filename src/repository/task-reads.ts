import { type Collection, type Filter, type FindCursor, MongoServerError } from 'mongodb';
import { normaliseCoreKeys } from '../domain/connect-config';
import { DfError } from '../domain/errors';
import { sortPathOf, unknownSortField } from '../domain/list-sort';
import type { SyncedTask } from '../domain/status-sync';
import { lastChangedBy, type OperationRef, type Task } from '../domain/task';
import { TASK_ROW_SHAPE, type TaskListQuery, type TaskPage } from '../domain/task-query';
import { validationError } from '../domain/validation';
import { type ConfigSealer, NO_SEALING } from './secret-cipher';
import { encodeKey } from './key-encoding';
import { readTaskDoc, type TaskDoc, toTask as taskOfDoc, type UnreadableRecord } from './task-doc';
import { SYNC_PROJECTION, syncedTaskOfDoc } from './task-status-doc';

/** What the repository reads df_processor with: no method here can write (writes go through TaskWrites). */
export type TaskReader = Pick<Collection<TaskDoc>, 'find' | 'findOne' | 'countDocuments' | 'listIndexes'>;

/**
 * Documents per batch of a read of every task: the driver decodes a whole batch at once, and a
 * thousand tasks held the event loop for about 50 ms (list answers waited behind it).
 */
export const FULL_READ_BATCH = 250;

/**
 * The stored path a task list sorts by: `_id` for id, a config key encoded as stored (the
 * original's `tasks_max` spelling of a core key as Kafka Connect's `tasks.max`), else the field.
 */
export function storedSortPath(field: TaskListQuery['sort']): string {
  const path = sortPathOf(TASK_ROW_SHAPE, field);
  if (!path) throw validationError('invalid task list query', { sort: [unknownSortField(TASK_ROW_SHAPE, field)] });
  if (path.kind === 'map') {
    const [key] = Object.keys(normaliseCoreKeys({ [path.key]: true }));
    return `${path.map}.${encodeKey(key)}`;
  }
  const name = path.path.join('.');
  return name === 'id' ? '_id' : name;
}

/** Sorts an index serves (the category's indexes): the others sort in the store's memory, top-k. */
const INDEXED_SORTS = new Set(['_id', 'name', 'status', 'updatedAt']);

/**
 * How long a list sorted by a field no index serves may take in the store. The sort keeps only
 * the page's rows (skip + limit, at most MAX_PAGE_SIZE past skip) but reads every matching
 * document; on a large store the query is cut off rather than left to hold it.
 */
export const UNINDEXED_SORT_MAX_MS = 15_000;

export interface TaskRepositoryOptions {
  /** Told of each stored document a read of many tasks had to leave out because it cannot be read. */
  onUnreadable?: (record: UnreadableRecord) => void;
  /** How secret config values are kept at rest (sealed with DF_PAYLOAD_KEY); default: as they are. */
  sealer?: ConfigSealer;
}

/** A sort the store gave up on (maxTimeMS): TIMEOUT naming the way out, not an internal error. */
function sortTimedOut(error: unknown): never {
  if (error instanceof MongoServerError && error.code === 50) {
    throw new DfError('TIMEOUT', 'the store took too long to sort this list; sort by id, name, status or updatedAt', {
      details: { limitMs: UNINDEXED_SORT_MAX_MS },
    });
  }
  throw error;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether this stored task was last written by the given operation (a retried step's own write). */
export function writtenBy(doc: TaskDoc | null, op: OperationRef): doc is TaskDoc {
  return doc !== null && lastChangedBy(doc, op);
}

export function taskNotFound(id: string): DfError {
  return new DfError('NOT_FOUND', `no task with id ${id}`, { details: { id } });
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

/** The reads of df_processor: tasks one by one, lists, and the status sync's snapshot. */
export class TaskReads {
  protected readonly sealer: ConfigSealer;

  constructor(
    protected readonly reader: TaskReader,
    protected readonly options: TaskRepositoryOptions = {},
  ) {
    this.sealer = options.sealer ?? NO_SEALING;
  }

  /** A stored task that must be readable: an unreadable one is UNREADABLE_RECORD. */
  protected toTask(doc: unknown): Task {
    return taskOfDoc(doc, this.sealer);
  }

  /** A document of a read of many: the task, or undefined (reported) when it cannot be read. */
  protected readOrSkip(doc: unknown, skipped?: UnreadableRecord[]): Task | undefined {
    const read = readTaskDoc(doc as Record<string, unknown>, this.sealer);
    if (read.ok) return read.task;
    skipped?.push(read.unreadable);
    this.options.onUnreadable?.(read.unreadable);
    return undefined;
  }

  private readMany(docs: unknown[]): Task[] {
    return docs.map((d) => this.readOrSkip(d)).filter((t): t is Task => t !== undefined);
  }

  async get(id: string): Promise<Task | undefined> {
    const doc = await this.reader.findOne({ _id: id });
    return doc ? this.toTask(doc) : undefined;
  }

  /** The category of each of these ids that names a task, in one read (ids with no task are absent). */
  async categoriesOf(ids: string[]): Promise<Map<string, Task['connectorCategory']>> {
    if (ids.length === 0) return new Map();
    const docs = await this.reader
      .find({ _id: { $in: ids } }, { projection: { _id: 1, connectorCategory: 1 } })
      .toArray();
    return new Map(docs.map((d) => [d._id, d.connectorCategory]));
  }

  /**
   * Refuses an id some task already has (an add of a new task): CONFLICT. With `op`, a task that
   * very operation wrote passes, and 'ours' says so: a step run again after its worker died
   * mid-way (local activities re-run on replay) finds its own earlier record, not a rival's.
   */
  async requireFree(id: string, op?: OperationRef): Promise<'free' | 'ours'> {
    const existing = await this.reader.findOne({ _id: id }, { projection: { _id: 1, lastOperation: 1 } });
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
   * Every task, in no particular order: what the API's list view holds in memory. A document that
   * cannot be read is left out, and named in `unreadable`.
   */
  async all(): Promise<{ tasks: Task[]; unreadable: UnreadableRecord[] }> {
    const unreadable: UnreadableRecord[] = [];
    // In batches, each decoded and converted before the next arrives, so reading 10,000 documents
    // never holds the event loop for long.
    const tasks = await mapEach(this.reader.find({}, { batchSize: FULL_READ_BATCH }), (d) =>
      this.readOrSkip(d, unreadable),
    );
    return { tasks, unreadable };
  }

  /** Every task the status sync looks after, with only the fields a round reads. */
  async syncSnapshot(): Promise<SyncedTask[]> {
    const docs = this.reader.find(
      { connectorCategory: { $in: ['CONNECT', 'INTERNAL', 'TRANSFORM'] } },
      { projection: SYNC_PROJECTION, batchSize: FULL_READ_BATCH },
    );
    return mapEach(docs, syncedTaskOfDoc);
  }

  /** The tasks Kafka Connect runs under these names (connectUid), for the startup import. */
  async byConnectUid(names: string[]): Promise<Task[]> {
    if (names.length === 0) return [];
    return this.readMany(await this.reader.find({ connectUid: { $in: names } }).toArray());
  }

  /** Every task of one connector type (e.g. the JAR transforms, to see which jars they run). */
  async byConnectorType(connectorType: string): Promise<Task[]> {
    return this.readMany(await this.reader.find({ connectorType }).toArray());
  }

  /** Every connect-like task (CONNECT, INTERNAL) with its config: the drift report compares them. */
  async connectTasks(): Promise<Task[]> {
    return this.readMany(await this.reader.find({ connectorCategory: { $in: ['CONNECT', 'INTERNAL'] } }).toArray());
  }

  async list(query: TaskListQuery): Promise<TaskPage<Task>> {
    const filter: Filter<TaskDoc> = {};
    if (query.category) filter.connectorCategory = query.category;
    if (query.statuses?.length) filter.status = { $in: query.statuses };
    if (query.types?.length) filter.connectorType = { $in: query.types };
    if (query.q) {
      // A literal substring, never a pattern or an operator: user text is escaped.
      const pattern = { $regex: escapeRegex(query.q), $options: 'i' };
      filter.$or = [{ _id: pattern }, { name: pattern }, { description: pattern }, { connectorType: pattern }];
    }
    const direction = query.order === 'ASC' ? 1 : -1;
    const sortField = storedSortPath(query.sort);
    const sort: Record<string, 1 | -1> = { [sortField]: direction };
    if (sortField !== '_id') sort._id = direction; // a stable order across pages
    const find = () => {
      // Always with a limit: the store sorts keeping the page's rows only, never every document.
      const cursor = this.reader.find(filter).sort(sort).skip(query.skip).limit(query.limit);
      return (INDEXED_SORTS.has(sortField) ? cursor : cursor.maxTimeMS(UNINDEXED_SORT_MAX_MS)).toArray();
    };
    const [docs, total] = await Promise.all([
      // limit 0 is an empty page (_end == _start), not the driver's "no limit".
      query.limit === 0 ? Promise.resolve([]) : find().catch(sortTimedOut),
      this.reader.countDocuments(filter),
    ]);
    const unreadable: UnreadableRecord[] = [];
    const items = docs.map((d) => this.readOrSkip(d, unreadable)).filter((t): t is Task => t !== undefined);
    return { items, total: total - unreadable.length, ...(unreadable.length ? { unreadable: unreadable.length } : {}) };
  }
}
