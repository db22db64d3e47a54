import { ApplicationFailure, proxyActivities, proxyLocalActivities } from '@temporalio/workflow';
import type { ConnectActivities } from '../activities/connect';
import type { ConnectOffsetActivities } from '../activities/connect-offsets';
import type { TaskActivities } from '../activities/tasks';
import {
  type ConnectOffsetsChanged,
  type ConnectOffsetsInput,
  type ConnectorOffsets,
  restoringAction,
} from '../src/domain/connect-offsets';
import { DfError } from '../src/domain/errors';
import type { DfStatus } from '../src/domain/status';
import type { Task } from '../src/domain/task';
import { messageOf, workflowFailure } from '../src/protocol/failure-codec';
import { COMPENSATION, LOCAL_RAS_CALL } from './activity-options';
import { settleStatus } from './connect';
import { runOperation } from './operation';
import { tagRun } from './run-tags';

type Steps = ConnectActivities & ConnectOffsetActivities & TaskActivities;

/** The operation's quick steps run as local activities, as in the other connect operations. */
const act = proxyLocalActivities<Steps>(LOCAL_RAS_CALL);
const undo = proxyActivities<Steps>(COMPENSATION);

const PLAIN = { includeTasks: false, onlyFailed: false };

/**
 * Puts the stopped connector back in the state it was in and records the state it reaches. The
 * control call goes through with the compensation's retries: giving up would leave the connector
 * stopped behind the operator's back.
 */
async function restore(task: Task, prior: DfStatus): Promise<Task> {
  const { action, target } = restoringAction(prior);
  if (action) await undo.controlConnector(task.connectUid, action, PLAIN);
  return settleStatus(task, target);
}

/**
 * connectOffsets: alter or reset a connector's offsets (KIP-875). Kafka Connect changes offsets of
 * a stopped connector only, so the connector is stopped first and put back in the state it was in
 * afterwards (running is resumed, paused paused again, stopped stays so), and also when the change
 * fails: the run then fails with Kafka Connect's reason, the connector as it was.
 */
export async function connectOffsets(input: ConnectOffsetsInput): Promise<ConnectOffsetsChanged> {
  tagRun({ category: 'CONNECT', taskId: input.id, summary: `${input.change} offsets of connect ${input.id}` });
  return runOperation(input.id, async () => {
    const task = await act.getConnectTask(input.id);
    const prior = await act.readConnectStatus(task.connectUid);
    if (prior.status === 'LOST') {
      throw workflowFailure(
        new DfError('NOT_FOUND', `Kafka Connect has no connector ${task.connectUid} for connect ${task.id}`, {
          details: { id: task.id },
        }),
      );
    }
    let message: string;
    let after: ConnectorOffsets;
    try {
      // Stopping a stopped connector changes nothing; the watch waits until its tasks are down.
      await act.controlConnector(task.connectUid, 'stop', PLAIN);
      await settleStatus(task, 'STOPPED');
      ({ message } = await act.changeConnectorOffsets(task.connectUid, input));
      after = await act.readConnectorOffsets(task.connectUid);
    } catch (error) {
      try {
        await restore(task, prior.status);
      } catch (restoreError) {
        throw ApplicationFailure.create({
          message: `${messageOf(error)}; connect ${task.id} could not be put back to ${restoringAction(prior.status).target} and may stay stopped: ${messageOf(restoreError)}`,
          type: 'INTERNAL',
          nonRetryable: true,
          cause: restoreError instanceof Error ? restoreError : undefined,
        });
      }
      throw error;
    }
    const restored = await restore(task, prior.status);
    return { id: task.id, change: input.change, message, offsets: after.offsets, status: restored.status };
  });
}
