import type { StringMap } from '../src/domain/task';
import type { MetadataSettings } from '../src/config';
import { configDifferences, METADATA_CONNECTOR_TYPE } from '../src/domain/drift';
import { isDfError } from '../src/domain/errors';
import { METADATA_SCHEMA, metadataSinkConfig } from '../src/domain/metadata';
import { dfStatusOfConnect } from '../src/domain/status';
import type { KafkaAdmin } from '../src/ras/kafka';
import type { KafkaConnectClient } from '../src/ras/kafka-connect';
import type { SchemaRegistryClient } from '../src/ras/schema-registry';
import type { MetaRepository } from '../src/repository/meta-repository';
import type { TaskRepository } from '../src/repository/task-repository';
import { currentOperation } from './calling-workflow';

export interface MetadataDeps {
  tasks: TaskRepository;
  meta: MetaRepository;
  kafkaConnect: KafkaConnectClient;
  schemaRegistry: SchemaRegistryClient;
  kafka: KafkaAdmin;
  metadataSettings: MetadataSettings;
  /** The database DF writes, which the sink connector writes df_meta into. */
  databaseName: string;
}

export function createMetadataActivities({
  tasks,
  meta,
  kafkaConnect,
  schemaRegistry,
  kafka,
  metadataSettings,
  databaseName,
}: MetadataDeps) {
  const { topic, connector } = metadataSettings;
  return {
    /** Registers the metadata record schema (subject = topic name, as the original) unless it is there. */
    async ensureMetadataSchema(): Promise<{ subject: string; created: boolean; version: number }> {
      const latest = await schemaRegistry.version(topic);
      if (latest) return { subject: topic, created: false, version: latest.version };
      await schemaRegistry.register(topic, JSON.stringify(METADATA_SCHEMA), 'AVRO');
      const registered = await schemaRegistry.version(topic);
      return { subject: topic, created: true, version: registered?.version ?? 1 };
    },

    /** The metadata topic and the collection the sink writes, created if missing. */
    async ensureMetadataTopicAndCollection(): Promise<{ topicCreated: boolean }> {
      await meta.ensureCollection();
      const { created } = await kafka.ensureTopic(topic, 1);
      return { topicCreated: created };
    },

    /**
     * Creates the metadata sink connector if Kafka Connect lacks it (or points it back at this
     * deployment's topic and collection if its config drifted: it is DF's own connector), and
     * records it as DF's INTERNAL task if the repository lacks it.
     */
    async ensureMetadataSink(): Promise<{ connector: string; created: boolean; updated: boolean; status: string }> {
      const config = metadataSinkConfig({
        topic,
        mongoUrl: metadataSettings.connectMongoUrl,
        database: databaseName,
        collection: meta.collectionName,
      });
      let created = false;
      let updated = false;
      const existing = await kafkaConnect.getConnector(connector);
      if (existing && configDifferences(config, existing.config).length > 0) {
        await kafkaConnect.putConnectorConfig(connector, config);
        updated = true;
      }
      let live: StringMap | undefined;
      if (!existing) {
        try {
          live = (await kafkaConnect.createConnector(connector, config)).config;
          created = true;
        } catch (error) {
          // Created meanwhile (another worker's startup): the same end state.
          if (!(isDfError(error) && error.httpStatus === 409)) throw error;
        }
      }
      live ??= (await kafkaConnect.getConnector(connector))?.config ?? { ...config, name: connector };
      // A connector just created sets off a rebalance, during which Connect answers 500 for a moment:
      // failing here would retry the whole step and lose that it created the sink. The status
      // sync records the state soon after.
      const report = await kafkaConnect.status(connector).catch(() => undefined);
      const status = report ? dfStatusOfConnect(report).status : 'UNASSIGNED';
      if (await tasks.get(connector)) {
        await tasks.mirrorConnectConfig(connector, live, new Date());
      } else {
        await tasks.insertUnlessTaken(
          {
            id: connector,
            taskSeq: '0',
            name: connector,
            description: `DataFibers' metadata sink: topic ${topic} → collection ${meta.collectionName}`,
            connectorType: METADATA_CONNECTOR_TYPE,
            connectorCategory: 'INTERNAL',
            connectUid: connector,
            status,
            connectorConfig: live,
            jobConfig: null,
          },
          currentOperation(),
          new Date(),
        );
      }
      return { connector, created, updated, status };
    },
  };
}

export type MetadataActivities = ReturnType<typeof createMetadataActivities>;
