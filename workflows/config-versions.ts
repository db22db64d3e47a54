import { patched, workflowInfo } from '@temporalio/workflow';
import type { VersionActivities } from '../activities/versions';
import { actorOfMemo, type ConfigVersionInput, type VersionOperation } from '../src/domain/config-version';

/**
 * Adds and updates keep the config they applied as a numbered version, in a step after applying
 * it. Old branch: runs recorded before it, whose histories have no such step (every fixture folder
 * but with-config-versions-and-webhooks).
 */
export const CONFIG_VERSIONS_PATCH = 'df-config-versions';

/** What an operation applies, as a version says it. */
export interface Versioning {
  operation: Exclude<VersionOperation, 'add'>;
  /** A rollback: the version it applies again. */
  restoredVersion?: number;
}

/**
 * Keeps the config this run applied as the task's next version, naming who the run acts for
 * (its memo's dfAudit.actor). Runs from before the patch keep none.
 */
export async function keepVersion(
  act: Pick<VersionActivities, 'recordConfigVersion'>,
  version: Omit<ConfigVersionInput, 'actor'>,
): Promise<void> {
  if (!patched(CONFIG_VERSIONS_PATCH)) return;
  await act.recordConfigVersion({ ...version, actor: actorOfMemo(workflowInfo().memo) });
}
