import { defineSignal } from '@temporalio/workflow';

/** Sent to the operation a release of the task's lock handed it to: it holds the lock now. */
export const taskLockFreed = defineSignal('taskLockFreed');
