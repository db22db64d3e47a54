import { InstalledPlugin } from '../src/domain/installed';
import { KafkaConnectClient } from '../src/ras/kafka-connect';
import { InstalledRepository } from '../src/repository/installed-repository';

export interface InstalledDeps {
  kafkaConnect: KafkaConnectClient;
  installed: InstalledRepository;
}

/** Activities of the Installed L sequence: read Kafka Connect's plugins, keep them in df_installed. */
export function createInstalledActivities({ kafkaConnect, installed }: InstalledDeps) {
  return {
    async listConnectorPlugins(): Promise<InstalledPlugin[]> {
      const plugins = await kafkaConnect.listPlugins();
      return plugins.map((p) => ({ class: p.class, type: p.type, version: p.version }));
    },

    async recordInstalledPlugins(plugins: InstalledPlugin[]): Promise<{ upserted: number; unavailable: number }> {
      return installed.recordListed(plugins, new Date());
    },
  };
}

export type InstalledActivities = ReturnType<typeof createInstalledActivities>;
