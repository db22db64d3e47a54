import { ApplicationFailure, ServiceError, WorkflowFailedError } from '@temporalio/client';
import { DfError, DfErrorCode, DfErrorPayload } from '../domain/errors';

function isPayload(value: unknown): value is DfErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as DfErrorPayload).code === 'string' &&
    typeof (value as DfErrorPayload).httpStatus === 'number'
  );
}

/**
 * Turns a failed workflow back into the DfError its activity raised, so the API answers with
 * the same code, HTTP status and RAS message; anything else is an internal error.
 */
export function dfErrorFromWorkflow(error: unknown): DfError | undefined {
  if (!(error instanceof WorkflowFailedError)) return undefined;
  let cause: unknown = error.cause;
  while (cause) {
    if (cause instanceof ApplicationFailure) {
      const payload = cause.details?.[0];
      if (isPayload(payload)) {
        return new DfError(payload.code, payload.message, {
          httpStatus: payload.httpStatus,
          details: payload.details,
        });
      }
      return new DfError((cause.type as DfErrorCode | undefined) ?? 'INTERNAL', cause.message, { httpStatus: 500 });
    }
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  return new DfError('INTERNAL', error.message);
}

/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED: the Temporal server is down, restarting or unreachable. */
const AWAY_CODES = new Set([14, 4]);

/** A Temporal client failure that means the server is away, as the DfError callers answer with. */
export function temporalUnavailable(error: unknown): DfError | undefined {
  if (!(error instanceof ServiceError)) return undefined;
  const code = (error.cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown }).code;
  if (typeof code !== 'number' || !AWAY_CODES.has(code)) return undefined;
  return new DfError('TEMPORAL_UNAVAILABLE', `Temporal does not answer: ${error.message}`, { cause: error });
}
