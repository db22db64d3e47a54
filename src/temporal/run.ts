import {
  Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowHandle,
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowFailedError,
  WorkflowUpdateFailedError,
  type WorkflowStartOptions,
} from '@temporalio/client';
import type { Workflow, WorkflowResultType } from '@temporalio/common';
import { operationOutcome } from '../protocol/operation-outcome';
import { DF_ACTOR } from '../protocol/search-attributes';
import type { Requester } from '../domain/audit';
import { DfError } from '../domain/errors';
import { dfErrorFromWorkflow } from './failures';

export type RunOutcome<T> =
  | { state: 'completed'; result: T; workflowId: string; runId: string }
  | { state: 'running'; workflowId: string; runId: string };

export interface RunOptions<W extends Workflow> {
  taskQueue: string;
  workflowId: string;
  /** The workflow function's own arguments (`[]` for one that takes none): tsc checks them against it. */
  args: Parameters<W>;
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
  /** Who asked: kept on the run (memo `dfAudit`, search attribute DfActor) when this call starts it. */
  requester?: Requester;
  /**
   * Told the ids of the run once they are known: the run this call started, or the one it joined
   * (a repeat of a keyed request, a second delete). Not told when no run was started or joined.
   */
  onRun?: (ids: RunIds) => void;
}

/** Options of a start; update-with-start needs a conflict policy. */
type StartOptions<W extends Workflow> = WorkflowStartOptions<W> & {
  workflowIdConflictPolicy: WorkflowIdConflictPolicy;
};

/** The memo field holding a keyed run's request hash; runs started before it have none and take any repeat. */
const REQUEST_HASH_MEMO = 'dfRequestHash';
/** The memo field naming who asked for the run (a Requester); runs the API did not start have none. */
export const AUDIT_MEMO = 'dfAudit';

function startMemo<W extends Workflow>(options: RunOptions<W>): Record<string, unknown> | undefined {
  const memo = {
    ...(options.oncePerId && options.requestHash ? { [REQUEST_HASH_MEMO]: options.requestHash } : {}),
    ...(options.requester ? { [AUDIT_MEMO]: options.requester } : {}),
  };
  return Object.keys(memo).length > 0 ? memo : undefined;
}

/**
 * Starts a workflow (or joins the run already going under the same business id) and waits up to
 * waitMs for its outcome. A failed run throws the DfError its activity raised. The workflow is given
 * as its function, so its arguments and its result are checked against its signature.
 */
export async function runWorkflow<W extends Workflow>(
  client: Client,
  workflow: W,
  options: RunOptions<W>,
): Promise<RunOutcome<WorkflowResultType<W>>> {
  type T = WorkflowResultType<W>;
  // The args are W's parameters (RunOptions<W>); Temporal's conditional type cannot see it for a generic W.
  const start = {
    taskQueue: options.taskQueue,
    workflowId: options.workflowId,
    args: options.args,
    // A keyed repeat is not joined to the run going on: it goes to the check of its request hash below.
    workflowIdConflictPolicy:
      options.onConflict === 'refuse' || options.oncePerId
        ? WorkflowIdConflictPolicy.FAIL
        : WorkflowIdConflictPolicy.USE_EXISTING,
    ...(options.oncePerId ? { workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE } : {}),
    ...(startMemo(options) ? { memo: startMemo(options) } : {}),
    ...(options.requester ? { typedSearchAttributes: [{ key: DF_ACTOR, value: options.requester.actor }] } : {}),
  } as unknown as StartOptions<W>;
  const told = (ids: RunIds): RunIds => {
    options.onRun?.(ids);
    return ids;
  };
  try {
    if (options.waitMs <= 0) {
      const started = await client.workflow.start(workflow, start);
      const ids = told({ workflowId: started.workflowId, runId: started.firstExecutionRunId });
      return { state: 'running', ...ids };
    }
    return await startAndAwaitOutcome(client, workflow, start, options.waitMs, told);
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
      const previous = told({ workflowId: options.workflowId, runId: described.runId });
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

export type RunIds = { workflowId: string; runId: string };

/**
 * Starts the run with its outcome update (update-with-start, one call): the answer comes as soon as
 * the operation's steps are recorded, not after what the run does next (releasing the task's
 * lock, workflows/operation.ts). A failed operation, or a run that does not answer the
 * update (one started before it existed, joined by id), is awaited to its end instead, and its
 * own failure is what the caller gets.
 */
async function startAndAwaitOutcome<W extends Workflow>(
  client: Client,
  workflow: W,
  start: StartOptions<W>,
  waitMs: number,
  told: (ids: RunIds) => RunIds,
): Promise<RunOutcome<WorkflowResultType<W>>> {
  type T = WorkflowResultType<W>;
  const deadline = Date.now() + waitMs;
  let ids: RunIds | undefined;
  try {
    const waited = await withinWait(client, waitMs, async () => {
      const update = await client.workflow.startUpdateWithStart(operationOutcome, {
        startWorkflowOperation: new WithStartWorkflowOperation(workflow, start),
        waitForStage: 'ACCEPTED',
      });
      // The update-with-start answer always names the run (the handle's type allows for updates by id alone).
      if (update.workflowRunId) ids = told({ workflowId: update.workflowId, runId: update.workflowRunId });
      return (await update.result()) as T;
    });
    const run = ids ?? told(await latestRunIds(client, start.workflowId));
    return waited.ended ? { state: 'completed', result: waited.value, ...run } : { state: 'running', ...run };
  } catch (error) {
    // The start went through (or joined a run) but the update failed: the run's end tells why.
    if (!(error instanceof WorkflowUpdateFailedError) && !ids) throw error;
    const run = ids ?? told(await latestRunIds(client, start.workflowId));
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
