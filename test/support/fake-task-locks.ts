import type { LockHolder, LockWaiter, TaskLockAttempt, TaskLockStore } from '../../src/domain/task-lock';

interface Held {
  holder: LockHolder;
  since: Date;
  until: Date;
  waiters: LockWaiter[];
}

/**
 * FAKE lock store for workflow specs that run without a store: the same answers as
 * TaskLockRepository (whose own spec runs on the real store), kept in memory.
 */
export class FakeTaskLockStore implements TaskLockStore {
  private readonly locks = new Map<string, Held>();

  async acquire(taskId: string, me: LockHolder, leaseMs: number, now: Date): Promise<TaskLockAttempt> {
    const held = this.locks.get(taskId);
    if (!held || held.holder.requestId === me.requestId || held.until < now) {
      const waiters = (held?.waiters ?? []).filter((w) => w.requestId !== me.requestId);
      const since = held?.holder.requestId === me.requestId ? held.since : now;
      this.locks.set(taskId, { holder: me, since, until: new Date(now.getTime() + leaseMs), waiters });
      return { acquired: true };
    }
    if (!held.waiters.some((w) => w.requestId === me.requestId)) held.waiters.push(me);
    return { acquired: false, holder: held.holder, since: held.since.toISOString() };
  }

  async takeOver(
    taskId: string,
    deadHolderRequestId: string,
    me: LockHolder,
    leaseMs: number,
    now: Date,
  ): Promise<boolean> {
    const held = this.locks.get(taskId);
    if (held?.holder.requestId !== deadHolderRequestId) return false;
    this.locks.set(taskId, {
      holder: me,
      since: now,
      until: new Date(now.getTime() + leaseMs),
      waiters: held.waiters.filter((w) => w.requestId !== me.requestId),
    });
    return true;
  }

  async release(taskId: string, requestId: string, leaseMs: number, now: Date): Promise<LockWaiter | undefined> {
    const held = this.locks.get(taskId);
    if (held?.holder.requestId !== requestId) return undefined;
    const [next, ...rest] = held.waiters;
    if (!next) {
      this.locks.delete(taskId);
      return undefined;
    }
    this.locks.set(taskId, { holder: next, since: now, until: new Date(now.getTime() + leaseMs), waiters: rest });
    return next;
  }

  async holder(taskId: string): Promise<LockHolder | undefined> {
    return this.locks.get(taskId)?.holder;
  }
}
