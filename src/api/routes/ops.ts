import { Hono } from 'hono';
import { ServiceError, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { validationError } from '../../domain/validation';
import { DfError } from '../../domain/errors';
import { maskConfigSecrets } from '../../domain/secrets';
import { dfErrorFromWorkflow } from '../../temporal/failures';
import { errorBody } from '../errors';
import { askedSpelling, spelledAnswer } from '../key-spelling';
import { operationLinks, OperationDeps } from '../operations';

/** gRPC status INVALID_ARGUMENT. */
const GRPC_INVALID_ARGUMENT = 3;
const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isInvalidArgument(error: unknown): boolean {
  const code = (e: unknown) => (e as { code?: unknown } | undefined)?.code;
  return (
    error instanceof ServiceError &&
    (code(error.cause) === GRPC_INVALID_ARGUMENT || code(error) === GRPC_INVALID_ARGUMENT)
  );
}

/**
 * GET /api/df/ops/:workflowId[?runId=]: where an operation stands (the URL a 202 points to):
 * its Temporal status and, once ended, its result or its error in the API's error shape.
 */
export function opsRoutes(deps: OperationDeps) {
  return new Hono().get('/ops/:workflowId', async (c) => {
    const workflowId = c.req.param('workflowId');
    const runId = c.req.query('runId') || undefined;
    const asked = askedSpelling(c);
    if (workflowId.length > 1000 || /[\u0000-\u001f]/.test(workflowId)) {
      throw validationError('not a workflow id', { workflowId: ['at most 1000 characters, no control characters'] });
    }
    if (runId !== undefined && !RUN_ID.test(runId))
      throw validationError('runId must be a Temporal run id (a UUID)', { runId: ['expected a UUID'] });
    const handle = deps.temporal.workflow.getHandle(workflowId, runId);
    let description;
    try {
      description = await handle.describe();
    } catch (error) {
      if (error instanceof WorkflowNotFoundError)
        throw new DfError('NOT_FOUND', `no operation ${workflowId}`, { details: { workflowId } });
      // Temporal refuses what it cannot take as an id: the caller's mistake, with Temporal's words.
      if (isInvalidArgument(error))
        throw new DfError('VALIDATION_FAILED', `Temporal refused the id: ${(error as Error).message}`, {
          details: { workflowId },
        });
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
    if (status === 'COMPLETED')
      body.result = spelledAnswer(maskConfigSecrets(await handle.result(), deps.secretKeys), asked);
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
