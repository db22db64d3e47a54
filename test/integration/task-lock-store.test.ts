import type { LockHolder } from '../../src/domain/task-lock';
import { TaskLockRepository } from '../../src/repository/task-lock-repository';
import { useScratchDb } from '../support/scratch-db';
import { uniqueName } from '../support/stack';

/**
 * The per-task lock on the stack's real store: one holder at a time, handed on in the order the
 * others queued, a retried step finding the lock its own, and a lease that runs out.
 */
describe('task lock store (df_task_locks)', () => {
  const scratch = useScratchDb('it_locks');
  let locks: TaskLockRepository;
  const LEASE = 60_000;
  const op = (name: string): LockHolder => ({
    requestId: `req-${name}`,
    workflowId: `wf-${name}`,
    runId: `run-${name}`,
  });
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));

  beforeAll(async () => {
    locks = new TaskLockRepository(scratch.db);
  });

  it('grants a free task at once and refuses it to others while held, naming the holder', async () => {
    const task = uniqueName('t');
    expect(await locks.acquire(task, op('a'), LEASE, at(0))).toEqual({ acquired: true });
    expect(await locks.acquire(task, op('b'), LEASE, at(1))).toEqual({
      acquired: false,
      holder: op('a'),
      since: at(0).toISOString(),
    });
    expect(await locks.holder(task)).toEqual(op('a'));
  });

  it('gives a retried acquire of the same request the lock it already holds', async () => {
    const task = uniqueName('t');
    await locks.acquire(task, op('a'), LEASE, at(0));
    expect(await locks.acquire(task, op('a'), LEASE, at(2))).toEqual({ acquired: true });
  });

  it('hands the lock on release to the first queued, then the next, and frees it after the last', async () => {
    const task = uniqueName('t');
    await locks.acquire(task, op('a'), LEASE, at(0));
    await locks.acquire(task, op('b'), LEASE, at(1));
    await locks.acquire(task, op('c'), LEASE, at(2));
    await locks.acquire(task, op('b'), LEASE, at(3)); // a waiter looking again keeps its place
    expect(await locks.release(task, op('a').requestId, LEASE, at(4))).toEqual(op('b'));
    expect(await locks.holder(task)).toEqual(op('b'));
    // The one handed the lock finds it its own; the one behind still waits.
    expect(await locks.acquire(task, op('b'), LEASE, at(5))).toEqual({ acquired: true });
    expect(await locks.acquire(task, op('c'), LEASE, at(5))).toMatchObject({
      acquired: false,
      holder: op('b'),
      since: at(4).toISOString(),
    });
    expect(await locks.release(task, op('b').requestId, LEASE, at(6))).toEqual(op('c'));
    expect(await locks.release(task, op('c').requestId, LEASE, at(7))).toBeUndefined();
    expect(await locks.holder(task)).toBeUndefined();
    expect(await locks.acquire(task, op('d'), LEASE, at(8))).toEqual({ acquired: true });
  });

  it('ignores a release by anyone but the holder (a late or repeated release)', async () => {
    const task = uniqueName('t');
    await locks.acquire(task, op('a'), LEASE, at(0));
    expect(await locks.release(task, op('b').requestId, LEASE, at(1))).toBeUndefined();
    expect(await locks.holder(task)).toEqual(op('a'));
    await locks.release(task, op('a').requestId, LEASE, at(2));
    expect(await locks.release(task, op('a').requestId, LEASE, at(3))).toBeUndefined();
  });

  it('lets the next operation take a lock whose lease has run out', async () => {
    const task = uniqueName('t');
    await locks.acquire(task, op('a'), LEASE, at(0));
    expect(await locks.acquire(task, op('b'), LEASE, new Date(at(0).getTime() + LEASE + 1))).toEqual({
      acquired: true,
    });
    expect(await locks.holder(task)).toEqual(op('b'));
    expect(await locks.release(task, op('a').requestId, LEASE, at(9))).toBeUndefined(); // the old holder's release is a no-op
  });

  it('takes over from a named dead holder only while that holder still has it', async () => {
    const task = uniqueName('t');
    await locks.acquire(task, op('a'), LEASE, at(0));
    expect(await locks.takeOver(task, op('x').requestId, op('b'), LEASE, at(40))).toBe(false);
    expect(await locks.takeOver(task, op('a').requestId, op('b'), LEASE, at(40))).toBe(true);
    expect(await locks.holder(task)).toEqual(op('b'));
  });

  it('grants exactly one of many concurrent acquires', async () => {
    const task = uniqueName('t');
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => locks.acquire(task, op(`p${i}`), LEASE, at(0))),
    );
    expect(attempts.filter((a) => a.acquired)).toHaveLength(1);
    // The other nine queue: each release hands it to one more, until the last frees it.
    const holders = new Set<string>();
    for (let holder = await locks.holder(task); holder; holder = await locks.holder(task)) {
      holders.add(holder.requestId);
      await locks.release(task, holder.requestId, LEASE, at(1));
    }
    expect(holders.size).toBe(10);
  });
});
