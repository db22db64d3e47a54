import type { Client } from '@temporalio/client';
import { callingWorkflow } from './calling-workflow';
import { LOCK_REQUESTED_SIGNAL, LockRequest, TaskLockInput, taskLockWorkflowId } from '../src/domain/task-lock';

export interface TaskLockDeps {
  temporal: Client;
}

/**
 * The one step of the per-task lock that needs a client: signal-with-start of the task's lock
 * workflow, so the request lands whether or not the lock is running. Signalling the same request
 * twice (a retry) queues it once: the lock ignores a request id it has queued or served.
 */
export function createTaskLockActivities({ temporal }: TaskLockDeps) {
  return {
    async requestTaskLock(taskId: string, requestId: string): Promise<void> {
      const caller = callingWorkflow();
      const request: LockRequest = { requestId, requesterWorkflowId: caller.workflowId, requesterRunId: caller.runId };
      await temporal.workflow.signalWithStart('taskLock', {
        workflowId: taskLockWorkflowId(taskId),
        taskQueue: caller.taskQueue,
        args: [{ taskId, pending: [] } satisfies TaskLockInput],
        signal: LOCK_REQUESTED_SIGNAL,
        signalArgs: [request],
      });
    },
  };
}

export type TaskLockActivities = ReturnType<typeof createTaskLockActivities>;
