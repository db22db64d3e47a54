import type { Task } from '../domain/task';
import type { TaskListQuery, TaskPage } from '../domain/task-query';
import { taskWithStatusPatch } from '../domain/status-patch';
import type { TaskWrite } from './task-change-log';
import { sortedWithChanges, sortTasks, type TaskOrder, taskOrder } from './task-list-order';
import type { TaskRepository } from './task-repository';

/** A page as the view serves it, with the age of the snapshot it came from. */
export interface ViewedPage extends TaskPage<Task> {
  /** How old the snapshot behind this page is, in ms (0: read for this request). */
  ageMs: number;
}

export interface TaskListViewOptions {
  /** A snapshot younger than this is served as it is. */
  maxAgeMs: number;
  /** Up to this age a snapshot is still served while a fresh one is read behind it; older, the list waits. */
  maxStaleMs: number;
  /**
   * Every task is read again at least this often even while the change count says nothing moved
   * (a writer may die between its write and its count); default maxStaleMs.
   */
  fullReadEveryMs?: number;
  now?: () => number;
}

/** One filtered, sorted list of a snapshot (its pages are slices of it). */
interface OrderedList {
  query: TaskListQuery;
  needle: string | undefined;
  order: TaskOrder;
  tasks: Task[];
}

interface Snapshot {
  /**
   * Every task, by id. A snapshot made by taking this process's writes shares it with the one it
   * was made from: the writes are applied in place in the same turn of the event loop that puts the
   * new snapshot in its place, so the newest snapshot's lists always agree with it.
   */
  byId: Map<string, Task>;
  /** Stored records the read left out because they cannot be read as tasks. */
  unreadable: number;
  /** When the read behind it started: it shows every write made before that. */
  at: number;
  /** The store's change count read just before the tasks: the same count later means the same tasks. */
  seq: number;
  /** When the tasks themselves were last read (`at` moves on while the count stands still). */
  readAt: number;
  /** The invalidation count when the read started: older ones may miss an API change. */
  generation: number;
  /** Filtered and sorted lists of this snapshot, by query (pages are slices of them). */
  ordered: Map<string, OrderedList>;
  /**
   * Pages served from this snapshot, by query and range: the same page asked again gets the same
   * items array, so the API can reuse what it made of it (the masked, serialised answer).
   */
  pages: Map<string, TaskPage<Task>>;
}

function matches(task: Task, query: TaskListQuery, needle: string | undefined): boolean {
  if (query.category && task.connectorCategory !== query.category) return false;
  if (query.statuses?.length && !query.statuses.includes(task.status)) return false;
  if (query.types?.length && !query.types.includes(task.connectorType)) return false;
  if (needle === undefined) return true;
  return [task.id, task.name, task.description, task.connectorType].some(
    (v) => typeof v === 'string' && v.toLowerCase().includes(needle),
  );
}

/**
 * Task lists (GET /ps, /tr, /processor) answered from an in-memory snapshot of df_processor, so a
 * list polled by many consoles costs the store one read per maxAgeMs instead of one per request:
 * a filtered, sorted page of 10,000 tasks costs a Mongo-wire store without pushdown (FerretDB on
 * SQLite) a scan of every document, about 1 s. The store stays the record: a snapshot older than
 * maxAgeMs is refreshed behind the answer (by one _id read of the store's change count when no
 * task was written since; by applying the writes when this process made them all, which the
 * repository keeps by count; else by a read of every task), one older than maxStaleMs is waited for, and invalidate()
 * (called after every change made through the API) makes the next list wait for a read that began
 * after the change, so nobody misses their own write.
 */
export class TaskListView {
  private snapshot: Snapshot | undefined;
  private reading: { generation: number; done: Promise<Snapshot> } | undefined;
  private generation = 0;
  private readonly now: () => number;

