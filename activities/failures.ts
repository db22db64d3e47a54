import { ApplicationFailure } from '@temporalio/activity';
import { DfError, isDfError, toPayload } from '../src/domain/errors';

/**
 * Runs an activity body and hands Temporal failures it can act on: a DfError becomes an
 * ApplicationFailure typed by its code, non-retryable when retrying cannot fix it (bad input,
 * RAS 4xx), with the DfError payload as details so the API can answer with the same status.
 */
export async function asActivity<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (isDfError(error)) throw toFailure(error);
    throw error;
  }
}

export function toFailure(error: DfError): ApplicationFailure {
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: !error.retryable,
    details: [toPayload(error)],
  });
}
