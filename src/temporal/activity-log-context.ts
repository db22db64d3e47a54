import type { Context } from '@temporalio/activity';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { isReadActivity } from '../domain/log-lines';
import { log, withLogContext } from '../logger';
import { TASK_ID_HEADER } from '../protocol/task-header';

/** The task the scheduling run named in the activity's header (workflows/interceptors.ts), if it did. */
export function taskIdOfHeaders(headers: Record<string, Payload | undefined>): string | undefined {
  const payload = headers[TASK_ID_HEADER];
  if (!payload) return undefined;
  try {
    const value: unknown = defaultPayloadConverter.fromPayload(payload);
    return typeof value === 'string' && value !== '' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The task an activity works on, without a header: its first argument when that is an id, or the id inside it. */
export function taskIdOfArgs(args: readonly unknown[]): string | undefined {
  const first = args[0];
  if (typeof first === 'string') return first;
  if (first && typeof first === 'object') {
    const { id, taskId } = first as { id?: unknown; taskId?: unknown };
    if (typeof id === 'string') return id;
    if (typeof taskId === 'string') return taskId;
  }
  return undefined;
}

/**
 * Every line an activity logs, down to the RAS clients and the repository, names its workflow,
 * activity and task; an activity that names a task says when it completed, and when it failed.
 */
export const activityLogContext: ActivityInterceptorsFactory = (ctx: Context) => ({
  inbound: {
    execute: (input, next) => {
      const { workflowExecution, activityType } = ctx.info;
      // The run's own task when it names one; the arguments' for runs that do not (syncs, the
      // first step of an add, which reads the id from the request).
      const taskId = taskIdOfHeaders(input.headers) ?? taskIdOfArgs(input.args);
      return withLogContext(
        {
          workflowId: workflowExecution?.workflowId,
          runId: workflowExecution?.runId,
          activity: activityType,
          ...(taskId ? { taskId } : {}),
        },
        async () => {
          const started = performance.now();
          try {
            const result = await next(input);
            // The steps of a task's operations, as the task's log lines (GET /logs/:id) show them.
            if (taskId)
              log(isReadActivity(activityType) ? 'debug' : 'info', 'activity completed', {
                attempt: ctx.info.attempt,
                ms: Math.round(performance.now() - started),
              });
            return result;
          } catch (error) {
            // The failure reaches the workflow (and the Temporal UI); the log says where it happened.
            const e = error as { message?: string; type?: string; nonRetryable?: boolean };
            log('warn', 'activity failed', {
              attempt: ctx.info.attempt,
              error: e.message ?? String(error),
              ...(e.type ? { errorType: e.type } : {}),
              retryable: e.nonRetryable !== true,
            });
            throw error;
          }
        },
      );
    },
  },
});
