import {
  Client, WorkflowExecutionAlreadyStartedError, WorkflowHandle, WorkflowHandleWithFirstExecutionRunId, WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowFailedError,
} from '@temporalio/client';
import { DfError } from '../domain/errors';
import { dfErrorFromWorkflow } from './failures';

export type RunOutcome<T> =
  | { state: 'completed'; result: T; workflowId: string; runId: string }
  | { state: 'running'; workflowId: string; runId: string };

export interface RunOptions {
  taskQueue: string;
  workflowId: string;
  args?: unknown[];
  /** How long to wait for the result before answering that the run goes on; 0 answers at once. */
  waitMs: number;
  /**
   * What a second start under the same id does while the first runs: join it (reads, deletes: the
   * same outcome either way) or be refused with CONFLICT (adds: a second add must not succeed).
   */
  onConflict?: 'join' | 'refuse';
  /** Names the business object in a refusal. */
  conflictMessage?: string;
  /**
   * The id names one request (an Idempotency-Key): once it has run, a repeat answers with that
   * run's outcome instead of running again.
   */
  oncePerId?: boolean;
}

/**
 * Starts a workflow (or joins the run already going under the same business id) and waits up to
 * waitMs for its result. A failed run throws the DfError its activity raised.
 */
export async function runWorkflow<T>(client: Client, workflowType: string, options: RunOptions): Promise<RunOutcome<T>> {
  let started: WorkflowHandleWithFirstExecutionRunId;
  try {
    started = await client.workflow.start(workflowType, {
      taskQueue: options.taskQueue,
      workflowId: options.workflowId,
      args: options.args ?? [],
      workflowIdConflictPolicy: options.onConflict === 'refuse' ? WorkflowIdConflictPolicy.FAIL : WorkflowIdConflictPolicy.USE_EXISTING,
      ...(options.oncePerId ? { workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE } : {}),
    });
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError && options.oncePerId) {
      // Ran before under this id: answer with that run (the latest one under the id).
      const previous = client.workflow.getHandle(options.workflowId);
      const { runId } = await previous.describe();
      return awaitOutcome<T>(client, previous, { workflowId: options.workflowId, runId }, options.waitMs);
    }
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new DfError('CONFLICT', options.conflictMessage ?? `workflow ${options.workflowId} is already running`, {
        details: { workflowId: options.workflowId },
      });
    }
    throw error;
  }
  return awaitOutcome<T>(client, started, { workflowId: started.workflowId, runId: started.firstExecutionRunId }, options.waitMs);
}

async function awaitOutcome<T>(client: Client, handle: WorkflowHandle, ids: { workflowId: string; runId: string }, waitMs: number): Promise<RunOutcome<T>> {
  if (waitMs <= 0) return { state: 'running', ...ids };
  // The result is a long poll of the run's history: when the wait ends first, the poll is called
  // off, or every 202 would leave one open until its run ends.
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), waitMs);
  });
  const result = client.connection.withAbortSignal(abort.signal, () => handle.result() as Promise<T>);
  try {
    const outcome = await Promise.race([result, timeout]);
    if (outcome === 'timeout') return { state: 'running', ...ids };
    return { state: 'completed', result: outcome as T, ...ids };
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      throw dfErrorFromWorkflow(error) ?? new DfError('INTERNAL', error.message);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
    result.catch(() => undefined); // the called-off poll rejects: nobody waits for it any more
  }
}
