import type { SecretKeys } from '../src/domain/secrets';
import type { ReachGuard } from '../src/reach-guard';
import { checkRevision, editedConfig } from '../src/domain/task-input';
import { sameConfig } from '../src/domain/connect-config';
import { StringMap, Task, TaskEdit, unassignedTask } from '../src/domain/task';
import {
  checkTransformConfig,
  parseTransformAdd,
  parseTransformUpdateInput,
  TransformAddInput,
  TransformKind,
  transformKindOf,
  TransformUpdateInput,
} from '../src/domain/transform-input';
import { validationError } from '../src/domain/validation';
import type { TaskRepository } from '../src/repository/task-repository';
import { currentOperation, idSuffixOfRun } from './calling-workflow';

export interface TransformDeps {
  tasks: TaskRepository;
  secretKeys: SecretKeys;
  /** The reach policy, for workflows started without the API (which checks it first). */
  reach: ReachGuard;
}

/** What an update will do: the repository edit, and the new config when the job must change. */
export interface PreparedTransformUpdate {
  task: Task;
  kind: TransformKind;
  edit: TaskEdit;
  /** Set when the config changed: the job is replaced by one running this config. */
  newConfig?: StringMap;
}

/** Activities of the transform sequences over df_processor (the Flink side is in flink-job.ts). */
export function createTransformActivities({ tasks, secretKeys, reach }: TransformDeps) {
  async function requireTransform(id: string): Promise<{ task: Task; kind: TransformKind }> {
    const task = await tasks.require(id);
    const kind = task.connectorCategory === 'TRANSFORM' ? transformKindOf(task.connectorType) : undefined;
    if (!kind) {
      throw validationError(
        `task ${task.id} is a ${task.connectorCategory} task (${task.connectorType}), not a Flink transform`,
        { id: ['not a transform'] },
      );
    }
    return { task, kind };
  }

  return {
    /** Validates an add request (API body or CLI input); the id must be free. */
    async prepareTransformAdd(request: unknown): Promise<TransformAddInput> {
      const input = parseTransformAdd(request, idSuffixOfRun);
      reach.transformAdd(input);
      await tasks.requireFree(input.id);
      return input;
    },

    /**
     * The task, which must be a transform. `kind` is absent for a transform DF cannot run (the
     * original service's Spark and Hive kinds): such a task can still be read, synced and deleted.
     */
    async getTransformTask(id: string): Promise<{ task: Task; kind?: TransformKind }> {
      const task = await tasks.require(id);
      if (task.connectorCategory !== 'TRANSFORM') {
        throw validationError(
          `task ${task.id} is a ${task.connectorCategory} task (${task.connectorType}), not a transform`,
          { id: ['not a transform'] },
        );
      }
      const kind = transformKindOf(task.connectorType);
      return kind ? { task, kind } : { task };
    },

    /** Records a new transform as UNASSIGNED with the job id it is about to get (a retry finds its own record). */
    async insertTransformTask(input: TransformAddInput, jobConfig: StringMap): Promise<Task> {
      return tasks.insert(unassignedTask(input, 'TRANSFORM', jobConfig), currentOperation(), new Date());
    },

    /** Works out an update against the stored task; a changed config is checked for the task's kind. */
    async prepareTransformUpdate(request: TransformUpdateInput): Promise<PreparedTransformUpdate> {
      const input = parseTransformUpdateInput(request);
      reach.transformUpdate(input);
      const { task, kind } = await requireTransform(input.id);
      checkRevision(task, input.expectedRevision);
      let config = editedConfig(task.connectorConfig, input, secretKeys);
      config = checkTransformConfig(task.id, kind, { ...config, cuid: task.connectorConfig.cuid ?? task.id });
      const edit: TaskEdit = {};
      if (input.name !== undefined) edit.name = input.name;
      if (input.description !== undefined) edit.description = input.description;
      if (input.taskSeq !== undefined) edit.taskSeq = input.taskSeq;
      if (input.autoRestart !== undefined) edit.autoRestart = input.autoRestart;
      const changed = !sameConfig(config, task.connectorConfig);
      if (changed) edit.connectorConfig = config;
      return { task, kind, edit, ...(changed ? { newConfig: config } : {}) };
    },
  };
}

export type TransformActivities = ReturnType<typeof createTransformActivities>;
