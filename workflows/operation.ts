import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhooks';
import { messageOf } from '../src/protocol/failure-codec';
import { operationOutcome } from '../src/protocol/operation-outcome';
import { withTaskLock } from './task-lock';

/**
 * A failed operation is told to the webhooks that want operation.failed. Old branch: runs that
 * failed before it (no committed fixture has one; with-config-versions-and-webhooks holds the marker).
 */
export const WEBHOOK_EVENTS_PATCH = 'df-webhook-events';

/** Telling the webhooks is worth a few tries, never worth holding up the operation's failure for long. */
const notifying = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 5 },
});

/**
 * When the API gets its answer. The API starts a run with the outcome update (update-with-start)
 * and answers with what the update returns. An operation on a task (runOperation) answers it as
 * soon as its body has ended, before the task's lock is released; any other run answers with what
 * it returns, at its end.
 */

type Outcome = { ok: true; value: unknown } | { ok: false };

/** This run's outcome, once known (each run has module state of its own in the workflow sandbox). */
let outcome: Outcome | undefined;

/**
 * Runs body holding the task's lock, and reports its outcome to the API as soon as body ends: the
 * answer goes out with the steps' record, not after the release.
 */
export async function runOperation<T>(taskId: string, body: () => Promise<T>): Promise<T> {
  try {
    return await withTaskLock(taskId, async () => {
      try {
        const result = await body();
        reportOutcome({ ok: true, value: result });
        return result;
      } catch (error) {
        reportOutcome({ ok: false });
        throw error;
      }
    });
  } catch (error) {
    // After the lock is released: the next operation on the task need not wait for the webhooks.
    if (!isCancellation(error) && patched(WEBHOOK_EVENTS_PATCH)) {
      await notifying.notifyOperationFailed({ taskId, message: messageOf(error) }).catch(() => undefined);
    }
    throw error;
  }
}

/**
 * Runs a whole run (workflows/interceptors.ts wraps every run in it) answering the outcome update:
 * with the operation's outcome if runOperation reported one, else with what the run returns. The
 * run completes only once the update's handler has answered.
 */
export async function answeringOutcome<T>(run: () => Promise<T>): Promise<T> {
  answerOutcomeUpdates();
  try {
    const result = await run();
    await settleOutcome({ ok: true, value: result });
    return result;
  } catch (error) {
    await settleOutcome({ ok: false });
    throw error;
  }
}

/** Waits for the operation to end, then returns its result, or fails without detail when it failed. */
function answerOutcomeUpdates(): void {
  setHandler(operationOutcome, async () => {
    await condition(() => outcome !== undefined);
    if (outcome?.ok) return outcome.value;
    throw ApplicationFailure.create({
      message: "the operation failed; the run's failure says why",
      type: 'OPERATION_FAILED',
      nonRetryable: true,
    });
  });
}

/**
 * Answers the outcome update with value now, before the run goes on (runOperation does it before
 * the release; the benchmarks' floor workflows mirror that).
 */
export function answerOutcome(value: unknown): void {
  reportOutcome({ ok: true, value });
}

/** The first report counts: runOperation's, before the release, over the run's end. */
function reportOutcome(reported: Outcome): void {
  outcome ??= reported;
}

async function settleOutcome(reported: Outcome): Promise<void> {
  reportOutcome(reported);
  await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
}
