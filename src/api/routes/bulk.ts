import { Hono } from 'hono';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { bulkProgress, BulkProgress, BulkRequest, plannedItem } from '../../domain/bulk';
import { parseBulkRequest } from '../../domain/bulk-input';
import { DfError } from '../../domain/errors';
import { validationError } from '../../domain/validation';
import { bulkProgressQuery } from '../../protocol/bulk';
import { workflowIds } from '../../protocol/workflow-ids';
import type { ReachGuard } from '../../reach-guard';
import { resolveBulkTargets } from '../../repository/bulk-targets';
import type { TaskReads } from '../../repository/task-reads';
import { dfErrorFromWorkflow } from '../../temporal/failures';
import { bulkRun } from '../../../workflows/bulk';
import { errorBody } from '../errors';
import { answerWithOperation, givenRequestKey, operationLinks, OperationDeps } from '../operations';
import { idSuffixFor } from '../new-task-id';
import { jsonObjectBody } from '../request-body';

const BULK_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/** A set-config reaches no further through a bulk run than through an update of each task. */
function checkReach(reach: ReachGuard, request: BulkRequest): void {
  if (!request.configPatch) return;
  reach.configPatch(request.configPatch);
}

/**
 * POST /bulk starts one action on many tasks (workflow bulkRun, a child run per task), or with
 * `dryRun` answers which tasks it would touch; GET /bulk/:id is its progress, per item; DELETE
 * /bulk/:id cancels what has not started.
 */
export function bulkRoutes(
  deps: OperationDeps & { tasks: Pick<TaskReads, 'categoriesOf' | 'list'>; reach: ReachGuard },
) {
  const handleOf = (rawId: string) => {
    if (!BULK_ID.test(rawId)) throw validationError('not a bulk run id', { id: ['1-100 letters, digits, . _ : -'] });
    return deps.temporal.workflow.getHandle(workflowIds.bulk(rawId));
  };
  const describe = async (id: string) => {
    const handle = handleOf(id);
    try {
      return { handle, description: await handle.describe() };
    } catch (error) {
      if (error instanceof WorkflowNotFoundError)
        throw new DfError('NOT_FOUND', `no bulk run ${id}`, { details: { id } });
      throw error;
    }
  };

  return new Hono()
    .post('/bulk', async (c) => {
      const request = parseBulkRequest(await jsonObjectBody(c));
      checkReach(deps.reach, request);
      const key = givenRequestKey(c);
      const { dryRun, ...run } = request;
      const targets = await resolveBulkTargets(deps.tasks, run);
      if (dryRun) {
        const planned = bulkProgress(
          { bulkId: '', action: run.action },
          targets.map((t) => plannedItem(run.action, t)),
          false,
        );
        const { bulkId: _none, done: _done, cancelled: _cancelled, ...answer } = planned;
        return c.json({ dryRun: true, ...answer });
      }
      // From the Idempotency-Key, so a repeat joins the first run; else fresh.
      const bulkId = idSuffixFor('bulk', key)();
      return answerWithOperation(
        c,
        deps,
        bulkRun,
        {
          workflowId: workflowIds.bulk(bulkId),
          args: [{ bulkId, ...run }],
          ...(key ? { oncePerId: true } : { onConflict: 'refuse' as const }),
          accepted: { id: bulkId },
        },
        200,
        (result) => ({ id: bulkId, ...result }),
      );
    })
    .get('/bulk/:id', async (c) => {
      const id = c.req.param('id');
      const { handle, description } = await describe(id);
      const status = description.status.name;
      const links = operationLinks(deps, description.workflowId, description.runId);
      let progress: BulkProgress | undefined;
      let error: ReturnType<typeof errorBody>['error'] | undefined;
      if (status === 'RUNNING') progress = await handle.query(bulkProgressQuery);
      else if (status === 'COMPLETED') progress = (await handle.result()) as BulkProgress;
      else {
        try {
          await handle.result();
        } catch (failure) {
          const dfError = failure instanceof WorkflowFailedError ? dfErrorFromWorkflow(failure) : undefined;
          error = errorBody(dfError ?? new DfError('INTERNAL', String((failure as Error).message))).error;
        }
      }
      return c.json({
        id,
        state: status,
        startTime: description.startTime.toISOString(),
        ...(description.closeTime ? { closeTime: description.closeTime.toISOString() } : {}),
        ...links,
        ...(progress ?? {}),
        ...(error ? { error } : {}),
      });
    })
    .delete('/bulk/:id', async (c) => {
      const id = c.req.param('id');
      const { handle, description } = await describe(id);
      if (description.status.name !== 'RUNNING')
        throw new DfError(
          'CONFLICT',
          `bulk run ${id} has ended (${description.status.name}); there is nothing to stop`,
          {
            details: { id, state: description.status.name },
          },
        );
      await handle.cancel();
      return c.json(
        { id, cancelRequested: true, ...operationLinks(deps, description.workflowId, description.runId) },
        202,
      );
    });
}
