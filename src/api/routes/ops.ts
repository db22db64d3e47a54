import { Hono } from 'hono';
import { WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { DfError } from '../../domain/errors';
import { maskConfigSecrets } from '../../domain/secrets';
import { dfErrorFromWorkflow } from '../../temporal/failures';
import { errorBody } from '../errors';
import { operationLinks, OperationDeps } from '../operations';

/**
 * GET /api/df/ops/:workflowId[?runId=]: where an operation stands (the URL a 202 points to):
 * its Temporal status and, once ended, its result or its error in the API's error shape.
 */
export function opsRoutes(deps: OperationDeps) {
  return new Hono().get('/ops/:workflowId', async (c) => {
    const workflowId = c.req.param('workflowId');
    const handle = deps.temporal.workflow.getHandle(workflowId, c.req.query('runId') || undefined);
    let description;
    try {
      description = await handle.describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new DfError('NOT_FOUND', `no operation ${workflowId}`, { details: { workflowId } });
      throw error;
    }
    const status = description.status.name;
    const body: Record<string, unknown> = {
      ...operationLinks(deps, workflowId, description.runId),
      type: description.type,
      status,
      startTime: description.startTime.toISOString(),
      ...(description.closeTime ? { closeTime: description.closeTime.toISOString() } : {}),
    };
    if (status === 'COMPLETED') body.result = maskConfigSecrets(await handle.result(), deps.secretKeys);
    if (status === 'FAILED' || status === 'TIMED_OUT' || status === 'TERMINATED' || status === 'CANCELLED') {
      try {
        await handle.result();
      } catch (error) {
        const dfError = error instanceof WorkflowFailedError ? dfErrorFromWorkflow(error) : undefined;
        body.error = errorBody(dfError ?? new DfError('INTERNAL', String((error as Error).message))).error;
      }
    }
    return c.json(body);
  });
}
