/**
 * The protocol of the per-task lock: operations on one task take the lock so they run one at a
 * time. Plain names and shapes, shared by the workflows that take it, its activities and its store,
 * which keeps it as a document (df_task_locks).
 */

/** Sent to the operation a release handed the lock to: it holds it now. */
export const LOCK_FREED_SIGNAL = 'taskLockFreed';

export interface LockHolder {
  /** Unique per acquisition: a retried step of the same acquisition finds the lock its own. */
  requestId: string;
  workflowId: string;
  runId: string;
}

/** An operation queued for the lock; the release makes it the holder. */
export type LockWaiter = LockHolder;

/** Taken, or held by another operation (whose release hands it on in turn); since is ISO time. */
export type TaskLockAttempt = { acquired: true } | { acquired: false; holder?: LockHolder; since?: string };

/** Where the locks are kept: the store in a deployment, memory in workflow specs. */
export interface TaskLockStore {
  /** Takes the lock, or queues `me` behind its holder, in one step. */
  acquire(taskId: string, me: LockHolder, leaseMs: number, now: Date): Promise<TaskLockAttempt>;
  /** Takes the lock from a holder that has ended without releasing it; false if it has moved on. */
  takeOver(taskId: string, deadHolderRequestId: string, me: LockHolder, leaseMs: number, now: Date): Promise<boolean>;
  /** Releases the lock if `requestId` holds it, handing it to the first queued: that one, to wake. */
  release(taskId: string, requestId: string, leaseMs: number, now: Date): Promise<LockWaiter | undefined>;
  holder(taskId: string): Promise<LockHolder | undefined>;
}
