import { ApplicationFailure } from '@temporalio/workflow';
import { DfError, DfErrorPayload, toPayload } from '../src/domain/errors';

/** A failure raised by workflow code itself, carrying the same payload activities attach. */
export function dfFailure(error: DfError): ApplicationFailure {
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: true,
    details: [toPayload(error)],
  });
}

/** The DfError an activity raised, as its payload, when the failure carries one. */
export function payloadOf(error: unknown): DfErrorPayload | undefined {
  let cause: unknown = error;
  while (cause instanceof Error) {
    if (cause instanceof ApplicationFailure) {
      const payload = cause.details?.[0] as DfErrorPayload | undefined;
      if (payload && typeof payload.code === 'string' && typeof payload.httpStatus === 'number') return payload;
    }
    cause = cause.cause;
  }
  return undefined;
}

/** The message worth showing of a failure: the activity's own words, not Temporal's wrapping. */
export function messageOf(error: unknown): string {
  const payload = payloadOf(error);
  if (payload) return payload.message;
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(cause);
}

/** The first ApplicationFailure in a failure's chain of causes (an activity's own failure). */
function applicationFailureOf(error: unknown): ApplicationFailure | undefined {
  let cause: unknown = error;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure)) cause = cause.cause;
  return cause instanceof ApplicationFailure ? cause : undefined;
}

/**
 * Whether a step failed because the RAS refused the call (a 4xx, marked non-retryable): the call
 * changed nothing. Anything else (retries used up on a 5xx or an unreachable RAS, a timeout) leaves
 * open whether an attempt whose answer never came did what it asked.
 */
export function refusedByRas(error: unknown): boolean {
  const failure = applicationFailureOf(error);
  const status = payloadOf(failure)?.httpStatus;
  return failure?.nonRetryable === true && status !== undefined && status >= 400 && status < 500;
}
