import {
  ApplicationFailure,
  deprecatePatch,
  patched,
  proxyActivities,
  proxyLocalActivities,
  sleep,
} from '@temporalio/workflow';
import type { ConnectActivities, PreparedConnectUpdate } from '../activities/connect';
import type { VersionActivities } from '../activities/versions';
import type { ConfigRollbackInput } from '../src/domain/config-version';
import { ConnectStatusRead, connectSettled, SETTLE_GRACE_MS } from '../src/domain/connect-settle';
import type { TaskActivities } from '../activities/tasks';
import type { ConnectActionInput, ConnectDeleteInput, ConnectUpdateInput } from '../src/domain/connect-input';
import type { ConnectTaskRestartInput } from '../src/domain/connect-task-restart';
import type { DfStatus } from '../src/domain/status';
import type { StringMap, Task } from '../src/domain/task';
import type { TaskListQuery, TaskPage } from '../src/domain/task-query';
import {
  COMPENSATION,
  DELETE_RECORDED_PATCH,
  LOCAL_RAS_CALL,
  LOCAL_STEPS_PATCH,
  RAS_CALL,
  UNDO_UNANSWERED_CALL_PATCH,
  UPDATE_APPLIED_PATCH,
} from './activity-options';
import { messageOf, refusedByRas } from '../src/protocol/failure-codec';
import { runOperation } from './operation';
import { afterRunningAdd } from './task-lock';
import { tagRun } from './run-tags';
import { keepVersion, type Versioning } from './config-versions';

type Acts = ConnectActivities & TaskActivities & VersionActivities;
const remote = proxyActivities<Acts>(RAS_CALL);
const local = proxyLocalActivities<Acts>(LOCAL_RAS_CALL);
const undo = proxyActivities<Acts>(COMPENSATION);

/** The operation's quick steps: local activities. */
export function steps() {
  deprecatePatch(LOCAL_STEPS_PATCH);
  return local;
}

/**
 * Whether a failed call to Kafka Connect may still have done what it asked: anything but Connect's
 * refusal (retries used up, no answer), in runs since the patch; earlier runs undo as they did.
 */
function mayHaveApplied(error: unknown): boolean {
  return !refusedByRas(error) && patched(UNDO_UNANSWERED_CALL_PATCH);
}

/** How long an operation watches Kafka Connect for the state it asked for before reporting what it sees. */
const SETTLE_POLLS = 40;
const SETTLE_INTERVAL_MS = 250;
/** Watched within one step first (awaitConnectStatus), then with durable timers. */
const AWAIT_WINDOW_MS = 5000;

/**
 * Watches the connector's status until it reaches `target` (or fails, or is gone), then records
 * the reading: the repository says what Kafka Connect says when the operation ends.
 */
export async function settleStatus(task: Task, target: DfStatus): Promise<Task> {
  const act = steps();
  const watched = await act.awaitConnectStatus(task.connectUid, target, AWAIT_WINDOW_MS);
  let reading: ConnectStatusRead = watched.reading;
  // The window counts as the readings the timer loop would have made in it.
  let polls = watched.settled ? SETTLE_POLLS : Math.ceil(AWAIT_WINDOW_MS / SETTLE_INTERVAL_MS);
  // Past the first step's window, any failure or absence is final.
  for (; polls < SETTLE_POLLS && !connectSettled(reading, target, 0, 0); polls++) {
    await sleep(SETTLE_INTERVAL_MS);
    reading = await act.readConnectStatus(task.connectUid);
  }
  return (await act.recordTaskStatus(task.id, reading)) ?? task;
}

/**
 * A new config is watched for up to a minute: under a run of rebalances (connectors of others
 * created and deleted on the same Connect) applying it to the tasks takes that long.
 */
const APPLIED_WINDOWS = 12;

/**
 * Watches the connector after it was given `expected` (replacing `previous`) until Kafka Connect
 * runs it in the `target` state (or fails, or is gone), then records the reading. Past the bound
 * the reading is recorded with the reason Connect had not settled, not as if it had.
 */
