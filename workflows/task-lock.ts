import {
  CancellationScope,
  condition,
  deprecatePatch,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  uuid4,
} from '@temporalio/workflow';
import type { TaskLockActivities } from '../activities/task-lock';
import { DfError } from '../src/domain/errors';
import { taskLockFreed } from '../src/protocol/task-lock';
import { LOCAL_RAS_CALL, RAS_CALL } from './activity-options';
import { workflowFailure } from '../src/protocol/failure-codec';

/** How long a holder may keep the lock; operations give up on a dead RAS well before this. */
const LEASE = '10 minutes';

const remote = proxyActivities<TaskLockActivities>(RAS_CALL);
const local = proxyLocalActivities<TaskLockActivities>(LOCAL_RAS_CALL);

/**
 * Deprecated: every supported history holds the lock in the store. The deprecatePatch() call stays
 * while histories with the marker not yet deprecated are supported (fixtures
 * before-release-after-recorded, with-outcome-update and with-update-applied).
 */
export const STORE_TASK_LOCK_PATCH = 'df-store-task-lock';
/**
 * Runs since this patch release the lock in an activity after the body's workflow task, not inside
 * it. Old branch: fixture before-release-after-recorded.
 */
export const RELEASE_AFTER_RECORDED_PATCH = 'df-release-after-recorded';
const LEASE_MS = 10 * 60_000;
/**
 * A waiter looks again this often without a wake-up: the release's signal is the quick path,
 * this covers a signal that was lost and a holder whose release never came (its run ended).
 */
const RECHECK = '5 seconds';

/**
 * Runs body while holding the task's lock, releasing it however body ends (even on cancellation).
 * Waits at most one lease for its turn.
 */
export async function withTaskLock<T>(taskId: string, body: () => Promise<T>): Promise<T> {
  deprecatePatch(STORE_TASK_LOCK_PATCH);
  const requestId = uuid4();
  let wakes = 0;
  setHandler(taskLockFreed, () => {
    wakes++;
  });
  const giveUpAt = Date.now() + LEASE_MS;
  for (;;) {
    const seen = wakes;
    const attempt = await local.acquireTaskLock(taskId, requestId, LEASE_MS);
    if (attempt.acquired) break;
    if (Date.now() >= giveUpAt) throw busyFor(taskId);
    await condition(() => wakes !== seen, RECHECK);
  }
  try {
    return await body();
  } finally {
    // The release is an activity of its own: Temporal schedules it only once the workflow task
    // that ran the body has completed, so the body's steps are recorded before anyone else gets
    // the task. Released inside that task (a local step), a completion then lost (worker killed,
    // task timed out) ran the body's steps again after the next operation had run its own.
    const release = patched(RELEASE_AFTER_RECORDED_PATCH) ? remote.releaseTaskLock : local.releaseTaskLock;
    await CancellationScope.nonCancellable(() => release(taskId, requestId, LEASE_MS));
  }
}

/**
 * Runs since this patch let an add of the task that is still running go first (deletes). Old branch:
 * connect-delete of fixtures before-release-after-recorded, with-outcome-update and with-update-applied.
 */
export const AFTER_RUNNING_ADD_PATCH = 'df-after-running-add';
const ADD_RECHECK = '1 second';

/**
 * Waits while a run adding the task has not ended. An add records the task and takes its lock
 * only after checking the request with the engine: an operation started in between would find no
 * task and answer 404, and the add would then create what the operation was meant to remove.
 * Waiting for the add to end puts the operation after it, as the lock does once the add holds it.
 */
export async function afterRunningAdd(taskId: string, category: 'CONNECT' | 'TRANSFORM'): Promise<void> {
  if (!patched(AFTER_RUNNING_ADD_PATCH)) return;
  const giveUpAt = Date.now() + LEASE_MS;
  while (await local.runningAdd(taskId, category)) {
    if (Date.now() >= giveUpAt) throw busyFor(taskId);
    await sleep(ADD_RECHECK);
  }
}

function busyFor(taskId: string) {
  return workflowFailure(
    new DfError('TIMEOUT', `task ${taskId} stayed busy with other operations for ${LEASE}`, {
      details: { id: taskId },
    }),
  );
}
