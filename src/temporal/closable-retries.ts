import {
  ConnectionOptions,
  defaultGrpcRetryOptions,
  GrpcRetryOptions,
  makeGrpcRetryInterceptor,
} from '@temporalio/client';

type Interceptor = NonNullable<ConnectionOptions['interceptors']>[number];
/** How long after a retry's delay it counts as started: the SDK's timer is set just after ours. */
const START_MARGIN_MS = 20;

export interface ClosableRetries {
  /** The SDK's retry interceptor with its own backoff, for a connection's `interceptors`. */
  interceptor: Interceptor;
  /** Schedules no more retries and resolves once every retry already scheduled has started. */
  drain(): Promise<void>;
}

/**
 * The SDK's gRPC retries, made safe to close. Connection.close() leaves a scheduled retry's timer
 * running, and a retry that starts after it throws "Channel has been shut down" from that timer,
 * beyond any caller's catch: the process dies. So a closing connection stops scheduling retries
 * (the call fails with its last status instead) and waits for the ones already scheduled.
 */
export function closableRetries(base: GrpcRetryOptions = defaultGrpcRetryOptions()): ClosableRetries {
  let closing = false;
  const scheduled = new Set<Promise<void>>();
  const interceptor = makeGrpcRetryInterceptor({
    retryableDecider: (attempt, status) => !closing && base.retryableDecider(attempt, status),
    delayFunction(attempt, status) {
      const delayMs = base.delayFunction(attempt, status);
      const started = new Promise<void>((resolve) => setTimeout(resolve, delayMs + START_MARGIN_MS));
      scheduled.add(started);
      void started.then(() => scheduled.delete(started));
      return delayMs;
    },
  });
  return {
    interceptor,
    async drain() {
      closing = true;
      while (scheduled.size > 0) await Promise.all([...scheduled]);
    },
  };
}
