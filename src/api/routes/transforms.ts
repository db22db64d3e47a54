import { Hono, type Context } from 'hono';
import { parseTaskId, refuseRemovalStatus } from '../../domain/task-input';
import {
  DELETE_MODES,
  parseMode,
  parseTransformAdd,
  parseTransformUpdate,
  UPGRADE_MODES,
  type TransformAddInput,
  type TransformUpdateInput,
} from '../../domain/transform-input';
import { DfError, isDfError } from '../../domain/errors';
import { streamBackTopic } from '../../domain/stream-back';
import { streamBackProgress } from '../../protocol/stream-back';
import { workflowIds } from '../../protocol/workflow-ids';
import { transformAdd, transformDelete, transformSavepoint, transformUpdate } from '../../../workflows/transform';
import { KnownTaskDeps, requireKnownTask } from '../known-task';
import { idSuffixFor } from '../new-task-id';
import type { ReachGuard } from '../../reach-guard';
import { answerWithKeyedOperation, answerWithOperation, givenRequestKey, OperationDeps } from '../operations';
import { expectedRevision, jsonObjectBody, requireSameId } from '../request-body';
import { requireTaskOf } from './tasks';

/** Has Flink plan a transform's SQL as its add would, creating nothing; refuses it with `details.problems`. */
export type TransformPlanCheck = (input: TransformAddInput) => Promise<void>;

/**
 * A refusal of the plan check with every problem listed: input refused before Flink saw it gives
 * one per field message, without a line.
 */
function withProblems(error: unknown): unknown {
  if (!isDfError(error) || error.code !== 'VALIDATION_FAILED') return error;
  const details = (error.details ?? {}) as { problems?: unknown; fields?: Record<string, string[]> };
  if (details.problems) return error;
  const problems = Object.entries(details.fields ?? {}).flatMap(([field, messages]) =>
    messages.map((message) => ({ field, message })),
  );
  return new DfError(error.code, error.message, {
    httpStatus: error.httpStatus,
    details: { ...details, problems: problems.length > 0 ? problems : [{ message: error.message }] },
  });
}

/**
 * Transform mutations (POST/PUT/PATCH/DELETE /tr, savepoints) and the plan check of a transform
 * before it is added (POST /tr/check, which starts no workflow): validated here into typed inputs
 * (bad input never starts a workflow), a change of an unknown id refused with 404, then run as
 * their Temporal workflows. Reads of /tr are in
 * tasks.ts with the other df_processor reads.
 */
export function transformRoutes(
  deps: OperationDeps & KnownTaskDeps & { reach: ReachGuard; checkTransformPlan: TransformPlanCheck },
) {
  const runUpdate = async (c: Context, input: TransformUpdateInput) => {
    await requireKnownTask(deps, input.id, 'TRANSFORM');
    deps.reach.transformUpdate(input);
    return answerWithKeyedOperation(
      c,
      deps,
      transformUpdate,
      (key) => workflowIds.transformUpdate(input.id, key),
      [input],
      200,
    );
  };
  const updateOptions = (c: Context) => {
    const upgradeMode = parseMode(c.req.query('upgradeMode'), UPGRADE_MODES, 'upgradeMode');
    const revision = expectedRevision(c);
    return {
      ...(upgradeMode ? { upgradeMode } : {}),
      ...(revision !== undefined ? { expectedRevision: revision } : {}),
    };
  };

  return new Hono()
    .post('/tr', async (c) => {
      const key = givenRequestKey(c);
      const input = parseTransformAdd(await jsonObjectBody(c), idSuffixFor('transform', key));
      deps.reach.transformAdd(input);
      return answerWithOperation(
        c,
        deps,
        transformAdd,
        {
          workflowId: workflowIds.transformAdd(input.id, key),
          args: [input],
          ...(key
            ? { oncePerId: true }
            : { onConflict: 'refuse', conflictMessage: `transform ${input.id} is being added already` }),
          accepted: { id: input.id },
          subject: { taskId: input.id },
        },
        201,
      );
    })
    .post('/tr/check', async (c) => {
      try {
        const input = parseTransformAdd(await jsonObjectBody(c), idSuffixFor('transform', undefined));
        deps.reach.transformAdd(input);
        await deps.checkTransformPlan(input);
        return c.json({ ok: true });
      } catch (error) {
        throw withProblems(error);
      }
    })
    .put('/tr/:id', async (c) => {
      const id = parseTaskId(c.req.param('id'));
      const body = await jsonObjectBody(c);
      requireSameId(body, id);
      refuseRemovalStatus(body.status, `/api/df/tr/${id}`);
      return runUpdate(c, parseTransformUpdate(id, body, 'replace', updateOptions(c)));
    })
    .patch('/tr/:id', async (c) => {
      const id = parseTaskId(c.req.param('id'));
      const body = await jsonObjectBody(c);
      refuseRemovalStatus(body.status, `/api/df/tr/${id}`);
      return runUpdate(c, parseTransformUpdate(id, body, 'merge', updateOptions(c)));
    })
    .delete('/tr/:id', async (c) => {
      const id = parseTaskId(c.req.param('id'));
      const mode = parseMode(c.req.query('mode'), DELETE_MODES, 'mode');
      await requireKnownTask(deps, id, 'TRANSFORM');
      return answerWithOperation(
        c,
        deps,
        transformDelete,
        {
          workflowId: workflowIds.transformDelete(id),
          args: [{ id, ...(mode ? { mode } : {}) }],
        },
        200,
      );
    })
    .post('/tr/:id/savepoint', async (c) => {
      const id = parseTaskId(c.req.param('id'));
      await requireKnownTask(deps, id, 'TRANSFORM');
      return answerWithKeyedOperation(
        c,
        deps,
        transformSavepoint,
        (key) => workflowIds.transformSavepoint(id, key),
        [{ id }],
        201,
      );
    })
    .get('/tr/:id/savepoints', async (c) => {
      const task = await requireTaskOf(deps.tasks, parseTaskId(c.req.param('id')), 'TRANSFORM');
      const savepoints = [...(task.savepoints ?? [])].reverse(); // newest first
      c.header('X-Total-Count', String(savepoints.length));
      return c.json(savepoints);
    })
    .get('/tr/:id/streamback', async (c) => {
      const task = await requireTaskOf(deps.tasks, parseTaskId(c.req.param('id')), 'TRANSFORM');
      const jobId = task.jobConfig?.flink_job_id;
      const workflowId = jobId ? workflowIds.streamBack(task.id, jobId) : undefined;
      // The workflow's own answer (its progress query), live or after it ended.
      const progress = workflowId
        ? await deps.temporal.workflow
            .getHandle(workflowId)
            .query(streamBackProgress)
            .catch(() => undefined)
        : undefined;
      if (!workflowId || !progress) {
        throw new DfError(
          'NOT_FOUND',
          `transform ${task.id} has no stream back for its current job${streamBackTopic(task.connectorConfig) ? ' yet' : ' (stream_back_flag is not true)'}`,
          {
            details: { id: task.id, ...(jobId ? { jobId } : {}) },
          },
        );
      }
      return c.json({
        ...progress,
        workflowId,
        temporalUi: `${deps.temporalUiUrl}/namespaces/${deps.namespace}/workflows/${workflowId}`,
      });
    });
}
