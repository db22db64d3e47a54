import { ServiceError, WorkflowFailedError } from '@temporalio/client';
import { DfError } from '../domain/errors';
import { dfErrorOf } from '../protocol/failure-codec';

/**
 * Turns a failed workflow back into the DfError its activity or the workflow raised, so the API
 * answers with the same code, HTTP status and RAS message; anything else is an internal error.
 */
export function dfErrorFromWorkflow(error: unknown): DfError | undefined {
  if (!(error instanceof WorkflowFailedError)) return undefined;
  return dfErrorOf(error) ?? new DfError('INTERNAL', error.message);
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
