import type { Config } from './config';
import { log } from './logger';
import { maskUrlCredentials } from './domain/secrets';
import { createHealthCheck, HealthReport, HealthTarget } from './health';
import { createReadinessCheck, readinessNeeds, ReadinessReport } from './readiness';
import { FlinkClient } from './ras/flink';
import { endpointsShown } from './ras/endpoints';
import { KafkaAdmin } from './ras/kafka';
import { KafkaConnectClient } from './ras/kafka-connect';
import { SchemaRegistryClient } from './ras/schema-registry';
import { SqlGatewayClient } from './ras/sql-gateway';
import { MetaRepository } from './repository/meta-repository';
import { InstalledRepository } from './repository/installed-repository';
import { LogLineRepository } from './repository/log-line-repository';
import type { ProcessRole } from './domain/log-lines';
import { startLogStore, type LogStore } from './log-store';
import os from 'node:os';
import { connectStore, plainStoreFailure, Store } from './repository/mongo';
import { StatusHistoryRepository } from './repository/status-history-repository';
import { SyncRecordRepository } from './repository/sync-record-repository';
import { TaskLockRepository } from './repository/task-lock-repository';
import { TaskRepository } from './repository/task-repository';
import { configSealerFor } from './repository/secret-cipher';
import { VersionRepository } from './repository/version-repository';
import { WebhookDeliveryRepository } from './repository/webhook-delivery-repository';
import { WebhookRepository } from './repository/webhook-repository';
import { SecretKeys } from './domain/secrets';
import type { TemporalClient } from './temporal/client';
import { temporalFailureCause } from './temporal/connection-options';
import type { WorkerStatus } from './worker-status';

/** The long-lived clients of one process: built once at start, closed once at stop. */
export interface Services {
  store: Store;
  installed: InstalledRepository;
  tasks: TaskRepository;
  /** The per-task locks operations hold while they work on a task. */
  taskLocks: TaskLockRepository;
  statusHistory: StatusHistoryRepository;
  /** The configs DF applied to each task, numbered (df_versions). */
  versions: VersionRepository;
  /** The latest drift report and other single records the syncs keep. */
  syncRecords: SyncRecordRepository;
  /** Processing metadata (df_meta) the metadata sink connector writes. */
  meta: MetaRepository;
  /** The webhooks DF tells of failures (df_webhooks) and the log of their deliveries. */
  webhooks: WebhookRepository;
  webhookDeliveries: WebhookDeliveryRepository;
  /** The recent log lines that name a task (df_log), which every DF process writes. */
  logLines: LogLineRepository;
  /** This process's writer of those lines. */
  logStore: LogStore;
  kafkaConnect: KafkaConnectClient;
  flink: FlinkClient;
  sqlGateway: SqlGatewayClient;
  schemaRegistry: SchemaRegistryClient;
  kafka: KafkaAdmin;
  close(): Promise<void>;
}

const INDEX_RETRY_FIRST_MS = 1000;
const INDEX_RETRY_MAX_MS = 30_000;

/**
 * Creates the indexes now if the store answers, else again and again in the background until it
 * does; stop() ends the retries. Nothing waits for them: none is unique (every uniqueness DF
 * relies on, of task ids and of locks, is the _id's), so a write made before they exist is as
 * correct as one made after, only a list may be slower meanwhile.
 */
function ensureIndexesSoon(ensure: () => Promise<void>, storeAway: () => boolean): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let failures = 0;
  const run = (delay: number): void => {
    ensure().then(
      () => {
        if (failures > 0) log('info', 'store indexes created, after the store answered');
      },
      (error: unknown) => {
        if (stopped) return;
        // A store out of reach has its own line already (onAway below).
        if (failures++ === 0 && !storeAway())
          log('warn', 'store indexes not created yet, retrying', {
            error: plainStoreFailure(error),
          });
        timer = setTimeout(() => run(Math.min(delay * 2, INDEX_RETRY_MAX_MS)), delay);
        timer.unref();
      },
    );
  };
  run(INDEX_RETRY_FIRST_MS);
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

/**
 * `role` names the process's lines in the log store: a process that runs the API and the worker
 * (the default) names each line by the part that wrote it.
 */
