import {
  ContinueAsNew,
  isCancellation,
  metricMeter,
  workflowInfo,
  type WorkflowInterceptorsFactory,
} from '@temporalio/workflow';
import { answerOutcomeUpdates, settleOutcome } from './operation-outcome';

/**
 * Every run answers the outcome update (the API's early answer, workflows/operation-outcome.ts):
 * with what it returns, unless the task lock reported the operation's outcome before.
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
        answerOutcomeUpdates();
        try {
          const result = await next(input);
          await settleOutcome({ ok: true, value: result });
          operations.add(1, { type, outcome: 'completed' });
          return result;
        } catch (error) {
          await settleOutcome({ ok: false });
          operations.add(1, { type, outcome: outcomeOf(error) });
          throw error;
        }
      },
    },
  ],
});
