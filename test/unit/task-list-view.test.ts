import type { Task } from '../../src/domain/task';
import type { TaskListQuery } from '../../src/domain/task-query';
import { TaskListView } from '../../src/repository/task-list-view';
import type { TaskWrite } from '../../src/repository/task-change-log';
import type { TaskRepository, UnreadableRecord } from '../../src/repository/task-repository';

const taskOf = (id: string, status = 'RUNNING') => ({ id, name: id, status, connectorCategory: 'CONNECT' }) as Task;

/**
 * A FAKE repository whose all() is a store read we can count and hold open, with a change count,
 * and the writes "this process" made, by count (what TaskRepository keeps for writesSince).
 */
function fakeStore(initial: string[]) {
  let ids = initial;
  const statuses = new Map<string, string>();
  const pending: (() => void)[] = [];
  let hold = false;
  let seq = 0;
  const own = new Map<number, TaskWrite>();
  const repo = {
    reads: 0,
    async changeCount(): Promise<number> {
      return seq;
    },
    writesSince(since: number, until: number): TaskWrite[] | undefined {
      const writes: TaskWrite[] = [];
      for (let n = since + 1; n <= until; n++) {
        const w = own.get(n);
        if (!w || w.kind === 'unknown') return undefined;
        writes.push(w);
      }
      return writes;
    },
    async all(): Promise<{ tasks: Task[]; unreadable: UnreadableRecord[] }> {
      repo.reads++;
      const snapshot = ids.map((id) => taskOf(id, statuses.get(id)));
      if (hold) await new Promise<void>((resolve) => pending.push(resolve));
      return { tasks: snapshot, unreadable: [] };
    },
  };
  return {
    repo,
    /** The store's tasks change, and its change count with them (as TaskRepository's writes do). */
    set: (next: string[]) => {
      ids = next;
      seq++;
    },
    /** A write made by this process: the store changes, and the write is kept under its count. */
    write: (w: TaskWrite) => {
      if (w.kind === 'put' && !ids.includes(w.task.id)) ids = [...ids, w.task.id];
      if (w.kind === 'remove') ids = ids.filter((id) => id !== w.id);
      if (w.kind === 'status') for (const [id, p] of w.patches) if (p.status) statuses.set(id, p.status);
      own.set(++seq, w);
    },
    hold: () => {
      hold = true;
    },
    release: () => {
      hold = false;
      pending.splice(0).forEach((r) => r());
    },
  };
}

const QUERY: TaskListQuery = { sort: 'id', order: 'ASC', skip: 0, limit: 10 };

