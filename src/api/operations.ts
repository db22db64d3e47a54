import { randomUUID } from 'node:crypto';
import type { Context } from 'hono';
import type { Client } from '@temporalio/client';
import type { Workflow, WorkflowResultType } from '@temporalio/common';
import { type AuditSubject, auditSubjectOfPath } from '../domain/audit';
import { DfError } from '../domain/errors';
import { maskConfigSecrets, SecretKeys } from '../domain/secrets';
import type { ApiMetrics } from '../metrics';
import type { OperationAdmission } from './admission';
import { type AuditLog, auditRun } from './audit-trail';
import { askedSpelling, spelledAnswer } from './key-spelling';
import { requestFingerprint } from './idempotency';
import { requesterOf } from './requester';
import { runWorkflow, RunIds, RunOptions, RunOutcome } from '../temporal/run';

/** What every route that starts a workflow needs. */
export interface OperationDeps {
  temporal: Client;
  taskQueue: string;
  namespace: string;
  temporalUiUrl: string;
  syncWaitMs: number;
  /** Which config keys are secret: an operation's result never shows their values. */
  secretKeys: SecretKeys;
  metrics?: Pick<ApiMetrics, 'operations'>;
  /** The bound on operations in flight (DF_MAX_IN_FLIGHT); absent: none. */
  admission?: OperationAdmission;
  /** Who asked for each operation (df_audit). */
  audit: AuditLog;
}

export interface OperationAccepted {
  workflowId: string;
  runId: string;
  statusUrl: string;
  temporalUiUrl: string;
}

/** The 202 of an add: also the id of the task being added, which a client navigates to. */
export interface AddAccepted extends OperationAccepted {
  id: string;
}

export function operationLinks(
  deps: Pick<OperationDeps, 'namespace' | 'temporalUiUrl'>,
  workflowId: string,
  runId: string,
): OperationAccepted {
  return {
    workflowId,
    runId,
    statusUrl: `/api/df/ops/${encodeURIComponent(workflowId)}?runId=${encodeURIComponent(runId)}`,
    temporalUiUrl: `${deps.temporalUiUrl}/namespaces/${encodeURIComponent(deps.namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`,
  };
}

/** `Prefer: respond-async` (RFC 7240) asks for the 202 at once instead of waiting for the result. */
export function prefersAsync(c: Context): boolean {
  return /(^|[,;\s])respond-async($|[,;\s])/i.test(c.req.header('prefer') ?? '');
}

/** The client's Idempotency-Key, checked; undefined when the request has none. */
export function givenRequestKey(c: Context): string | undefined {
  const given = c.req.header('idempotency-key')?.trim();
  if (given === undefined || given === '') return undefined;
  if (!/^[A-Za-z0-9._:-]{1,100}$/.test(given)) {
    throw new DfError('VALIDATION_FAILED', 'Idempotency-Key must be 1-100 letters, digits, ".", "_", ":" or "-"', {
      details: { fields: { 'Idempotency-Key': ['invalid characters or length'] } },
    });
  }
  return given;
}

/**
 * The request's key: the client's Idempotency-Key, so a retried request gets the first run's
 * outcome instead of repeating it (the same key with another request is refused), or a fresh one.
 */
function requestKey(c: Context): { key: string; oncePerId: boolean } {
  const given = givenRequestKey(c);
  return given === undefined ? { key: randomUUID(), oncePerId: false } : { key: given, oncePerId: true };
}

/**
 * Runs a mutation's workflow and answers: its result with `okStatus` when it ends within
 * DF_SYNC_WAIT_MS, else 202 with where to follow it. The workflow ids travel in headers either way.
 * `present` shapes the result for the answer, when the route adds to what the workflow returns.
 * Who asked goes on the run (memo, DfActor) and, once the run is known, into the audit.
 */
export async function answerWithOperation<W extends Workflow>(
  c: Context,
  deps: OperationDeps,
  workflow: W,
  {
    accepted: acceptedFields,
    subject,
    ...options
  }: Omit<RunOptions<W>, 'taskQueue' | 'waitMs' | 'requestHash' | 'requester' | 'onRun'> & {
    /** Fields a 202 carries besides where to follow the run (an add: the task's id). */
    accepted?: Record<string, string>;
    /** What the audit says the operation is about, where the path does not tell (an add's id in its body). */
    subject?: AuditSubject;
  },
  okStatus: 200 | 201,
  present: (result: WorkflowResultType<W>) => object = (result) => result as object,
) {
  let outcome: RunOutcome<WorkflowResultType<W>>;
  // Checked before the operation runs: a bad choice of spelling must not come after the change.
  const asked = askedSpelling(c);
  // Set first so a failed operation's error answer (and its log line) still names the run to look at.
  c.header('X-DF-Workflow-Id', options.workflowId);
  let leave: (() => void) | undefined;
  try {
    leave = deps.admission?.enter();
    const requestHash = options.oncePerId ? await requestFingerprint(c) : undefined;
    const requester = requesterOf(c);
    const about: AuditSubject = { ...auditSubjectOfPath(c.req.path), ...subject };
    const onRun = ({ workflowId, runId }: RunIds) =>
      auditRun(c, deps.audit, {
        id: `${workflowId}:${runId}`,
        at: new Date().toISOString(),
        ...requester,
        ...about,
        operation: workflow.name,
        workflowId,
        runId,
        method: c.req.method,
        path: c.req.path,
      });
    outcome = await runWorkflow(deps.temporal, workflow, {
      ...options,
      ...(requestHash ? { requestHash } : {}),
      requester,
      onRun,
      taskQueue: deps.taskQueue,
      waitMs: prefersAsync(c) ? 0 : deps.syncWaitMs,
    });
  } catch (error) {
    const refused = error instanceof DfError && (error.code === 'CONFLICT' || error.code === 'OVERLOADED');
    deps.metrics?.operations.inc({ type: workflow.name, outcome: refused ? 'refused' : 'failed' });
    throw error;
  } finally {
    leave?.();
  }
  deps.metrics?.operations.inc({
    type: workflow.name,
    outcome: outcome.state === 'running' ? 'accepted' : 'completed',
  });
  c.header('X-DF-Workflow-Id', outcome.workflowId);
  c.header('X-DF-Run-Id', outcome.runId);
  if (outcome.state === 'running') {
    const accepted = operationLinks(deps, outcome.workflowId, outcome.runId);
    c.header('Location', accepted.statusUrl);
    return c.json({ ...acceptedFields, ...accepted }, 202);
  }
  // Secrets are masked under the stored (dotted) keys first: the secret words are the same either way.
  return c.json(spelledAnswer(maskConfigSecrets(present(outcome.result), deps.secretKeys), asked), okStatus);
}

/**
 * answerWithOperation for a request that may be repeated (updates, actions): its workflow id ends
 * in the request's key, so a repeat with the same Idempotency-Key answers with the first run.
 */
export function answerWithKeyedOperation<W extends Workflow>(
  c: Context,
  deps: OperationDeps,
  workflow: W,
  workflowIdFor: (key: string) => string,
  args: Parameters<W>,
  okStatus: 200 | 201,
) {
  const { key, oncePerId } = requestKey(c);
  return answerWithOperation(c, deps, workflow, { workflowId: workflowIdFor(key), args, oncePerId }, okStatus);
}
