import type { Config } from './config';
import { createHealthCheck, HealthReport } from './health';
import { FlinkClient } from './ras/flink';
import { KafkaAdmin } from './ras/kafka';
import { KafkaConnectClient } from './ras/kafka-connect';
import { SchemaRegistryClient } from './ras/schema-registry';
import { SqlGatewayClient } from './ras/sql-gateway';
import { InstalledRepository } from './repository/installed-repository';
import { connectStore, Store } from './repository/mongo';
import { TaskRepository } from './repository/task-repository';
import type { TemporalClient } from './temporal/client';

/** The long-lived clients of one process: built once at start, closed once at stop. */
export interface Services {
  store: Store;
  installed: InstalledRepository;
  tasks: TaskRepository;
  kafkaConnect: KafkaConnectClient;
  flink: FlinkClient;
  sqlGateway: SqlGatewayClient;
  schemaRegistry: SchemaRegistryClient;
  kafka: KafkaAdmin;
  close(): Promise<void>;
}

export async function openServices(config: Config): Promise<Services> {
  const store = await connectStore(config.mongo.url, config.mongo.db);
  const kafka = new KafkaAdmin(config.kafkaBrokers);
  const tasks = new TaskRepository(store.db);
  await tasks.ensureIndexes();
  return {
    store,
    installed: new InstalledRepository(store.db),
    tasks,
    kafkaConnect: new KafkaConnectClient(config.kafkaConnectUrl),
    flink: new FlinkClient(config.flinkUrl),
    sqlGateway: new SqlGatewayClient(config.flinkSqlGatewayUrl),
    schemaRegistry: new SchemaRegistryClient(config.schemaRegistryUrl),
    kafka,
    async close() {
      await Promise.allSettled([kafka.close(), store.close()]);
    },
  };
}

/** The dependencies /health reports on, each probed with the cheapest call that proves it answers. */
export function healthCheckFor(config: Config, services: Services, temporal: TemporalClient): () => Promise<HealthReport> {
  return createHealthCheck({
    temporal: {
      target: config.temporal.address,
      probe: async () => {
        const res = await temporal.connection.healthService.check({});
        // grpc.health.v1 SERVING = 1
        if (res.status !== 1) throw new Error(`health status ${res.status}`);
      },
    },
    store: { target: config.mongo.url, probe: () => services.store.db.command({ ping: 1 }) },
    kafka: { target: config.kafkaBrokers.join(','), probe: () => services.kafka.describeCluster() },
    kafkaConnect: { target: config.kafkaConnectUrl, probe: () => services.kafkaConnect.info() },
    schemaRegistry: { target: config.schemaRegistryUrl, probe: () => services.schemaRegistry.globalConfig() },
    flink: { target: config.flinkUrl, probe: () => services.flink.overview() },
    flinkSqlGateway: { target: config.flinkSqlGatewayUrl, probe: () => services.sqlGateway.info() },
  });
}