describe('TaskListView: task lists from an in-memory snapshot', () => {
  let now = 0;
  const clock = () => now;
  const view = (store: ReturnType<typeof fakeStore>) =>
    new TaskListView(store.repo as unknown as TaskRepository, { maxAgeMs: 1000, maxStaleMs: 5000, now: clock });
  const ids = async (v: TaskListView) => (await v.list(QUERY)).items.map((t) => t.id);

  beforeEach(() => {
    now = 10_000;
  });

  it('reads the store once for any number of lists while the snapshot is younger than maxAge', async () => {
    const store = fakeStore(['a', 'b']);
    const v = view(store);
    await Promise.all(Array.from({ length: 50 }, () => v.list(QUERY)));
    now += 900;
    expect(await ids(v)).toEqual(['a', 'b']);
    expect(store.repo.reads).toBe(1);
  });

  it('reads only the change count, not the tasks, while nothing was written; reads the tasks once something was', async () => {
    const store = fakeStore(['a']);
    const v = view(store);
    const first = await v.list(QUERY);
    for (let i = 0; i < 3; i++) {
      now += 1500;
      await v.list(QUERY);
      await new Promise((r) => setImmediate(r));
    }
    expect(store.repo.reads).toBe(1);
    // The same page of the same tasks: the very items array, so what the API made of it is reused.
    expect((await v.list(QUERY)).items).toBe(first.items);
    store.set(['a', 'b']);
    now += 1500;
    await v.list(QUERY);
    await new Promise((r) => setImmediate(r));
    expect(await ids(v)).toEqual(['a', 'b']);
    expect(store.repo.reads).toBe(2);
  });

  it('reads the tasks again after maxStale even when the count stood still (a writer may have died before counting)', async () => {
    const store = fakeStore(['a']);
    const v = view(store);
    await v.list(QUERY);
    now += 5001;
    await v.list(QUERY);
    expect(store.repo.reads).toBe(2);
  });

  it('answers from the older snapshot while it reads a newer one, then serves the newer', async () => {
    const store = fakeStore(['a']);
    const v = view(store);
    await v.list(QUERY);
    store.set(['a', 'b']);
    now += 1500;
    store.hold();
    const page = await v.list(QUERY);
    expect(page.items.map((t) => t.id)).toEqual(['a']);
    expect(page.ageMs).toBe(1500);
    store.release();
    await new Promise((r) => setImmediate(r));
    expect(await ids(v)).toEqual(['a', 'b']);
    expect(store.repo.reads).toBe(2);
  });

  it('waits for a fresh read once the snapshot is older than maxStale', async () => {
    const store = fakeStore(['a']);
    const v = view(store);
    await v.list(QUERY);
    store.set(['b']);
    now += 6000;
    expect(await ids(v)).toEqual(['b']);
  });

  it('after invalidate(), the next list waits for a read that began after it, joined by every list meanwhile', async () => {
    const store = fakeStore(['a']);
    const v = view(store);
    await v.list(QUERY);
    store.set(['a', 'new']);
    now += 10;
    v.invalidate();
    const lists = await Promise.all([ids(v), ids(v), ids(v)]);
    expect(lists).toEqual([
      ['a', 'new'],
      ['a', 'new'],
      ['a', 'new'],
    ]);
    expect(store.repo.reads).toBe(2);
  });

  it('takes the writes this process made instead of reading every task again', async () => {
    const store = fakeStore(['a', 'b', 'c']);
    const v = view(store);
    await v.list(QUERY);
    store.write({ kind: 'put', task: taskOf('d') });
    store.write({ kind: 'remove', id: 'b' });
    store.write({ kind: 'status', patches: new Map([['a', { status: 'FAILED' as const, statusAt: 20_000 }]]) });
    now += 1500;
    await v.list(QUERY);
    await new Promise((r) => setImmediate(r));
    const page = await v.list(QUERY);
    expect(page.items.map((t) => [t.id, t.status])).toEqual([
      ['a', 'FAILED'],
      ['c', 'RUNNING'],
      ['d', 'RUNNING'],
    ]);
    expect(page.items[0].statusAt).toBe(new Date(20_000).toISOString());
    expect(store.repo.reads).toBe(1);
  });

  it("reads every task once any write since the snapshot was not this process's (or is unknown)", async () => {
    const store = fakeStore(['a']);
    const v = view(store);
    await v.list(QUERY);
    store.write({ kind: 'put', task: taskOf('b') });
    store.set(['a', 'b', 'x']); // another process's write
    now += 1500;
    await v.list(QUERY);
    await new Promise((r) => setImmediate(r));
    expect(await ids(v)).toEqual(['a', 'b', 'x']);
    expect(store.repo.reads).toBe(2);
    store.write({ kind: 'unknown' });
    now += 1500;
    await v.list(QUERY);
    await new Promise((r) => setImmediate(r));
    expect(store.repo.reads).toBe(3);
  });

  it('with fullReadEveryMs, keeps its snapshot past maxStale while the count stands still, and reads everything once that has passed', async () => {
    const store = fakeStore(['a']);
    const v = new TaskListView(store.repo as unknown as TaskRepository, {
      maxAgeMs: 1000,
      maxStaleMs: 5000,
      fullReadEveryMs: 60_000,
      now: clock,
    });
    await v.list(QUERY);
    for (let i = 0; i < 10; i++) {
      now += 4000;
      await v.list(QUERY);
      await new Promise((r) => setImmediate(r));
    }
    expect(store.repo.reads).toBe(1);
    now += 21_000;
    await v.list(QUERY);
    await new Promise((r) => setImmediate(r));
    expect(store.repo.reads).toBe(2);
  });

  it("keeps its sorted, filtered lists right through this process's writes, as a fresh read of the store would list them", async () => {
    const store = fakeStore(Array.from({ length: 8 }, (_, i) => `t${i}`));
    const v = new TaskListView(store.repo as unknown as TaskRepository, {
      maxAgeMs: 1000,
      maxStaleMs: 5000,
      fullReadEveryMs: 60_000,
      now: clock,
    });
    const running: TaskListQuery = { statuses: ['RUNNING'], sort: 'name', order: 'DESC', skip: 0, limit: 5 };
    const all: TaskListQuery = { sort: 'id', order: 'ASC', skip: 2, limit: 50 };
    const both = async (view: TaskListView) =>
      Promise.all([running, all].map(async (q) => (await view.list(q)).items.map((t) => [t.id, t.status])));
    await both(v);
    const writes: TaskWrite[][] = [
      [
        {
          kind: 'status',
          patches: new Map([
            ['t1', { status: 'PAUSED' as const }],
            ['t3', { status: 'FAILED' as const }],
          ]),
        },
      ],
      [
        { kind: 'put', task: taskOf('t9') },
        { kind: 'remove', id: 't0' },
      ],
      [
        { kind: 'status', patches: new Map([['t1', { status: 'RUNNING' as const }]]) },
        {
          kind: 'status',
          patches: new Map([
            ['t9', { status: 'STOPPED' as const }],
            ['t1', { status: 'PAUSED' as const }],
          ]),
        },
      ],
      [{ kind: 'status', patches: new Map([['gone', { status: 'RUNNING' as const }]]) }],
    ];
    for (const round of writes) {
      round.forEach((w) => store.write(w));
      now += 1500;
      await v.list(running);
      await new Promise((r) => setImmediate(r));
      expect(await both(v)).toEqual(await both(view(store)));
    }
    // One read of every task for the view under test (each fresh view made one of its own).
    expect(store.repo.reads).toBe(1 + writes.length);
  });
});
