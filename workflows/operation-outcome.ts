import {
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  setHandler,
} from '@temporalio/workflow';
import { operationOutcome } from '../src/protocol/operation-outcome';

type Outcome = { ok: true; value: unknown } | { ok: false };

/** This run's outcome, once known (each run has module state of its own in the workflow sandbox). */
let outcome: Outcome | undefined;

/**
 * Answers the outcome update (registered for every run by workflows/interceptors.ts): waits for the
 * operation to end, then returns its result, or fails without detail when it failed.
 */
export function answerOutcomeUpdates(): void {
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

/** The operation's outcome; the first report counts (the lock's, before its release, over the run's end). */
export function reportOutcome(reported: Outcome): void {
  outcome ??= reported;
}

/** Reports the outcome at the run's end and lets the update's handler answer before the run completes. */
export async function settleOutcome(reported: Outcome): Promise<void> {
  reportOutcome(reported);
  await CancellationScope.nonCancellable(() => condition(allHandlersFinished));
}
