import type { SavepointRecord, StringMap, Task, TaskEdit } from '../src/domain/task';
import { normaliseTaskListQuery, TaskListQuery, TaskPage } from '../src/domain/task-query';
import type { StatusReading } from '../src/domain/status';
import type { HistoryEntry } from '../src/domain/status-sync';
import type { StatusHistoryRepository } from '../src/repository/status-history-repository';
import type { TaskRepository } from '../src/repository/task-repository';
import { currentOperation } from './calling-workflow';
import { eventsOfHistory, type NotifyEvents } from './webhooks';

export interface TaskDeps {
  tasks: TaskRepository;
  statusHistory: StatusHistoryRepository;
  /** Tells the webhooks of a status they want to hear of (createActivities gives it; absent: none told). */
  notify?: NotifyEvents;
}

/** Activities over df_processor that every task kind shares: list, record status and job, edit, remove. */
export function createTaskActivities({ tasks, statusHistory, notify }: TaskDeps) {
  return {
    async listTasks(query: Partial<TaskListQuery>): Promise<TaskPage<Task>> {
      return tasks.list(normaliseTaskListQuery(query));
    },

    /** Records an operation's reading; a change of status is appended to df_status_history. */
    async recordTaskStatus(id: string, reading: StatusReading): Promise<Task | undefined> {
      const at = new Date();
      const recorded = await tasks.recordStatus(id, reading.status, reading.reason, at);
      if (recorded && recorded.from !== reading.status) {
        const entry: HistoryEntry = {
          taskId: id,
          from: recorded.from,
          to: reading.status,
          at: at.getTime(),
          event: 'status',
          ...(reading.reason ? { reason: reading.reason } : {}),
        };
        await statusHistory.append([entry]);
        await notify?.(eventsOfHistory([entry], () => recorded.task?.connectorCategory));
      }
      return recorded?.task;
    },

    /** Records the engine's job of a task (ids, savepoint path, result counts); not a user edit. */
    async recordTaskJob(id: string, jobConfig: StringMap): Promise<Task> {
      return tasks.recordJob(id, jobConfig, new Date());
    },

    async addTaskSavepoint(id: string, savepoint: SavepointRecord): Promise<Task> {
      return tasks.addSavepoint(id, savepoint);
    },

    async editTask(id: string, edit: TaskEdit, expectedRevision: number): Promise<Task> {
      return tasks.edit(id, edit, expectedRevision, currentOperation(), new Date());
    },

    async removeTask(id: string): Promise<{ removed: boolean }> {
      return { removed: await tasks.remove(id) };
    },

    /** Compensation of an add: removes the record only if this operation wrote it. */
    async removeTaskWrittenByThisOperation(id: string): Promise<{ removed: boolean }> {
      return { removed: await tasks.removeIfWrittenBy(id, currentOperation()) };
    },
  };
}

export type TaskActivities = ReturnType<typeof createTaskActivities>;
