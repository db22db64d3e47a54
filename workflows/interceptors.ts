import {
  ContinueAsNew,
  isCancellation,
  metricMeter,
  workflowInfo,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { answeringOutcome } from './operation';

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

export const interceptors: WorkflowInterceptorsFactory = () => ({
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
