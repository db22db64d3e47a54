import { Runtime, DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Config } from './config';
import { log } from './logger';
import { reachGuard } from './reach-guard';
import type { Services } from './services';
import { connectTemporal } from './temporal/client';
import { ensureSearchAttributes } from './temporal/search-attributes';
import { startSyncs } from './temporal/syncs';
import { createWorker } from './temporal/worker';

export interface RunningWorker {
  /** Settles when the worker has stopped (after shutdown() or a fatal error). */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

const SDK_LEVELS = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

export async function startWorker(config: Config, services: Services): Promise<RunningWorker> {
  if (!runtimeInstalled) {
    // The SDK logs webpack statistics and every poll at INFO; WARN (the default) keeps the service
    // log readable. Its lines go through DF's logger, so the whole process writes one JSON format.
    Runtime.install({
      logger: new DefaultLogger(config.temporalLogLevel, (entry) =>
        log(SDK_LEVELS[entry.level], entry.message, { source: 'temporal-sdk', ...entry.meta }),
      ),
      ...(config.workerMetricsAddress
        ? { telemetryOptions: { metrics: { prometheus: { bindAddress: config.workerMetricsAddress } } } }
        : {}),
    });
    runtimeInstalled = true;
  }
  // Activities that signal other workflows (the per-task lock) need a client of their own.
  const temporal = await connectTemporal(config.temporal.address, config.temporal.namespace, config.payloadKeys);
  await ensureSearchAttributes(temporal.connection, config.temporal.namespace);
  const { worker, connection } = await createWorker({
    address: config.temporal.address,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    maxCachedWorkflows: config.workerCachedWorkflows,
    payloadCodec: temporal.payloadCodec,
    activities: createActivities({
      ...services,
      temporal: temporal.client,
      transformSettings: config.transforms,
      syncSettings: config.sync,
      secretKeys: config.secretKeys,
      reach: reachGuard(config.reach),
      metadataSettings: config.metadata,
      databaseName: config.mongo.db,
      streamBackSettings: config.streamBack,
    }),
  });
  const done = worker.run().finally(async () => {
    await connection.close();
    await temporal.close();
  });
  log('info', 'worker polling', { taskQueue: config.temporal.taskQueue, namespace: config.temporal.namespace });
  await startSyncs(temporal.client, config);
  return {
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
