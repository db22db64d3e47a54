import { Hono, type Context } from 'hono';
import {
  actionOfStatusVerb,
  CONNECT_ACTIONS,
  ConnectActionInput,
  ConnectActionName,
  ConnectUpdateInput,
  parseConnectAdd,
  parseConnectUpdate,
  parseTaskId,
} from '../../domain/connect-input';
import { DfError } from '../../domain/errors';
import { refuseRemovalStatus } from '../../domain/task-input';
import { validationError } from '../../domain/validation';
import { workflowIds } from '../../protocol/workflow-ids';
import { connectAction, connectAdd, connectDelete, connectUpdate } from '../../../workflows/connect';
import { KnownTaskDeps, requireKnownTask } from '../known-task';
import { idSuffixFor } from '../new-task-id';
import type { ReachGuard } from '../../reach-guard';
import { answerWithKeyedOperation, answerWithOperation, givenRequestKey, OperationDeps } from '../operations';
import { expectedRevision, jsonObjectBody, requireSameId } from '../request-body';

function flag(c: Context, name: string): boolean | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  if (raw === '' || raw === 'true') return true;
  if (raw === 'false') return false;
  throw validationError(`${name} must be true or false`, { [name]: ['expected true or false'] });
}

/**
 * Connect mutations (POST/PUT/PATCH/DELETE /ps, actions): each is validated here into a typed input
 * (bad input never starts a workflow), a change of an unknown id is refused with 404, and then it
 * runs as its Temporal workflow.
 */
export function connectRoutes(deps: OperationDeps & KnownTaskDeps & { reach: ReachGuard }) {
  const runAction = async (c: Context, input: ConnectActionInput) => {
    await requireKnownTask(deps, input.id, 'CONNECT');
    return answerWithKeyedOperation(
      c,
      deps,
      connectAction,
      (key) => workflowIds.connectAction(input.id, input.action, key),
      [input],
      200,
    );
  };
  const runUpdate = async (c: Context, input: ConnectUpdateInput) => {
    deps.reach.connectUpdate(input);
    await requireKnownTask(deps, input.id, 'CONNECT');
    return answerWithKeyedOperation(
      c,
      deps,
      connectUpdate,
      (key) => workflowIds.connectUpdate(input.id, key),
      [input],
      200,
    );
  };

  return new Hono()
    .post('/ps', async (c) => {
      // With an Idempotency-Key a repeat (in flight or done) answers with the first run, and an add
      // without an id gets the same generated id each time; without one, a second add of the same
      // id while the first runs is refused.
      const key = givenRequestKey(c);
      const input = deps.reach.connectAdd(parseConnectAdd(await jsonObjectBody(c), idSuffixFor('connect', key)));
      return answerWithOperation(
        c,
        deps,
        connectAdd,
        {
          workflowId: workflowIds.connectAdd(input.id, key),
          args: [input],
          ...(key
            ? { oncePerId: true }
            : { onConflict: 'refuse', conflictMessage: `connect ${input.id} is being added already` }),
          accepted: { id: input.id },
          subject: { taskId: input.id },
        },
        201,
      );
    })
    .put('/ps/:id', async (c) => {
      const id = parseTaskId(c.req.param('id'));
      const body = await jsonObjectBody(c);
      requireSameId(body, id);
      refuseRemovalStatus(body.status, `/api/df/ps/${id}`);
      // The original UI asks for pause/resume/restart by PUTting the record with that status word.
      const verb = actionOfStatusVerb(body.status);
      if (verb) return runAction(c, { id, action: verb, ...(verb === 'restart' ? { includeTasks: true } : {}) });
      return runUpdate(c, parseConnectUpdate(id, body, 'replace', expectedRevision(c)));
    })
    .patch('/ps/:id', async (c) => {
      const id = parseTaskId(c.req.param('id'));
      const body = await jsonObjectBody(c);
      refuseRemovalStatus(body.status, `/api/df/ps/${id}`);
      return runUpdate(c, parseConnectUpdate(id, body, 'merge', expectedRevision(c)));
    })
    .delete('/ps/:id', async (c) => {
      const id = parseTaskId(c.req.param('id'));
      await requireKnownTask(deps, id, 'CONNECT');
      return answerWithOperation(
        c,
        deps,
        connectDelete,
        { workflowId: workflowIds.connectDelete(id), args: [{ id }] },
        200,
      );
    })
    .post('/ps/:id/:action', async (c) => {
      const id = parseTaskId(c.req.param('id'));
      const action = c.req.param('action') as ConnectActionName;
      if (!CONNECT_ACTIONS.includes(action)) {
        throw new DfError('NOT_FOUND', `no action ${action}; expected one of ${CONNECT_ACTIONS.join(', ')}`);
      }
      const includeTasks = flag(c, 'includeTasks');
      const onlyFailed = flag(c, 'onlyFailed');
      if (action !== 'restart' && (includeTasks !== undefined || onlyFailed !== undefined)) {
        throw validationError('includeTasks and onlyFailed apply to restart only', {
          [includeTasks !== undefined ? 'includeTasks' : 'onlyFailed']: ['restart only'],
        });
      }
      return runAction(c, {
        id,
        action,
        ...(includeTasks === undefined ? {} : { includeTasks }),
        ...(onlyFailed === undefined ? {} : { onlyFailed }),
      });
    });
}
