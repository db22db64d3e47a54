import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineUpdate,
  setHandler,
} from '@temporalio/workflow';
import { OPERATION_OUTCOME_UPDATE } from '../src/domain/operation-outcome';
import { withTaskLock } from './task-lock';

/**
 * When the API gets its answer. The API starts a run with the outcome update (update-with-start)
 * and answers with what the update returns. An operation on a task (runOperation) answers it as
 * soon as its body has ended, before the task's lock is released; any other run answers with what
 * it returns, at its end.
 */

type Outcome = { ok: true; value: unknown } | { ok: false };

export const operationOutcome = defineUpdate<unknown>(OPERATION_OUTCOME_UPDATE);

/** This run's outcome, once known (each run has module state of its own in the workflow sandbox). */
let outcome: Outcome | undefined;

/**
 * Runs body holding the task's lock, and reports its outcome to the API as soon as body ends: the
 * answer goes out with the steps' record, not after the release.
 */
export function runOperation<T>(taskId: string, body: () => Promise<T>): Promise<T> {
  return withTaskLock(taskId, async () => {
    try {
      const result = await body();
      reportOutcome({ ok: true, value: result });
      return result;
    } catch (error) {
      reportOutcome({ ok: false });
      throw error;
    }
  });
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

/** The first report counts: runOperation's, before the release, over the run's end. */
function reportOutcome(reported: Outcome): void {
  outcome ??= reported;
}

async function settleOutcome(reported: Outcome): Promise<void> {
  reportOutcome(reported);
  await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
}
