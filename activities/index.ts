import { createInstalledActivities, InstalledDeps } from './installed';

/** Everything the activities need, built once per worker process and injected (tests pass fakes). */
export type ActivityDeps = InstalledDeps;

/** The worker registers this object: one plain async function per activity, grouped by area. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createInstalledActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
