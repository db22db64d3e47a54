import { Hono, type Context } from 'hono';
import { parseTaskId } from '../../domain/connect-input';
import type { ConnectOffsetsInput } from '../../domain/connect-offsets';
import { parseOffsetsAlter } from '../../domain/connect-offsets-input';
import { parseConnectTaskRestart } from '../../domain/connect-task-restart';
import { DfError } from '../../domain/errors';
import { workflowIds } from '../../protocol/workflow-ids';
import type { KafkaConnectClient } from '../../ras/kafka-connect';
import { connectOffsets } from '../../../workflows/connect-offsets';
import { connectTaskRestart } from '../../../workflows/connect';
import { KnownTaskDeps, noTask, requireKnownTask } from '../known-task';
import { answerWithKeyedOperation, OperationDeps } from '../operations';
import { jsonObjectBody } from '../request-body';
import { requireTaskOf } from './tasks';

/**
 * A connect's offsets (KIP-875) and its single tasks: GET reads the offsets from Kafka Connect;
 * PATCH alters and DELETE resets them, and POST …/tasks/:task/restart restarts one task, each as
 * its workflow. A transform's id is no connect's and is refused 404 before any run starts.
 */
export function connectOffsetRoutes(deps: OperationDeps & KnownTaskDeps & { kafkaConnect: KafkaConnectClient }) {
  /** Refuses an id that is not a connect's before any workflow starts (an add in flight counts as known). */
  const requireConnect = async (id: string): Promise<void> => {
    const task = await deps.tasks.get(id);
    if (task && task.connectorCategory !== 'CONNECT') throw noTask(id, 'CONNECT');
    await requireKnownTask(deps, id, 'CONNECT');
  };
  const changeOffsets = async (c: Context, input: ConnectOffsetsInput) => {
    await requireConnect(input.id);
    return answerWithKeyedOperation(
      c,
      deps,
      connectOffsets,
      (key) => workflowIds.connectOffsets(input.id, input.change, key),
      [input],
      200,
    );
  };

  return new Hono()
    .get('/ps/:id/offsets', async (c) => {
      const task = await requireTaskOf(deps.tasks, parseTaskId(c.req.param('id')), 'CONNECT');
      const offsets = await deps.kafkaConnect.offsets(task.connectUid);
      if (!offsets) {
        throw new DfError('NOT_FOUND', `Kafka Connect has no connector ${task.connectUid} for connect ${task.id}`, {
          details: { id: task.id },
        });
      }
      return c.json(offsets);
    })
    .patch('/ps/:id/offsets', async (c) => {
      const id = parseTaskId(c.req.param('id'));
      return changeOffsets(c, parseOffsetsAlter(id, await jsonObjectBody(c)));
    })
    .delete('/ps/:id/offsets', async (c) => changeOffsets(c, { id: parseTaskId(c.req.param('id')), change: 'reset' }))
    .post('/ps/:id/tasks/:task/restart', async (c) => {
      const input = parseConnectTaskRestart(parseTaskId(c.req.param('id')), c.req.param('task'));
      await requireConnect(input.id);
      return answerWithKeyedOperation(
        c,
        deps,
        connectTaskRestart,
        (key) => workflowIds.connectTaskRestart(input.id, input.task, key),
        [input],
        200,
      );
    });
}
