import type { Collection, Db } from 'mongodb';
import type { LockHolder, LockWaiter, TaskLockAttempt, TaskLockStore } from '../domain/task-lock';
import { isDuplicateKey } from './mongo';
import { ensureNamedIndexes } from './indexes';

export const TASK_LOCK_COLLECTION = 'df_task_locks';
export const TASK_LOCK_QUEUE_COLLECTION = 'df_task_lock_queue';

/** One held lock; the document exists only while some operation holds the task. */
interface TaskLockDoc extends LockHolder {
  _id: string;
  since: Date;
  /** The lease: past it the lock is free for the taking, whoever holds it. */
  until: Date;
}

/** One operation queued for a held lock (`_id` is task id and request id). */
interface QueuedDoc extends LockHolder {
  _id: string;
  taskId: string;
  at: Date;
}

/**
 * The per-task lock: operations on one task run one at a time, in the order they asked. Taking a
 * free lock is one insert in the operation's own workflow task (no lock workflow, no signals while
 * nobody waits). An operation that finds it held queues; the release hands the lock to the first
 * in the queue, whom the caller then tells by signal.
 *
 * Every change is an insert or delete of a whole document, or a write only the holder makes: the
 * local stack's FerretDB applies an update as read, modify, write, so two operations updating one
 * document at once could lose one update (a queue inside the lock document lost waiters that way).
 */
export class TaskLockRepository implements TaskLockStore {
  private readonly locks: Collection<TaskLockDoc>;
  private readonly queue: Collection<QueuedDoc>;

  constructor(db: Db) {
    this.locks = db.collection<TaskLockDoc>(TASK_LOCK_COLLECTION);
    this.queue = db.collection<QueuedDoc>(TASK_LOCK_QUEUE_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await ensureNamedIndexes(this.queue, [{ key: { taskId: 1, at: 1 }, name: 'task_order' }]);
  }

  async acquire(taskId: string, me: LockHolder, leaseMs: number, now: Date): Promise<TaskLockAttempt> {
    if (await this.insertLock(taskId, me, leaseMs, now)) return { acquired: true };
    // Held already by this very request (handed to it, or a retried step): it stays where it is.
    const mine = await this.locks.findOne({ _id: taskId, requestId: me.requestId });
    if (mine) return this.acquired(taskId, me);
    const stolen = await this.locks.findOneAndUpdate(
      { _id: taskId, until: { $lt: now } },
      { $set: { ...me, since: now, until: new Date(now.getTime() + leaseMs) } },
    );
    if (stolen) return this.acquired(taskId, me);
    await this.queue.insertOne({ _id: queueId(taskId, me), taskId, ...me, at: now }).catch(ignoreDuplicate);
    // Released between the first insert and queueing, before the release could see the queue.
    if (await this.insertLock(taskId, me, leaseMs, now)) return this.acquired(taskId, me);
    const held = await this.locks.findOne({ _id: taskId });
    if (held?.requestId === me.requestId) return this.acquired(taskId, me);
    return held ? { acquired: false, holder: holderOf(held), since: held.since.toISOString() } : { acquired: false };
  }

  async takeOver(
    taskId: string,
    deadHolderRequestId: string,
    me: LockHolder,
    leaseMs: number,
    now: Date,
  ): Promise<boolean> {
    const taken = await this.locks.findOneAndUpdate(
      { _id: taskId, requestId: deadHolderRequestId },
      { $set: { ...me, since: now, until: new Date(now.getTime() + leaseMs) } },
    );
    if (taken) await this.queue.deleteOne({ _id: queueId(taskId, me) });
    return taken !== null;
  }

  async release(taskId: string, requestId: string, leaseMs: number, now: Date): Promise<LockWaiter | undefined> {
    const next = await this.firstQueued(taskId);
    const until = new Date(now.getTime() + leaseMs);
    if (next) {
      const handed = await this.locks.updateOne(
        { _id: taskId, requestId },
        { $set: { ...holderOf(next), since: now, until } },
      );
      if (handed.modifiedCount === 0) return undefined; // not ours (any more): a repeated release
      await this.queue.deleteOne({ _id: next._id });
      return holderOf(next);
    }
    const { deletedCount } = await this.locks.deleteOne({ _id: taskId, requestId });
    if (deletedCount === 0) return undefined;
    // Someone may have queued between the look at the queue and the delete.
    const late = await this.firstQueued(taskId);
    if (!late || !(await this.insertLock(taskId, holderOf(late), leaseMs, now))) return undefined;
    await this.queue.deleteOne({ _id: late._id });
    return holderOf(late);
  }

  /** Whether some operation holds the task's lock or waits for it: an operation on the task is in flight. */
  async busy(taskId: string): Promise<boolean> {
    if ((await this.locks.countDocuments({ _id: taskId }, { limit: 1 })) > 0) return true;
    return (await this.queue.countDocuments({ taskId }, { limit: 1 })) > 0;
  }

  async holder(taskId: string): Promise<LockHolder | undefined> {
    const doc = await this.locks.findOne({ _id: taskId });
    return doc ? holderOf(doc) : undefined;
  }

  private async acquired(taskId: string, me: LockHolder): Promise<TaskLockAttempt> {
    await this.queue.deleteOne({ _id: queueId(taskId, me) });
    return { acquired: true };
  }

  private async insertLock(taskId: string, holder: LockHolder, leaseMs: number, now: Date): Promise<boolean> {
    try {
      await this.locks.insertOne({
        _id: taskId,
        ...holderOf(holder),
        since: now,
        until: new Date(now.getTime() + leaseMs),
      });
      return true;
    } catch (error) {
      ignoreDuplicate(error);
      return false;
    }
  }

  private async firstQueued(taskId: string): Promise<QueuedDoc | undefined> {
    const [first] = await this.queue.find({ taskId }).sort({ at: 1, _id: 1 }).limit(1).toArray();
    return first;
  }
}

function queueId(taskId: string, holder: LockHolder): string {
  return `${taskId}/${holder.requestId}`;
}

function holderOf(doc: LockHolder): LockHolder {
  return { requestId: doc.requestId, workflowId: doc.workflowId, runId: doc.runId };
}

function ignoreDuplicate(error: unknown): void {
  if (!isDuplicateKey(error)) throw error;
}
