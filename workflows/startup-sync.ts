import { executeChild, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { StartupSyncActivities } from '../activities/startup-sync';
import type { StatusSyncActivities, StatusSyncRound } from '../activities/status-sync';
import type { DriftReport } from '../src/domain/drift';
import type { OriginalUpgrade } from '../src/domain/legacy-task';
import { STARTUP_CALL } from './activity-options';
import { messageOf } from './failures';
import { metadataSync, MetadataSyncResult } from './metadata-sync';
import { tagRun } from './run-tags';

const act = proxyActivities<StartupSyncActivities & StatusSyncActivities>(STARTUP_CALL);

/** Runs recorded before the startup sync upgraded the original service's records did not take that step. */
export const UPGRADE_ORIGINALS_PATCH = 'df-upgrade-original-records';

export interface StartupSyncResult {
  metadata: MetadataSyncResult | { error: string };
  imported: string[];
  /** The original service's records brought to DF's shape by this run (absent in runs from before the step). */
  upgrade?: OriginalUpgrade;
  status: Omit<StatusSyncRound, 'restartsDue'>;
  drift: DriftReport;
}

/**
 * startupSync: run once when a worker starts (and from the CLI at will). Puts the metadata pipeline
 * in place, upgrades the records the original service wrote to DF's shape, imports the connectors
 * Kafka Connect runs that DF does not know (transforms are not imported: their task configuration
 * cannot be rebuilt from Flink), refreshes every status, and keeps a drift report of what differs. Nothing of Kafka Connect's is changed or deleted.
 */
export async function startupSync(): Promise<StartupSyncResult> {
  tagRun({ category: 'SYNC', summary: 'startup sync: metadata, import of running connectors, status round, drift report' });
  let metadata: StartupSyncResult['metadata'];
  try {
    metadata = await executeChild(metadataSync, { workflowId: `${workflowInfo().workflowId}-metadata` });
  } catch (error) {
    // Without the metadata sink DF still manages its tasks: import and status go on.
    metadata = { error: messageOf(error) };
  }
  // Before the import and the status round, so they read every record in DF's shape.
  const upgrade = patched(UPGRADE_ORIGINALS_PATCH) ? await act.upgradeOriginalRecords() : undefined;
  const { imported } = await act.importConnectors();
  const { restartsDue: _later, ...status } = await act.syncStatusRound();
  const drift = upgrade ? await act.recordDriftReport(imported, upgrade) : await act.recordDriftReport(imported);
  return { metadata, imported, ...(upgrade ? { upgrade } : {}), status, drift };
}
