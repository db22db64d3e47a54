import type { Client } from '@temporalio/client';
import { DfError } from '../domain/errors';
import type { TaskCategory } from '../domain/task';
import type { TaskLockRepository } from '../repository/task-lock-repository';
import type { TaskRepository } from '../repository/task-repository';
import { AddedCategory, runningAddOf } from '../temporal/adds-in-flight';

/** The 404 of a task that is not there, naming what was looked for. */
export function noTask(id: string, category?: TaskCategory): DfError {
  const what = category === 'CONNECT' ? 'connect' : category === 'TRANSFORM' ? 'transform' : 'task';
  return new DfError('NOT_FOUND', `no ${what} with id ${id}`, { details: { id } });
}

export interface KnownTaskDeps {
  temporal: Client;
  tasks: TaskRepository;
  taskLocks: TaskLockRepository;
}

/**
 * Refuses a change of a task DF does not know with 404 before any run starts, so a mistyped or
 * guessed id leaves nothing in Temporal's history. A task not stored yet still counts as known
 * while an operation on it is in flight (its add holds or waits for the task's lock, or has not
 * reached it yet): the change then queues behind that operation instead of being refused.
 * The category is checked by the operation itself, which names what the task is instead.
 */
export async function requireKnownTask(deps: KnownTaskDeps, id: string, category: AddedCategory): Promise<void> {
  if (await deps.tasks.get(id)) return;
  if (await deps.taskLocks.busy(id)) return;
  if (await runningAddOf(deps.temporal, id, category)) return;
  throw noTask(id);
}
