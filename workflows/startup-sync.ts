import { executeChild, patched, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { StartupSyncActivities } from '../activities/startup-sync';
import type { StatusSyncActivities, StatusSyncRound } from '../activities/status-sync';
import type { DriftReport } from '../src/domain/drift';
import type { StoreUpgrade } from '../src/domain/legacy-task';
import { STARTUP_CALL } from './activity-options';
import { messageOf } from '../src/protocol/failure-codec';
import { metadataSync, MetadataSyncResult } from './metadata-sync';
import { tagRun } from './run-tags';

const act = proxyActivities<StartupSyncActivities & StatusSyncActivities>(STARTUP_CALL);

/**
 * Runs recorded before the startup sync upgraded the store's records did not take that step. Old
 * branch: startupSync runs started before it; no committed fixture records a startupSync.
 */
export const UPGRADE_STORED_RECORDS_PATCH = 'df-upgrade-stored-records';

export interface StartupSyncResult {
  metadata: MetadataSyncResult | { error: string };
  imported: string[];
  /** Records this run brought to DF's shape or sealed (absent in runs from before the step). */
  upgrade?: StoreUpgrade;
  status: Omit<StatusSyncRound, 'restartsDue'>;
  drift: DriftReport;
}

/**
 * startupSync: run once when a worker starts (and from the CLI at will). Puts the metadata pipeline
 * in place, upgrades the store (the original service's records to DF's shape, secrets in clear
 * sealed), imports the connectors
 * Kafka Connect runs that DF does not know (transforms are not imported: their task configuration
 * cannot be rebuilt from Flink), refreshes every status, and keeps a drift report of what differs. Nothing of Kafka Connect's is changed or deleted.
 */
export async function startupSync(): Promise<StartupSyncResult> {
  tagRun({
    category: 'SYNC',
    summary: 'startup sync: metadata, import of running connectors, status round, drift report',
  });
  let metadata: StartupSyncResult['metadata'];
  try {
    metadata = await executeChild(metadataSync, { workflowId: `${workflowInfo().workflowId}-metadata` });
  } catch (error) {
    // Without the metadata sink DF still manages its tasks: import and status go on.
    metadata = { error: messageOf(error) };
  }
  // Before the import and the status round, so they read every record in DF's shape.
  const upgrade = patched(UPGRADE_STORED_RECORDS_PATCH) ? await act.upgradeStoredRecords() : undefined;
  const { imported } = await act.importConnectors();
  const { restartsDue: _later, ...status } = await act.syncStatusRound();
  const drift = upgrade ? await act.recordDriftReport(imported, upgrade) : await act.recordDriftReport(imported);
  return { metadata, imported, ...(upgrade ? { upgrade } : {}), status, drift };
}
