import type { AutoRestartPolicy, RestartState } from './auto-restart';
import type { KeySpelling } from './config-spelling';
import type { DfStatus } from './status';

export const TASK_CATEGORIES = ['CONNECT', 'TRANSFORM', 'INTERNAL', 'NONE'] as const;
export type TaskCategory = (typeof TASK_CATEGORIES)[number];

/** A string map, as Kafka Connect and Flink take their configuration. */
export type StringMap = Record<string, string>;

/** The workflow run that last changed a task: lets a retried step recognise its own write. */
export interface OperationRef {
  workflowId: string;
  runId: string;
  /** Workflow type, e.g. connectUpdate. */
  type: string;
}

/** Whether the task was last changed by this very run: a step of it run again finds its own write. */
export function lastChangedBy(task: { lastOperation?: OperationRef }, op: OperationRef): boolean {
  return task.lastOperation?.workflowId === op.workflowId && task.lastOperation.runId === op.runId;
}

/**
 * A DF task (collection df_processor): a connect, a transform or an internal task. Field names are
 * the original service's, so its UI and scripts keep working; the rest is bookkeeping the original
 * lacked (times, reason, revision, last operation).
 */
export interface Task {
  id: string;
  taskSeq: string;
  name: string;
  description: string;
  connectorType: string;
  connectorCategory: TaskCategory;
  /** Kafka Connect connector name (equal to id for tasks DF creates). */
  connectUid: string;
  status: DfStatus;
  /** Connector configuration with Kafka Connect's own (dotted) key names. */
  connectorConfig: StringMap;
  /**
   * "underscore": the task was created in the original DataFibers' spelling (tasks_max for
   * tasks.max), and answers show its connectorConfig so. Absent: Kafka Connect's spelling.
   */
  keySpelling?: KeySpelling;
  jobConfig: StringMap | null;
  createdAt: string;
  updatedAt: string;
  statusAt: string;
  statusReason?: string;
  /** Bumped by every change a user makes (not by status readings): optimistic concurrency. */
  revision: number;
  lastOperation?: OperationRef;
  /** Transforms: savepoints DF took of the task's Flink jobs, oldest first. */
  savepoints?: SavepointRecord[];
  /** Set while the engine does not answer (statusReason "unreachable"): since when. */
  unreachableSince?: string;
  autoRestart?: AutoRestartPolicy;
  restarts?: RestartState;
  /** Found running in Kafka Connect by the startup sync, not created by DF. */
  imported?: boolean;
}

/** A savepoint of a transform's job: where it is, of which job, when and why DF took it. */
export interface SavepointRecord {
  path: string;
  jobId: string;
  takenAt: string;
  reason: 'manual' | 'update' | 'delete';
}

/** The record of a task about to be created: UNASSIGNED, named in its engine by its id. */
export function unassignedTask(
  input: Pick<
    Task,
    'id' | 'taskSeq' | 'name' | 'description' | 'connectorType' | 'connectorConfig' | 'autoRestart' | 'keySpelling'
  >,
  connectorCategory: TaskCategory,
  jobConfig: StringMap | null,
): NewTask {
  const { id, taskSeq, name, description, connectorType, connectorConfig, autoRestart, keySpelling } = input;
  return {
    id,
    taskSeq,
    name,
    description,
    connectorType,
    connectorCategory,
    connectUid: id,
    status: 'UNASSIGNED',
    connectorConfig,
    jobConfig,
    ...(autoRestart ? { autoRestart } : {}),
    ...(keySpelling === 'underscore' ? { keySpelling } : {}),
  };
}

/** Fields a user edit may change; status has its own write (recordStatus). */
export type TaskEdit = Partial<
  Pick<Task, 'taskSeq' | 'name' | 'description' | 'connectorType' | 'connectorConfig' | 'jobConfig' | 'autoRestart'>
>;

/** A task as an insert gives it: times and revision are the repository's. */
export type NewTask = Omit<Task, 'createdAt' | 'updatedAt' | 'statusAt' | 'revision'>;

/**
 * The category is the text before the first "_" of the type (CONNECT_SOURCE_… → CONNECT), as in the
 * original; it is always derived, never taken from input (the UI sends "source"/"sink" there).
 */
export function categoryOfType(connectorType: string): TaskCategory {
  const head = connectorType.split('_')[0]?.toUpperCase();
  return (TASK_CATEGORIES as readonly string[]).includes(head) ? (head as TaskCategory) : 'NONE';
}
