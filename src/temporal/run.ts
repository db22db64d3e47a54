import {
  Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowHandle,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { OPERATION_OUTCOME_UPDATE } from '../domain/operation-outcome';
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
  /**
   * With oncePerId: a hash of the request the id names, kept on the run (memo). A repeat under the
   * id whose hash differs asks for something else under a used key, and is refused.
   */
  requestHash?: string;
}

/** The memo field holding a keyed run's request hash; runs started before it have none and take any repeat. */
const REQUEST_HASH_MEMO = 'dfRequestHash';

type StartOptions = {
  taskQueue: string;
  workflowId: string;
  args: unknown[];
  workflowIdConflictPolicy: WorkflowIdConflictPolicy;
  workflowIdReusePolicy?: WorkflowIdReusePolicy;
  memo?: Record<string, unknown>;
};

/**
 * Starts a workflow (or joins the run already going under the same business id) and waits up to
 * waitMs for its outcome. A failed run throws the DfError its activity raised.
 */
export async function runWorkflow<T>(
  client: Client,
  workflowType: string,
  options: RunOptions,
): Promise<RunOutcome<T>> {
  const start: StartOptions = {
    taskQueue: options.taskQueue,
    workflowId: options.workflowId,
    args: options.args ?? [],
    // A keyed repeat is not joined to the run going on: it goes to the check of its request hash below.
    workflowIdConflictPolicy:
      options.onConflict === 'refuse' || options.oncePerId
        ? WorkflowIdConflictPolicy.FAIL
        : WorkflowIdConflictPolicy.USE_EXISTING,
    ...(options.oncePerId ? { workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE } : {}),
    ...(options.oncePerId && options.requestHash ? { memo: { [REQUEST_HASH_MEMO]: options.requestHash } } : {}),
  };
  try {
    if (options.waitMs <= 0) {
      const started = await client.workflow.start(workflowType, start);
      return { state: 'running', workflowId: started.workflowId, runId: started.firstExecutionRunId };
    }
    return await startAndAwaitOutcome<T>(client, workflowType, start, options.waitMs);
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError && options.oncePerId) {
      // Ran before under this id: answer with that run (the latest one under the id), if it was this request.
      const described = await client.workflow.getHandle(options.workflowId).describe();
      const recorded = described.memo?.[REQUEST_HASH_MEMO];
      if (options.requestHash && typeof recorded === 'string' && recorded !== options.requestHash) {
        throw new DfError(
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was sent before with another request (method, path, query or body); nothing was changed: send the new request with a new key',
          {
            details: { header: 'Idempotency-Key', workflowId: options.workflowId, runId: described.runId },
          },
        );
      }
      const previous = { workflowId: options.workflowId, runId: described.runId };
      return awaitOutcome<T>(client, client.workflow.getHandle(options.workflowId), previous, options.waitMs);
    }
    if (error instanceof WorkflowExecutionAlreadyStartedError) {
      throw new DfError('CONFLICT', options.conflictMessage ?? `workflow ${options.workflowId} is already running`, {
        details: { workflowId: options.workflowId },
      });
    }
    throw error;
  }
}

type RunIds = { workflowId: string; runId: string };

/**
 * Starts the run with its outcome update (update-with-start, one call): the answer comes as soon as
 * the operation's steps are recorded, not after what the run does next (releasing the task's
 * lock, workflows/operation.ts). A failed operation, or a run that does not answer the
 * update (one started before it existed, joined by id), is awaited to its end instead, and its
 * own failure is what the caller gets.
 */
async function startAndAwaitOutcome<T>(
  client: Client,
  workflowType: string,
  start: StartOptions,
  waitMs: number,
): Promise<RunOutcome<T>> {
  const deadline = Date.now() + waitMs;
  let ids: RunIds | undefined;
  try {
    const waited = await withinWait(client, waitMs, async () => {
      const update = await client.workflow.startUpdateWithStart(OPERATION_OUTCOME_UPDATE, {
        startWorkflowOperation: new WithStartWorkflowOperation(workflowType, start),
        waitForStage: 'ACCEPTED',
      });
      // The update-with-start answer always names the run (the handle's type allows for updates by id alone).
      if (update.workflowRunId) ids = { workflowId: update.workflowId, runId: update.workflowRunId };
      return (await update.result()) as T;
    });
    const run = ids ?? (await latestRunIds(client, start.workflowId));
    return waited.ended ? { state: 'completed', result: waited.value, ...run } : { state: 'running', ...run };
  } catch (error) {
    // The start went through (or joined a run) but the update failed: the run's end tells why.
    if (!(error instanceof WorkflowUpdateFailedError) && !ids) throw error;
    const run = ids ?? (await latestRunIds(client, start.workflowId));
    return awaitOutcome<T>(
      client,
      client.workflow.getHandle(run.workflowId, run.runId),
      run,
      Math.max(1, deadline - Date.now()),
    );
  }
}

/** The ids of the run under workflowId now (the wait ended before the start's answer came). */
async function latestRunIds(client: Client, workflowId: string): Promise<RunIds> {
  const { runId } = await client.workflow.getHandle(workflowId).describe();
  return { workflowId, runId };
}

async function awaitOutcome<T>(
  client: Client,
  handle: WorkflowHandle,
  ids: RunIds,
  waitMs: number,
): Promise<RunOutcome<T>> {
  if (waitMs <= 0) return { state: 'running', ...ids };
  try {
    const waited = await withinWait(client, waitMs, () => handle.result() as Promise<T>);
    return waited.ended ? { state: 'completed', result: waited.value, ...ids } : { state: 'running', ...ids };
  } catch (error) {
    if (error instanceof WorkflowFailedError) {
      throw dfErrorFromWorkflow(error) ?? new DfError('INTERNAL', error.message);
    }
    throw error;
  }
}

/**
 * Runs a long poll of Temporal for at most waitMs. When the wait ends first the poll is called
 * off, or every 202 would leave one open until its run ends.
 */
async function withinWait<T>(
  client: Client,
  waitMs: number,
  poll: () => Promise<T>,
): Promise<{ ended: true; value: T } | { ended: false }> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), waitMs);
  });
  const polled = client.connection.withAbortSignal(abort.signal, poll);
  try {
    const outcome = await Promise.race([polled.then((value) => ({ value })), timeout]);
    return outcome === 'timeout' ? { ended: false } : { ended: true, value: outcome.value };
  } finally {
    clearTimeout(timer);
    abort.abort();
    polled.catch(() => undefined); // the called-off poll rejects: nobody waits for it any more
  }
}
