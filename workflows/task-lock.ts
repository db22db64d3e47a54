import {
  CancellationScope,
  condition,
  continueAsNew,
  defineSignal,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { TaskLockActivities } from '../activities/task-lock';
import { DfError } from '../src/domain/errors';
import {
  LOCK_FREED_SIGNAL,
  LOCK_GRANTED_SIGNAL,
  LOCK_RELEASED_SIGNAL,
  LOCK_REQUESTED_SIGNAL,
  LockRequest,
  TaskLockInput,
  taskLockWorkflowId,
} from '../src/domain/task-lock';
import { LOCAL_RAS_CALL, LOCAL_STEPS_PATCH, RAS_CALL } from './activity-options';
import { workflowFailure } from '../src/protocol/failure-codec';
import { reportOutcome } from './operation-outcome';
import { tagRun } from './run-tags';

export const lockRequested = defineSignal<[LockRequest]>(LOCK_REQUESTED_SIGNAL);
export const lockGranted = defineSignal<[string]>(LOCK_GRANTED_SIGNAL);
export const lockReleased = defineSignal<[string]>(LOCK_RELEASED_SIGNAL);

/** How long a holder may keep the lock; operations give up on a dead RAS well before this. */
const LEASE = '10 minutes';
/** An idle lock ends; the next request starts it again (signal-with-start). */
const IDLE = '1 minute';
const GRANTS_PER_RUN = 200;
const SERVED_KEPT = 400;

/**
 * taskLock: one per task (id df-lock-<taskId>), granting the task to one operation at a time in
 * the order they asked. Runs since patch df-store-task-lock no longer start it; it stays for the
 * runs that began before (and their replay). Temporal's mutex pattern: requests arrive by signal-with-start, the grant
 * and release travel as signals. A signal that arrives while the lock decides to end or continue
 * as new makes Temporal run the decision again, so no request is lost.
 */
export async function taskLock(input: TaskLockInput): Promise<void> {
  tagRun({
    category: 'LOCK',
    taskId: input.taskId,
    summary: `lock serialising the operations on task ${input.taskId}`,
  });
  const queue: LockRequest[] = [...input.pending];
  const served: string[] = [...(input.served ?? [])];
  const released = new Set<string>();
  setHandler(lockRequested, (request) => {
    if (served.includes(request.requestId) || queue.some((q) => q.requestId === request.requestId)) return;
    queue.push(request);
  });
  setHandler(lockReleased, (requestId) => {
    released.add(requestId);
  });

  let grants = 0;
  for (;;) {
    if (queue.length === 0 && !(await condition(() => queue.length > 0, IDLE))) return;
    if (grants >= GRANTS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof taskLock>({
        taskId: input.taskId,
        pending: queue,
        served: served.slice(-SERVED_KEPT),
      });
    }
    const request = queue.shift()!;
    served.push(request.requestId);
    try {
      await getExternalWorkflowHandle(request.requesterWorkflowId, request.requesterRunId).signal(
        lockGranted,
        request.requestId,
      );
    } catch {
      continue; // the requester has ended meanwhile: nobody to wait for
    }
    grants++;
    await condition(() => released.has(request.requestId), LEASE);
    released.delete(request.requestId);
  }
}

const remote = proxyActivities<TaskLockActivities>(RAS_CALL);
const local = proxyLocalActivities<TaskLockActivities>(LOCAL_RAS_CALL);

export const taskLockFreed = defineSignal(LOCK_FREED_SIGNAL);

/** Runs started since this patch hold the lock in the store; earlier ones replay the lock workflow. */
export const STORE_TASK_LOCK_PATCH = 'df-store-task-lock';
/** Runs since this patch release the lock in an activity after the body's workflow task, not inside it. */
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
  if (!patched(STORE_TASK_LOCK_PATCH)) return withTaskLockWorkflow(taskId, body);
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
    const result = await body();
    // The caller's answer goes out now, with the steps' record, not after the release below.
    reportOutcome({ ok: true, value: result });
    return result;
  } catch (error) {
    reportOutcome({ ok: false });
    throw error;
  } finally {
    // The release is an activity of its own: Temporal schedules it only once the workflow task
    // that ran the body has completed, so the body's steps are recorded before anyone else gets
    // the task. Released inside that task (a local step), a completion then lost (worker killed,
    // task timed out) ran the body's steps again after the next operation had run its own.
    const release = patched(RELEASE_AFTER_RECORDED_PATCH) ? remote.releaseTaskLock : local.releaseTaskLock;
    await CancellationScope.nonCancellable(() => release(taskId, requestId, LEASE_MS));
  }
}

/** Runs since this patch let an add of the task that is still running go first (deletes). */
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

/** The lock as runs from before the store lock hold it: a grant from the task's lock workflow. */
async function withTaskLockWorkflow<T>(taskId: string, body: () => Promise<T>): Promise<T> {
  const requestId = uuid4();
  let granted = false;
  setHandler(lockGranted, (id) => {
    if (id === requestId) granted = true;
  });
  await (patched(LOCAL_STEPS_PATCH) ? local : remote).requestTaskLock(taskId, requestId);
  if (!(await condition(() => granted, LEASE))) throw busyFor(taskId);
  try {
    return await body();
  } finally {
    await CancellationScope.nonCancellable(async () => {
      try {
        await getExternalWorkflowHandle(taskLockWorkflowId(taskId)).signal(lockReleased, requestId);
      } catch {
        // The lock has ended (its lease ran out): there is nothing left to release.
      }
    });
  }
}