async function settleApplied(task: Task, target: DfStatus, expected: StringMap, previous: StringMap): Promise<Task> {
  const act = steps();
  let watched = await act.awaitConnectApplied(
    task.connectUid,
    target,
    expected,
    previous,
    AWAIT_WINDOW_MS,
    SETTLE_GRACE_MS,
  );
  // Past the first window any failure or absence is final.
  for (let window = 1; window < APPLIED_WINDOWS && !watched.settled; window++) {
    watched = await act.awaitConnectApplied(task.connectUid, target, expected, previous, AWAIT_WINDOW_MS, 0);
  }
  const { reading } = watched;
  const unsettled = `Kafka Connect had not applied the new config to the connector and its tasks after ${(APPLIED_WINDOWS * AWAIT_WINDOW_MS) / 1000} s`;
  return (
    (await act.recordTaskStatus(
      task.id,
      watched.settled ? reading : { ...reading, reason: reading.reason ?? unsettled },
    )) ?? task
  );
}

/**
 * connectAdd: validate the config with Kafka Connect, record the task, create the connector, record
 * the state it reaches. If Kafka Connect refuses the connector the record is removed again; if
 * creating fails otherwise, or anything after it fails, the connector is deleted too, so neither
 * side keeps an orphan.
 *
 * Input: the POST /api/df/ps body (or the same JSON given to `temporal workflow start --input`).
 */
export async function connectAdd(request: unknown): Promise<Task> {
  const act = steps();
  const prepared = await act.prepareConnectAdd(request);
  tagRun({
    category: 'CONNECT',
    taskId: prepared.id,
    summary: `add connect ${prepared.id} (${prepared.connectorConfig['connector.class'] ?? prepared.connectorType ?? ''})`,
  });
  return runOperation(prepared.id, async () => {
    const recorded = await act.insertConnectTask(prepared);
    try {
      await act.createConnector(prepared.id, prepared.connectorConfig);
    } catch (error) {
      // Kafka Connect's refusal created nothing. Past that (it kept failing, or never answered) an
      // attempt may have created the connector: the name was free and the task is locked, so the
      // connector under it can only be this add's.
      if (mayHaveApplied(error)) await undo.deleteConnector(prepared.id);
      await undo.removeTaskWrittenByThisOperation(prepared.id);
      throw error;
    }
    try {
      await keepVersion(act, {
        taskId: prepared.id,
        category: 'CONNECT',
        operation: 'add',
        connectorType: prepared.connectorType,
        connectorConfig: prepared.connectorConfig,
      });
      return await settleStatus(recorded, 'RUNNING');
    } catch (error) {
      await undo.deleteConnector(prepared.id);
      await undo.removeTaskWrittenByThisOperation(prepared.id);
      throw ApplicationFailure.create({
        message: `connect ${prepared.id} was created but its state could not be recorded (${messageOf(error)}); it was removed again`,
        type: 'INTERNAL',
        nonRetryable: true,
        cause: error instanceof Error ? error : undefined,
      });
    }
  });
}

/**
 * connectUpdate: apply an edit; Kafka Connect gets the config only if it changed (validated first).
 * If recording the edit fails after Connect took the new config, or giving it the new config fails
 * other than by Connect's refusal (it may have been applied), Connect gets the old one back.
 */
export async function connectUpdate(input: ConnectUpdateInput): Promise<Task> {
  const act = steps();
  tagRun({ category: 'CONNECT', taskId: input.id, summary: `update connect ${input.id}` });
  return runOperation(input.id, async () =>
    applyConnectUpdate(await act.prepareConnectUpdate(input), { operation: 'update' }),
  );
}

/**
 * connectRollback: applies a kept version's config again, as an update that gives the whole config
 * (validated by Kafka Connect first, undone the same way when a step fails), and keeps it as a new
 * version. An unknown version is refused with 404, one Connect no longer takes with its reason.
 */
export async function connectRollback(input: ConfigRollbackInput): Promise<Task> {
  const act = steps();
  tagRun({
    category: 'CONNECT',
    taskId: input.id,
    summary: `roll back connect ${input.id} to version ${input.version}`,
  });
  return runOperation(input.id, async () => {
    const restored = await act.versionToRollBackTo(input, 'CONNECT');
    const prepared = await act.prepareConnectUpdate({
      id: input.id,
      connectorConfig: restored.connectorConfig,
      ...(input.expectedRevision !== undefined ? { expectedRevision: input.expectedRevision } : {}),
    });
    return applyConnectUpdate(prepared, { operation: 'rollback', restoredVersion: restored.version });
  });
}

