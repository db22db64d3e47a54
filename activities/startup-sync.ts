import type { MetadataSettings } from '../src/config';
import { DriftReport, driftReport, importedTask, LiveConnector } from '../src/domain/drift';
import type { StoreUpgrade } from '../src/domain/legacy-task';
import type { SecretKeys } from '../src/domain/secrets';
import type { NewTask } from '../src/domain/task';
import type { KafkaConnectClient } from '../src/ras/kafka-connect';
import type { SyncRecordRepository } from '../src/repository/sync-record-repository';
import type { TaskRepository } from '../src/repository/task-repository';
import { callingWorkflow, currentOperation } from './calling-workflow';

export interface StartupSyncDeps {
  tasks: TaskRepository;
  syncRecords: SyncRecordRepository;
  kafkaConnect: KafkaConnectClient;
  metadataSettings: MetadataSettings;
  secretKeys: SecretKeys;
}

export function createStartupSyncActivities({
  tasks,
  syncRecords,
  kafkaConnect,
  metadataSettings,
  secretKeys,
}: StartupSyncDeps) {
  async function liveConnectors(): Promise<LiveConnector[]> {
    const all = await kafkaConnect.listConnectorsExpanded();
    return Object.entries(all).map(([name, c]) => ({
      name,
      config: c.info?.config ?? {},
      ...(c.info?.type ? { type: c.info.type } : {}),
      ...(c.status ? { status: c.status } : {}),
    }));
  }

  return {
    /**
     * Brings the records the original service wrote to DF's shape and seals secrets held in clear,
     * once: a record already upgraded is not touched again, so a second run changes nothing.
     * Unreadable documents are only named.
     */
    async upgradeStoredRecords(): Promise<StoreUpgrade> {
      return tasks.upgradeStoredRecords(new Date());
    },

    /**
     * Records every connector Kafka Connect runs that the repository lacks, marked imported; an
     * imported task's config follows Connect's. Only the repository is written: nothing of Kafka
     * Connect's is created, changed or deleted.
     */
    async importConnectors(): Promise<{ imported: string[]; known: number }> {
      const live = await liveConnectors();
      const known = new Map((await tasks.byConnectUid(live.map((c) => c.name))).map((t) => [t.connectUid, t]));
      const at = new Date();
      const strangers: { name: string; task: NewTask }[] = [];
      for (const connector of live) {
        const task = known.get(connector.name);
        if (task) await tasks.mirrorConnectConfig(task.id, connector.config, at);
        else strangers.push({ name: connector.name, task: importedTask(connector, metadataSettings.connector) });
      }
      // One bulk insert; an id taken by a task of another connector is left be (this connector shows as drift).
      const stored = new Set(
        await tasks.insertManyUnlessTaken(
          strangers.map((s) => s.task),
          currentOperation(),
          at,
        ),
      );
      const imported = strangers.filter((s) => stored.has(s.task.id)).map((s) => s.name);
      return { imported, known: known.size };
    },

    /** Compares Kafka Connect with the repository's connect tasks and keeps the report as the latest. */
    async recordDriftReport(imported: string[], upgrade?: StoreUpgrade): Promise<DriftReport> {
      const [live, recorded] = await Promise.all([liveConnectors(), tasks.connectTasks()]);
      const report = driftReport(live, recorded, imported, new Date().toISOString(), upgrade, secretKeys);
      await syncRecords.saveDrift(report, callingWorkflow().workflowId);
      return report;
    },
  };
}

export type StartupSyncActivities = ReturnType<typeof createStartupSyncActivities>;
