import type { StatusChange } from '../../src/domain/status-sync';
import { StatusHistoryRepository } from '../../src/repository/status-history-repository';
import { TaskRepository } from '../../src/repository/task-repository';
import { useScratchDb } from '../support/scratch-db';

/**
 * The repository's writes on the stack's real store, at the sizes a status-sync round reaches:
 * the writes the store must answer quickly and never stall on (the local stack's FerretDB carries
 * fixes for both, scripts/stack/ferretdb/sqlite-backend-fixes.patch).
 */
describe('task store: ownership checks and status writes at scale', () => {
  const scratch = useScratchDb('it_store');
  let tasks: TaskRepository;
  const TASKS = 400;
  const op = { workflowId: 'seed', runId: 'seed', type: 'seed' };
  const seededAt = new Date('2026-01-01T00:00:00Z');
  const idOf = (i: number) => `store-${String(i).padStart(4, '0')}`;

  beforeAll(async () => {
    tasks = new TaskRepository(scratch.db);
    await tasks.ensureIndexes();
    for (let i = 0; i < TASKS; i++) {
      await tasks.insert(
        {
          id: idOf(i),
          taskSeq: '1',
          name: idOf(i),
          description: '',
          connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
          connectorCategory: 'CONNECT',
          connectUid: idOf(i),
          status: 'RUNNING',
          connectorConfig: { 'tasks.max': '1' },
          jobConfig: null,
        },
        op,
        seededAt,
      );
    }
  }, 120_000);

  const change = (
    i: number,
    expect: 'RUNNING' | 'PAUSED',
    to: 'RUNNING' | 'PAUSED' | 'FAILED',
    at: number,
  ): StatusChange => ({
    id: idOf(i),
    expect: { status: expect, statusAt: seededAt.getTime() },
    set: { status: to, statusAt: at },
    history: [],
  });

  it("lets an add run again by its own operation find its record free, and refuses anyone else's", async () => {
    expect(await tasks.requireFree('store-none', op)).toBe('free');
    // The seeding operation wrote store-0000: a re-run of it is told the record is its own...
    expect(await tasks.requireFree(idOf(0), op)).toBe('ours');
    // ...while another operation, or a caller naming none, meets a conflict.
    await expect(
      tasks.requireFree(idOf(0), { workflowId: 'other', runId: 'other', type: 'connectAdd' }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(tasks.requireFree(idOf(0))).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('applies a round of 250 changes at once (a store that held each statement open stalled at 100)', async () => {
    const at = Date.now();
    const changes = Array.from({ length: 250 }, (_, i) => change(i, 'RUNNING', 'PAUSED', at));
    const applied = await tasks.applyStatusChanges(changes);
    expect(applied.size).toBe(250);
    const paused = await scratch.db.collection('df_processor').countDocuments({ status: 'PAUSED' });
    expect(paused).toBe(250);
  }, 30_000);

  it('applies a change only where the task still has the status the round read', async () => {
    const at = Date.now();
    // Tasks 0..249 are PAUSED now: a round that read RUNNING for them was overtaken.
    const stale = [change(10, 'RUNNING', 'FAILED', at), change(11, 'RUNNING', 'FAILED', at)];
    const current = [change(260, 'RUNNING', 'FAILED', at)];
    const applied = await tasks.applyStatusChanges([...stale, ...current]);
    expect([...applied]).toEqual([idOf(260)]);
    expect((await tasks.get(idOf(10)))?.status).toBe('PAUSED');
    expect((await tasks.get(idOf(260)))?.status).toBe('FAILED');
  }, 30_000);

  it('tells the applied changes from the overtaken ones when a round writes over more than one connection', async () => {
    const at = Date.now();
    // 100 changes go out as two bulk writes; an overtaken change sits in each half.
    const ids = Array.from({ length: 100 }, (_, i) => 300 + i);
    const overtaken = new Set([305, 385]);
    const changes = ids.map((i) => change(i, overtaken.has(i) ? 'PAUSED' : 'RUNNING', 'PAUSED', at));
    const applied = await tasks.applyStatusChanges(changes);
    expect(applied.size).toBe(98);
    expect([...overtaken].filter((i) => applied.has(idOf(i)))).toEqual([]);
    expect((await tasks.get(idOf(305)))?.status).toBe('RUNNING');
    expect((await tasks.get(idOf(306)))?.status).toBe('PAUSED');
  }, 30_000);

  it("keeps this process's writes by change count, and gives none back across another process's write", async () => {
    const elsewhere = new TaskRepository(scratch.db); // another process's repository
    const ids = ['w-1', 'w-2', 'w-3', 'w-4'];
    for (const id of ids) {
      await tasks.insert(
        {
          id,
          taskSeq: '1',
          name: id,
          description: '',
          connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
          connectorCategory: 'CONNECT',
          connectUid: id,
          status: 'RUNNING',
          connectorConfig: {},
          jobConfig: null,
        },
        op,
        seededAt,
      );
    }
    const before = await tasks.changeCount();
    await tasks.recordStatus('w-1', 'PAUSED', undefined, new Date('2026-01-02T00:00:00Z'));
    await tasks.applyStatusChanges([
      {
        id: 'w-2',
        expect: { status: 'RUNNING', statusAt: seededAt.getTime() },
        set: { status: 'FAILED', statusAt: Date.parse('2026-01-02T00:00:01Z') },
        history: [],
      },
    ]);
    await tasks.remove('w-3');
    const mine = await tasks.changeCount();
    expect(tasks.writesSince(before, mine)?.map((w) => w.kind)).toEqual(['put', 'status', 'remove']);
    expect(tasks.writesSince(before, mine)?.[0]).toMatchObject({ kind: 'put', task: { id: 'w-1', status: 'PAUSED' } });
    await elsewhere.recordStatus('w-4', 'PAUSED', undefined, new Date('2026-01-02T00:00:02Z'));
    expect(tasks.writesSince(before, await tasks.changeCount())).toBeUndefined();
    expect(tasks.writesSince(before, mine)).toHaveLength(3);
  });
});

describe('status history: appends on the real store', () => {
  const scratch = useScratchDb('it_history');
  let history: StatusHistoryRepository;

  beforeAll(async () => {
    history = new StatusHistoryRepository(scratch.db);
    await history.ensureIndexes();
  });

  const entry = (taskId: string, minute: number) => ({
    taskId,
    from: 'RUNNING' as const,
    to: 'PAUSED' as const,
    at: Date.UTC(2026, 0, 1, 0, minute),
    event: 'status' as const,
  });

  it('keeps one row per entry when a retried step appends again, and writes the entries that are new', async () => {
    await history.append([entry('h1', 1), entry('h2', 1)]);
    await history.append([entry('h1', 1), entry('h2', 1), entry('h1', 2)]);
    expect((await history.list('h1', 0, 10, 'ASC')).total).toBe(2);
    expect((await history.list('h2', 0, 10, 'ASC')).total).toBe(1);
  });
});
