import { ConnectDeps, createConnectActivities } from './connect';
import { createInstalledActivities, InstalledDeps } from './installed';
import { createSchemaActivities, SchemaDeps } from './schema';
import { createTaskLockActivities, TaskLockDeps } from './task-lock';

/** Everything the activities need, built once per worker process and injected (tests pass fakes). */
export type ActivityDeps = InstalledDeps & ConnectDeps & TaskLockDeps & SchemaDeps;

/** The worker registers this object: one plain async function per activity, grouped by area. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createInstalledActivities(deps),
    ...createConnectActivities(deps),
    ...createTaskLockActivities(deps),
    ...createSchemaActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