/** The steps of an update once it is worked out: Connect, the record, the version, the watch. */
async function applyConnectUpdate({ task, edit }: PreparedConnectUpdate, versioning: Versioning): Promise<Task> {
  const act = steps();
  const newConfig = edit.connectorConfig;
  if (newConfig) {
    try {
      await act.putConnectorConfig(task.connectUid, newConfig);
    } catch (error) {
      // Past a refusal, an attempt whose answer never came may have applied the new config.
      if (mayHaveApplied(error)) await undo.putConnectorConfig(task.connectUid, task.connectorConfig);
      throw error;
    }
  }
  let updated: Task;
  try {
    updated = Object.keys(edit).length > 0 ? await act.editTask(task.id, edit, task.revision) : task;
  } catch (error) {
    if (newConfig) await undo.putConnectorConfig(task.connectUid, task.connectorConfig);
    throw error;
  }
  // A rollback to the config the connector runs already changes nothing, yet is kept: it was asked for.
  if (newConfig || versioning.operation === 'rollback') {
    await keepVersion(act, {
      taskId: task.id,
      category: 'CONNECT',
      connectorType: task.connectorType,
      connectorConfig: newConfig ?? task.connectorConfig,
      ...versioning,
    });
  }
  if (!newConfig) return updated;
  // A new config restarts the connector in the state it was in; paused and stopped stay so.
  const target: DfStatus = task.status === 'PAUSED' || task.status === 'STOPPED' ? task.status : 'RUNNING';
  // Connect's status alone says RUNNING before the tasks run the new config; runs from before
  // the patch replay watching the status alone.
  if (patched(UPDATE_APPLIED_PATCH)) return settleApplied(updated, target, newConfig, task.connectorConfig);
  return settleStatus(updated, target);
}

const ACTION_TARGET: Record<ConnectActionInput['action'], DfStatus> = {
  pause: 'PAUSED',
  resume: 'RUNNING',
  stop: 'STOPPED',
  restart: 'RUNNING',
};

/** connectAction: pause, resume, stop or restart the connector, and record the state it reaches. */
export async function connectAction(input: ConnectActionInput): Promise<Task> {
  const act = steps();
  tagRun({ category: 'CONNECT', taskId: input.id, summary: `${input.action} connect ${input.id}` });
  return runOperation(input.id, async () => {
    const task = await act.getConnectTask(input.id);
    await act.controlConnector(task.connectUid, input.action, {
      includeTasks: input.includeTasks ?? false,
      onlyFailed: input.onlyFailed ?? false,
    });
    return settleStatus(task, ACTION_TARGET[input.action]);
  });
}

/**
 * connectTaskRestart: restart one task of the connector (a task number it lacks is Kafka Connect's
 * 404), and record the state the connector reaches: a paused connector's task restarts paused.
 */
export async function connectTaskRestart(input: ConnectTaskRestartInput): Promise<Task> {
  const act = steps();
  tagRun({ category: 'CONNECT', taskId: input.id, summary: `restart task ${input.task} of connect ${input.id}` });
  return runOperation(input.id, async () => {
    const task = await act.getConnectTask(input.id);
    await act.restartConnectorTask(task.connectUid, input.task);
    return settleStatus(task, task.status === 'PAUSED' ? 'PAUSED' : 'RUNNING');
  });
}

export interface ConnectDeleteResult {
  id: string;
  deleted: true;
  /** False when Kafka Connect had no such connector any more (deleted by hand, say). */
  connectorExisted: boolean;
}

/**
 * connectDelete: remove the connector from Kafka Connect (already gone is fine), then the task.
 * An add of the task still running goes first, so its connector is removed too.
 */
export async function connectDelete(input: ConnectDeleteInput): Promise<ConnectDeleteResult> {
  const act = steps();
  tagRun({ category: 'CONNECT', taskId: input.id, summary: `delete connect ${input.id}` });
  await afterRunningAdd(input.id, 'CONNECT');
  return runOperation(input.id, async () => {
    const task = await act.getConnectTask(input.id);
    const { existed } = await act.deleteConnector(task.connectUid);
    // The record goes in a step of its own: the readings above are then recorded before it, so a
    // worker dying right after the removal does not make the delete, replayed, read the task
    // again, find it gone and fail with NOT_FOUND.
    deprecatePatch(DELETE_RECORDED_PATCH);
    await remote.removeTask(task.id);
    return { id: task.id, deleted: true, connectorExisted: existed };
  });
}

/** connectList: a page of connects from the repository (the API reads the same page directly, for speed). */
export async function connectList(query: Partial<TaskListQuery> = {}): Promise<TaskPage<Task>> {
  const act = steps();
  tagRun({ category: 'CONNECT', summary: 'list connects' });
  return act.listTasks({ ...query, category: 'CONNECT' });
}
