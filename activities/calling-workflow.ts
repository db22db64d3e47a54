import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { OperationRef } from '../src/domain/task';

/**
 * The workflow run that scheduled the current activity. Taken from the activity context, not from
 * arguments, so a record's "written by" stamp cannot be forged by input.
 */
export function callingWorkflow(): OperationRef & { taskQueue: string } {
  const info = Context.current().info;
  const execution = info.workflowExecution;
  if (!execution || !info.workflowType) throw new Error('this activity runs only on behalf of a workflow');
  return {
    workflowId: execution.workflowId,
    runId: execution.runId,
    type: info.workflowType,
    taskQueue: info.taskQueue,
  };
}

/** The calling workflow as the operation a task write is stamped with. */
export function currentOperation(): OperationRef {
  const { workflowId, runId, type } = callingWorkflow();
  return { workflowId, runId, type };
}

/**
 * The suffix of the id an add without one gets when it was started without the API (the CLI):
 * made from the calling run, so the activity run again after a failure names the same task.
 */
export function idSuffixOfRun(): string {
  const { workflowId, runId } = callingWorkflow();
  return createHash('sha256').update(`${workflowId}\n${runId}`).digest('hex').slice(0, 16);
}
