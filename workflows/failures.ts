import { ApplicationFailure } from '@temporalio/workflow';
import { DfError, toPayload } from '../src/domain/errors';

/** A failure raised by workflow code itself, carrying the same payload activities attach. */
export function dfFailure(error: DfError): ApplicationFailure {
  return ApplicationFailure.create({
    message: error.message,
    type: error.code,
    nonRetryable: true,
    details: [toPayload(error)],
  });
}
