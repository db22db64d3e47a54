import { ApplicationFailure } from '@temporalio/common';
import { DfError, type DfErrorCode, type DfErrorPayload, toPayload } from '../domain/errors';

/**
 * How a DfError crosses Temporal and comes back. A failure is typed by the DfError's code and carries
 * its payload as first detail, so a workflow can act on what an activity reported and the API answers
 * with the code, HTTP status and RAS message the activity saw. Workflows import this module: only
 * sandbox-safe imports here.
 */

function failureOf(error: DfError, nonRetryable: boolean): ApplicationFailure {
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable,
    details: [toPayload(error)],
  });
}

/**
 * The failure an activity's DfError becomes: non-retryable when retrying cannot fix it (bad input,
 * RAS 4xx), so Temporal stops trying and the workflow sees it at once.
 */
export function activityFailure(error: DfError): ApplicationFailure {
  return failureOf(error, !error.retryable);
}

/** The failure a workflow raises for its own DfError: it ends the run, which retrying would not change. */
export function workflowFailure(error: DfError): ApplicationFailure {
  return failureOf(error, true);
}

function isPayload(value: unknown): value is DfErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DfErrorPayload).code === 'string' &&
    typeof (value as DfErrorPayload).httpStatus === 'number'
  );
}

/** The payload one failure itself carries, if it carries one. */
function ownPayload(failure: ApplicationFailure): DfErrorPayload | undefined {
  const payload: unknown = failure.details?.[0];
  return isPayload(payload) ? payload : undefined;
}

/** The first ApplicationFailure in a failure's chain of causes (an activity's or a workflow's own failure). */
function applicationFailureOf(error: unknown): ApplicationFailure | undefined {
  let cause: unknown = error;
  while (cause instanceof Error && !(cause instanceof ApplicationFailure)) cause = cause.cause;
  return cause instanceof ApplicationFailure ? cause : undefined;
}

/** The DfError a failure's chain carries, as its payload, when one of its failures carries one. */
export function payloadOf(error: unknown): DfErrorPayload | undefined {
  let cause: unknown = error;
  while (cause instanceof Error) {
    const payload = cause instanceof ApplicationFailure ? ownPayload(cause) : undefined;
    if (payload) return payload;
    cause = cause.cause;
  }
  return undefined;
}

/**
 * The DfError behind a failure: the one its first ApplicationFailure carries, or, when that failure
 * carries none, an error typed by the failure's type; undefined when the chain holds no ApplicationFailure.
 */
export function dfErrorOf(error: unknown): DfError | undefined {
  const failure = applicationFailureOf(error);
  if (!failure) return undefined;
  const payload = ownPayload(failure);
  if (payload)
    return new DfError(payload.code, payload.message, { httpStatus: payload.httpStatus, details: payload.details });
  return new DfError((failure.type as DfErrorCode | undefined) ?? 'INTERNAL', failure.message, { httpStatus: 500 });
}

/** The message worth showing of a failure: the activity's own words, not Temporal's wrapping. */
export function messageOf(error: unknown): string {
  const payload = payloadOf(error);
  if (payload) return payload.message;
  let cause: unknown = error;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(cause);
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