export async function openServices(config: Config, role: ProcessRole = 'api+worker'): Promise<Services> {
  const target = maskUrlCredentials(config.mongo.url);
  const store = await connectStore(config.mongo.url, config.mongo.db, {
    tls: { caFile: config.mongo.tlsCaFile, certificateKeyFile: config.mongo.tlsCertificateKeyFile },
    // The same words as the API's start-up line for any dependency out of reach (logUnreachable),
    // which leaves the store to this one.
    onAway: (cause) =>
      log('warn', `store is out of reach: ${cause}; DF keeps running and connects once it answers`, { target }),
    onAnswering: () => log('info', 'store answers', { target }),
    onReconnect: (unknownMs) =>
      log(
        'warn',
        'store client reconnected: it had seen no store for a while although the store answered a fresh connection',
        { unknownMs },
      ),
  });
  const kafka = new KafkaAdmin(config.kafkaBrokers, config.kafkaSecurity, undefined, config.topics);
  // Once per record and process: lists read every task every few seconds.
  const reported = new Set<string>();
  const sealer = configSealerFor(config.payloadKeys, config.secretKeys);
  const tasks = new TaskRepository(store.db, {
    sealer,
    onUnreadable: (record) => {
      if (reported.has(record.id) || reported.size >= 10_000) return;
      reported.add(record.id);
      log('error', 'a df_processor record cannot be read as a task and is left out of lists', {
        id: record.id,
        problems: record.problems,
      });
    },
  });
  const statusHistory = new StatusHistoryRepository(store.db);
  const versions = new VersionRepository(store.db, { sealer });
  const taskLocks = new TaskLockRepository(store.db);
  const logLines = new LogLineRepository(store.db);
  // A webhook's secret is sealed whatever DF_SECRET_KEYS says: it is a secret by what it is.
  const webhooks = new WebhookRepository(store.db, configSealerFor(config.payloadKeys, new SecretKeys(['secret'])));
  const webhookDeliveries = new WebhookDeliveryRepository(store.db);
  const logStore = startLogStore(logLines, config.logStore, { role, host: os.hostname(), pid: process.pid });
  const indexes = ensureIndexesSoon(
    async () => {
      await tasks.ensureIndexes();
      await statusHistory.ensureIndexes();
      await versions.ensureIndexes();
      await taskLocks.ensureIndexes();
      await webhookDeliveries.ensureIndexes();
      if (config.logStore.maxLines > 0) await logLines.ensureIndexes();
    },
    () => store.awayCause() !== undefined,
  );
  return {
    store,
    installed: new InstalledRepository(store.db),
    tasks,
    taskLocks,
    statusHistory,
    versions,
    syncRecords: new SyncRecordRepository(store.db),
    webhooks,
    webhookDeliveries,
    meta: new MetaRepository(store.db, config.metadata.collection),
    logLines,
    logStore,
    kafkaConnect: new KafkaConnectClient({
      ...serviceUrls(config.kafkaConnectUrls),
      ...config.serviceSecurity.kafkaConnect,
    }),
    flink: new FlinkClient({ url: config.flinkUrl, ...config.serviceSecurity.flink }),
    sqlGateway: new SqlGatewayClient({ url: config.flinkSqlGatewayUrl, ...config.serviceSecurity.flinkSqlGateway }),
    schemaRegistry: new SchemaRegistryClient({
      ...serviceUrls(config.schemaRegistryUrls),
      ...config.serviceSecurity.schemaRegistry,
    }),
    kafka,
    async close() {
      indexes.stop();
      // The last lines go out while the store is still open.
      await logStore.close();
      await Promise.allSettled([kafka.close(), store.close()]);
    },
  };
}

/** A service's URLs as its client takes them: the first, and the others to fall back on. */
function serviceUrls([url, ...alternateUrls]: readonly string[]): { url: string; alternateUrls: string[] } {
  return { url, alternateUrls };
}

/** The dependencies /health reports on, each probed with the cheapest call that proves it answers. */
export function healthCheckFor(
  config: Config,
  services: Services,
  temporal: TemporalClient,
): () => Promise<HealthReport> {
  return createHealthCheck(dependencyTargets(config, services, temporal));
}

/**
 * What /readyz checks in a process: Temporal and the store, and, with a worker in the process,
 * that it polls (readinessNeeds).
 */
export function readinessCheckFor(
  config: Config,
  services: Pick<Services, 'store' | 'kafka' | 'kafkaConnect' | 'schemaRegistry' | 'flink' | 'sqlGateway'>,
  temporal: TemporalClient,
  roles: { api: boolean; worker?: WorkerStatus },
): () => Promise<ReadinessReport> {
  const targets = dependencyTargets(config, services, temporal);
  const worker = roles.worker;
  if (worker) targets.worker = { target: config.temporal.taskQueue, probe: async () => worker.assertRunning() };
  return createReadinessCheck(targets, readinessNeeds({ api: roles.api, worker: worker !== undefined }));
}

/** Each dependency of a process, named as /health and /readyz name it, with its probe. */
export function dependencyTargets(
  config: Config,
  services: Pick<Services, 'store' | 'kafka' | 'kafkaConnect' | 'schemaRegistry' | 'flink' | 'sqlGateway'>,
  temporal: TemporalClient,
): Record<string, HealthTarget> {
  return {
    temporal: {
      target: config.temporal.address,
      probe: async () => {
        try {
          const res = await temporal.probe.healthService.check({});
          // grpc.health.v1 SERVING = 1
          if (res.status !== 1) throw new Error(`health status ${res.status}`);
          // The health service answers without credentials: a call that needs them proves the API key is taken.
          await temporal.probe.workflowService.describeNamespace({ namespace: config.temporal.namespace });
        } catch (error) {
          throw new Error(
            temporalFailureCause(error, config.temporal.connection.apiKey ? [config.temporal.connection.apiKey] : []),
          );
        }
      },
    },
    store: {
      target: maskUrlCredentials(config.mongo.url),
      probe: async () => {
        // A client that never reached the store fails every call at once, with no cause of its own.
        const away = services.store.awayCause();
        if (away) throw new Error(away);
        await services.store.db.command({ ping: 1 }).catch((error: unknown) => {
          throw new Error(plainStoreFailure(error));
        });
      },
    },
    kafka: { target: config.kafkaBrokers.join(','), probe: () => services.kafka.describeCluster() },
    // A service with several URLs shows the one in use after the probe, which may have moved it on.
    kafkaConnect: {
      target: () => endpointsShown(services.kafkaConnect.endpoints),
      probe: () => services.kafkaConnect.info(),
    },
    schemaRegistry: {
      target: () => endpointsShown(services.schemaRegistry.endpoints),
      probe: () => services.schemaRegistry.globalConfig(),
    },
    flink: { target: maskUrlCredentials(config.flinkUrl), probe: () => services.flink.overview() },
    flinkSqlGateway: { target: maskUrlCredentials(config.flinkSqlGatewayUrl), probe: () => services.sqlGateway.info() },
  };
}
