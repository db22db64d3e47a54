import {
  ContinueAsNew,
  defaultPayloadConverter,
  isCancellation,
  metricMeter,
  workflowInfo,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { answeringOutcome } from './operation';
import { DF_TASK_ID } from '../src/protocol/search-attributes';
import { TASK_ID_HEADER } from '../src/protocol/task-header';

/**
 * Every run answers the outcome update, the API's answer (workflows/operation.ts).
 *
 * Counts every DF run by workflow type and outcome (completed, failed, cancelled, continued) in the
 * Temporal runtime's metrics, which the worker exports to Prometheus. Counted by the workflow
 * itself, so runs started from the CLI count as well; the SDK does not emit metrics on replay.
 */
const operations = metricMeter.createCounter('df_operations', 'runs', 'DF workflow runs by type and outcome');

function outcomeOf(error: unknown): string {
  if (isCancellation(error)) return 'cancelled';
  if (error instanceof ContinueAsNew) return 'continued';
  return 'failed';
}

/**
 * Every activity a run schedules carries the task the run works on (its DfTaskId tag), so the
 * activity's log lines name that task, whatever its arguments are (a job id, a topic, a path).
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity(input, next) {
        const taskId = workflowInfo().typedSearchAttributes.get(DF_TASK_ID);
        if (!taskId) return next(input);
        return next({
          ...input,
          headers: { ...input.headers, [TASK_ID_HEADER]: defaultPayloadConverter.toPayload(taskId) },
        });
      },
    },
  ],
  inbound: [
    {
      async execute(input, next) {
        const type = workflowInfo().workflowType;
        try {
          const result = await answeringOutcome(() => next(input));
          operations.add(1, { type, outcome: 'completed' });
          return result;
        } catch (error) {
          operations.add(1, { type, outcome: outcomeOf(error) });
          throw error;
        }
      },
    },
  ],
});