  constructor(
    private readonly tasks: TaskRepository,
    private readonly options: TaskListViewOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The next list reflects every write made before this call. */
  invalidate(): void {
    this.generation++;
  }

  async list(query: TaskListQuery): Promise<ViewedPage> {
    let snapshot = this.snapshot;
    const now = this.now();
    const valid = snapshot !== undefined && snapshot.generation === this.generation;
    if (!snapshot || !valid || now - snapshot.at > this.options.maxStaleMs) {
      snapshot = await this.read();
    } else if (now - snapshot.at > this.options.maxAgeMs) {
      this.read().catch(() => undefined); // the next list will see it, or read again
    }
    return {
      ...pageOf(snapshot, query),
      ageMs: Math.max(0, this.now() - snapshot.at),
      ...(snapshot.unreadable ? { unreadable: snapshot.unreadable } : {}),
    };
  }

  /** One read at a time; a caller joins the read under way if it began after the last invalidation. */
  private read(): Promise<Snapshot> {
    if (this.reading && this.reading.generation === this.generation) return this.reading.done;
    const since = this.now();
    const generation = this.generation;
    const done = (async () => {
      // The count first: a write counted after this read shows as a change next time.
      const seq = await this.tasks.changeCount();
      const prev = this.snapshot;
      // A read that began after this one has answered: it shows all this one would.
      if (prev && prev.at > since) return prev;
      // Nothing written since: the same tasks, and the lists and pages made of them, stay valid. A
      // full read still comes every maxStaleMs, for a writer that died between its write and its count.
      const fresh =
        prev !== undefined && since - prev.readAt < (this.options.fullReadEveryMs ?? this.options.maxStaleMs);
      // Written since only by this process (the status sync, the operations of its worker): the
      // snapshot takes those writes instead of reading every task again.
      const ownWrites = fresh && prev.seq < seq ? this.tasks.writesSince(prev.seq, seq) : undefined;
      let snapshot: Snapshot;
      if (fresh && prev.seq >= seq) snapshot = { ...prev, at: since, generation };
      else if (fresh && ownWrites) snapshot = { ...withWrites(prev, ownWrites), at: since, seq, generation };
      else {
        const { tasks, unreadable } = await this.tasks.all();
        snapshot = {
          byId: new Map(tasks.map((t) => [t.id, t])),
          unreadable: unreadable.length,
          at: since,
          readAt: since,
          seq,
          generation,
          ordered: new Map(),
          pages: new Map(),
        };
      }
      if (!this.snapshot || this.snapshot.at <= since) this.snapshot = snapshot;
      return snapshot;
    })().finally(() => {
      if (this.reading?.done === done) this.reading = undefined;
    });
    this.reading = { generation, done };
    return done;
  }
}

/**
 * The snapshot after this process's writes: its tasks changed in place, and each of its lists made
 * anew from the old one by moving the changed tasks (sorting 100,000 tasks again after every
 * status-sync round held the event loop for a quarter of a second).
 */
function withWrites(prev: Snapshot, writes: TaskWrite[]): Snapshot {
  const byId = prev.byId;
  /** The version each changed task had in the snapshot (undefined: it had none). */
  const before = new Map<string, Task | undefined>();
  const changing = (id: string) => {
    if (!before.has(id)) before.set(id, byId.get(id));
  };
  for (const write of writes) {
    if (write.kind === 'put') {
      changing(write.task.id);
      byId.set(write.task.id, write.task);
    } else if (write.kind === 'remove') {
      changing(write.id);
      byId.delete(write.id);
    } else if (write.kind === 'status') {
      for (const [id, patch] of write.patches) {
        const task = byId.get(id);
        if (!task) continue;
        changing(id);
        byId.set(id, taskWithStatusPatch(task, patch));
      }
    }
  }
  const ordered = new Map<string, OrderedList>();
  for (const [key, list] of prev.ordered) {
    const leaving: Task[] = [];
    const entering: Task[] = [];
    for (const [id, old] of before) {
      const now = byId.get(id);
      if (old === now) continue;
      if (old && matches(old, list.query, list.needle)) leaving.push(old);
      if (now && matches(now, list.query, list.needle)) entering.push(now);
    }
    const tasks =
      leaving.length === 0 && entering.length === 0
        ? list.tasks
        : sortedWithChanges(list.tasks, list.order, leaving, entering);
    // A list that does not hold what it should is left out: the next list sorts afresh.
    if (tasks) ordered.set(key, { ...list, tasks });
  }
  return { ...prev, ordered, pages: new Map() };
}

function pageOf(snapshot: Snapshot, query: TaskListQuery): TaskPage<Task> {
  const needle = query.q?.toLowerCase();
  const key = JSON.stringify([query.category, query.statuses, query.types, needle, query.sort, query.order]);
  let ordered = snapshot.ordered.get(key)?.tasks;
  if (!ordered) {
    const order = taskOrder(query.sort, query.order === 'ASC' ? 1 : -1);
    const matching: Task[] = [];
    for (const task of snapshot.byId.values()) if (matches(task, query, needle)) matching.push(task);
    ordered = sortTasks(matching, order);
    // Bounded: a snapshot lives about maxAgeMs, and consoles ask a handful of distinct lists.
    if (snapshot.ordered.size < 64) snapshot.ordered.set(key, { query, needle, order, tasks: ordered });
  }
  const pageKey = `${key}[${query.skip},${query.limit}]`;
  let page = snapshot.pages.get(pageKey);
  if (!page) {
    page = { items: ordered.slice(query.skip, query.skip + query.limit), total: ordered.length };
    if (snapshot.pages.size < 256) snapshot.pages.set(pageKey, page);
  }
  return page;
}
