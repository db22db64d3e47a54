import { Client, WorkflowIdConflictPolicy, WorkflowFailedError } from '@temporalio/client';
import { DfError } from '../domain/errors';
import { dfErrorFromWorkflow } from './failures';

export type RunOutcome<T> =
  | { state: 'completed'; result: T; workflowId: string; runId: string }
  | { state: 'running'; workflowId: string; runId: string };

export interface RunOptions {
  taskQueue: string;
  workflowId: string;
  args?: unknown[];
  /** How long to wait for the result before answering that the run goes on. */
  waitMs: number;
}

/**
 * Starts a workflow (or joins the run already going under the same business id) and waits up to
 * waitMs for its result. A failed run throws the DfError its activity raised.
 */
export async function runWorkflow<T>(client: Client, workflowType: string, options: RunOptions): Promise<RunOutcome<T>> {
  const handle = await client.workflow.start(workflowType, {
    taskQueue: options.taskQueue,
    workflowId: options.workflowId,
    args: options.args ?? [],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
  });
  const ids = { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.waitMs);
  });
  try {
    const outcome = await Promise.race([handle.result() as Promise<T>, timeout]);
    if (outcome === 'timeout') return { state: 'running', ...ids };
    return { state: 'completed', result: outcome as T, ...ids };
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      throw dfErrorFromWorkflow(error) ?? new DfError('INTERNAL', error.message);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
