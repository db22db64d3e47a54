import type { ConfigRollbackInput, ConfigVersionInput, ConfigVersionStore } from '../src/domain/config-version';
import { DfError } from '../src/domain/errors';
import { dfTypeOfOriginal } from '../src/domain/legacy-task';
import type { StringMap, Task, TaskCategory } from '../src/domain/task';
import { validationError } from '../src/domain/validation';
import { parseRollbackInput } from '../src/domain/rollback-input';
import { callingWorkflow } from './calling-workflow';

export interface VersionDeps {
  versions: ConfigVersionStore;
  tasks: { require(id: string): Promise<Task> };
}

/** The config a rollback applies again: what its version holds. */
export interface VersionToApply {
  version: number;
  connectorType: string;
  connectorConfig: StringMap;
}

const WHAT: Record<TaskCategory, string> = {
  CONNECT: 'connect',
  TRANSFORM: 'transform',
  INTERNAL: 'internal task',
  NONE: 'task',
};

/** Activities of config versions over df_versions: keep the version an operation applied, read one to roll back to. */
export function createVersionActivities({ versions, tasks }: VersionDeps) {
  return {
    /**
     * Keeps the config the calling run applied as the task's next version; run again (a retry, a
     * rerun) it answers the version it kept. Only the number comes back: the config stays out of
     * the run's history once more.
     */
    async recordConfigVersion(input: ConfigVersionInput): Promise<{ version: number }> {
      const { workflowId, runId } = callingWorkflow();
      const kept = await versions.keep(input, { workflowId, runId }, new Date());
      return { version: kept.version };
    },

    /**
     * The version of a task a rollback asks for: 404 when the task or the version is unknown, 400
     * when the input is bad or the version is a config of another kind of task (the id was deleted
     * and added again as one).
     */
    async versionToRollBackTo(request: ConfigRollbackInput, category: TaskCategory): Promise<VersionToApply> {
      const { id: taskId, version } = parseRollbackInput(request);
      const task = await tasks.require(taskId);
      const kept = await versions.get(taskId, version);
      if (!kept) {
        throw new DfError('NOT_FOUND', `${WHAT[task.connectorCategory]} ${taskId} has no version ${version}`, {
          details: { id: taskId, version },
        });
      }
      const sameKind =
        kept.category === category &&
        task.connectorCategory === category &&
        (category !== 'TRANSFORM' || dfTypeOfOriginal(kept.connectorType) === dfTypeOfOriginal(task.connectorType));
      if (!sameKind) {
        throw validationError(
          `version ${version} of ${taskId} is a ${kept.connectorType} config; the task is a ${task.connectorType} ${WHAT[task.connectorCategory]}`,
          { version: [`a ${kept.connectorType} config cannot be applied to a ${task.connectorType} task`] },
        );
      }
      return { version: kept.version, connectorType: kept.connectorType, connectorConfig: kept.connectorConfig };
    },
  };
}

export type VersionActivities = ReturnType<typeof createVersionActivities>;
