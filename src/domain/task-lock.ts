/**
 * The protocol of the per-task lock (workflow taskLock): operations on one task take the lock so
 * they run one at a time, in the order they asked. Plain names and shapes, shared by the lock
 * workflow, the workflows that take it and the activity that asks for it.
 */
export const LOCK_REQUESTED_SIGNAL = 'lockRequested';
export const LOCK_GRANTED_SIGNAL = 'lockGranted';
export const LOCK_RELEASED_SIGNAL = 'lockReleased';

export interface LockRequest {
  /** Unique per acquisition: the grant and the release name it, and a repeated request is ignored. */
  requestId: string;
  requesterWorkflowId: string;
  requesterRunId: string;
}

export interface TaskLockInput {
  taskId: string;
  /** Requests carried over continue-as-new. */
  pending: LockRequest[];
  /** Request ids already served, so a late duplicate is not granted again. */
  served?: string[];
}

export function taskLockWorkflowId(taskId: string): string {
  return `df-lock-${taskId}`;
}
