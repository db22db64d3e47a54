import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { AddedCategory, runningAddOf } from '../src/temporal/adds-in-flight';
import { callingWorkflow } from './calling-workflow';
import type { LockHolder, TaskLockAttempt, TaskLockStore } from '../src/domain/task-lock';
import { taskLockFreed } from '../src/protocol/task-lock';

export interface TaskLockDeps {
  temporal: Client;
  taskLocks: TaskLockStore;
}

/**
 * A holder this long in the lock is asked after: a run that was terminated or timed out while
 * holding it never releases, and its lease (10 minutes) would keep the task busy for nothing.
 */
const ASK_AFTER_HOLDER_MS = 30_000;

/** The steps of the per-task lock, run by the operation itself (the lock lives in the store). */
export function createTaskLockActivities({ temporal, taskLocks }: TaskLockDeps) {
  async function holderHasEnded(holder: LockHolder): Promise<boolean> {
    try {
      const { status } = await temporal.workflow.getHandle(holder.workflowId, holder.runId).describe();
      return status.name !== 'RUNNING';
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return true;
      throw error;
    }
  }

  return {
    async acquireTaskLock(taskId: string, requestId: string, leaseMs: number): Promise<TaskLockAttempt> {
      const { workflowId, runId } = callingWorkflow();
      const me: LockHolder = { requestId, workflowId, runId };
      const now = new Date();
      const attempt = await taskLocks.acquire(taskId, me, leaseMs, now);
      if (attempt.acquired || !attempt.holder || !attempt.since) return attempt;
      if (now.getTime() - Date.parse(attempt.since) < ASK_AFTER_HOLDER_MS) return attempt;
      if (
        (await holderHasEnded(attempt.holder)) &&
        (await taskLocks.takeOver(taskId, attempt.holder.requestId, me, leaseMs, now))
      ) {
        return { acquired: true };
      }
      return attempt;
    },

    /**
     * Releases the lock, handing it to the first operation queued for it and telling that one; one
     * that has ended meanwhile passes it on to the next.
     */
    async releaseTaskLock(taskId: string, requestId: string, leaseMs: number): Promise<{ handedTo?: string }> {
      let releasing = requestId;
      for (;;) {
        const next = await taskLocks.release(taskId, releasing, leaseMs, new Date());
        if (!next) return {};
        try {
          await temporal.workflow.getHandle(next.workflowId, next.runId).signal(taskLockFreed);
          return { handedTo: next.workflowId };
        } catch (error) {
          // Temporal away: the new holder finds the lock its own when it looks again (its timer).
          if (!(error instanceof WorkflowNotFoundError)) return { handedTo: next.workflowId };
          releasing = next.requestId;
        }
      }
    },

    /** The id of a run adding the task that has not ended (it may not have recorded the task or taken its lock yet). */
    async runningAdd(taskId: string, category: AddedCategory): Promise<string | undefined> {
      return runningAddOf(temporal, taskId, category);
    },
  };
}

export type TaskLockActivities = ReturnType<typeof createTaskLockActivities>;
