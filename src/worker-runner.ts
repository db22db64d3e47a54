import { Runtime, DefaultLogger } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Config } from './config';
import { log } from './logger';
import { reachGuard } from './reach-guard';
import type { Services } from './services';
import { connectTemporal } from './temporal/client';
import { temporalFailureCause } from './temporal/connection-options';
import { ensureSearchAttributes } from './temporal/search-attributes';
import { startSyncs } from './temporal/syncs';
import { createWorker } from './temporal/worker';
import { WorkerStatus } from './worker-status';

export interface RunningWorker {
  /** Settles when the worker has stopped (after shutdown() or a fatal error). */
  done: Promise<void>;
  shutdown(): Promise<void>;
}

let runtimeInstalled = false;

const SDK_LEVELS = { TRACE: 'debug', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;

const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;

/**
 * Connects, retrying with backoff while Temporal is unreachable or refuses the connection (TLS,
 * API key), so the process stays up and starts polling once Temporal answers. Each new cause is
 * logged once, in plain words and without secrets.
 */
async function untilTemporalAnswers<T>(config: Config, status: WorkerStatus, connect: () => Promise<T>): Promise<T> {
  const secrets = config.temporal.connection.apiKey ? [config.temporal.connection.apiKey] : [];
  let lastCause: string | undefined;
  for (let delay = RETRY_FIRST_MS; ; delay = Math.min(delay * 2, RETRY_MAX_MS)) {
    try {
      const connected = await connect();
      if (lastCause !== undefined) log('info', 'Temporal answers again', { address: config.temporal.address });
      return connected;
    } catch (error) {
      const cause = temporalFailureCause(error, secrets);
      status.waiting(`the worker waits for Temporal: ${cause}`);
      if (cause !== lastCause) {
        log('error', `Temporal cannot be reached, the worker retries: ${cause}`, {
          address: config.temporal.address,
          namespace: config.temporal.namespace,
          security: config.temporal.security,
        });
      }
      lastCause = cause;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/**
 * The SDK's runtime, once per process. Its metrics exporter binds DF_WORKER_METRICS now; two DF
 * processes on one machine both take the default address, and the second one's error would name
 * neither the setting nor a way out.
 */
function installRuntime(config: Config): void {
  if (runtimeInstalled) return;
  try {
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
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!config.workerMetricsAddress || !/metrics exporter|address/i.test(message)) throw error;
    throw new Error(
      `DF_WORKER_METRICS ${config.workerMetricsAddress} cannot be bound: ${message}; another process (another DF worker on this machine?) holds it: give each process an address of its own, or DF_WORKER_METRICS=off`,
    );
  }
  runtimeInstalled = true;
}

export async function startWorker(
  config: Config,
  services: Services,
  status = new WorkerStatus(),
): Promise<RunningWorker> {
  installRuntime(config);
  // Activities that signal other workflows (the per-task lock) need a client of their own.
  const temporal = await untilTemporalAnswers(config, status, async () => {
    // Lazy, then a call that needs the credentials: a failed call carries the transport's cause
    // (TLS, refused), where a failed eager connect says only that the deadline passed.
    const candidate = await connectTemporal(config.temporal.connection, config.temporal.namespace, config.payloadKeys, {
      lazy: true,
    });
    try {
      await candidate.probe.workflowService.describeNamespace({ namespace: config.temporal.namespace });
      return candidate;
    } catch (error) {
      await candidate.close().catch(() => undefined);
      throw error;
    }
  });
  await ensureSearchAttributes(temporal.connection, config.temporal.namespace);
  const { worker, connection } = await createWorker({
    connection: config.temporal.connection,
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
      webhookSettings: config.webhooks,
    }),
  });
  const done = worker.run().finally(async () => {
    status.stopped('the worker has stopped');
    await connection.close();
    await temporal.close();
  });
  status.polling(() => worker.getState());
  log('info', 'worker polling', {
    taskQueue: config.temporal.taskQueue,
    namespace: config.temporal.namespace,
    address: config.temporal.address,
    security: config.temporal.security,
  });
  await startSyncs(temporal.client, config);
  return {
    done,
    async shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await done;
    },
  };
}
