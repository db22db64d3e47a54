import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { isDfError } from '../domain/errors';
import { activityFailure } from '../protocol/failure-codec';

/**
 * A DfError thrown by any activity reaches Temporal as the codec's failure: typed by its code,
 * retried only when retrying can help, with the payload the workflow and the API read back.
 */
export const activityFailures: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (error) {
        throw isDfError(error) ? activityFailure(error) : error;
      }
    },
  },
});
