import { proxyLocalActivities, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

/** The FAKE fault's question to the test: lose this run's completion now? */
export interface LoseCompletionProbe {
  loseCompletion(workflowId: string): Promise<boolean>;
}

const probe = proxyLocalActivities<LoseCompletionProbe>({ startToCloseTimeout: '20 seconds' });

/**
 * FAKE fault for workflow specs: when the test says so, the workflow task in which a run returns
 * fails instead of completing, as when the worker dies or the task times out before its
 * completion reaches Temporal. Nothing that task did is recorded, so its local steps run again.
 * (A thrown Error that is not an ApplicationFailure fails the workflow task, not the run.)
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        const result = await next(input);
        if (await probe.loseCompletion(workflowInfo().workflowId))
          throw new Error("FAKE fault: this workflow task's completion is lost");
        return result;
      },
    },
  ],
});
