import { DfError, isDfError } from '../../src/domain/errors';

/** The DfError a call fails with; any other outcome fails the spec. */
export async function dfFailureOf(promise: Promise<unknown>): Promise<DfError> {
  try {
    await promise;
  } catch (error) {
    if (isDfError(error)) return error;
    throw error;
  }
  throw new Error('expected a failure');
}
