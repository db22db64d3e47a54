import type { BulkFilter, BulkTarget } from '../src/domain/bulk';
import { resolveBulkTargets } from '../src/repository/bulk-targets';
import type { TaskRepository } from '../src/repository/task-repository';

export interface BulkDeps {
  tasks: TaskRepository;
}

/** The bulk run's read of which tasks it acts on. */
export function createBulkActivities({ tasks }: BulkDeps) {
  return {
    /** Resolved when the run starts (a filter picks the tasks that match then). */
    async resolveBulkTargets(target: { ids?: string[]; filter?: BulkFilter }): Promise<BulkTarget[]> {
      return resolveBulkTargets(tasks, target);
    },
  };
}

export type BulkActivities = ReturnType<typeof createBulkActivities>;
