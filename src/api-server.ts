import http from 'node:http';
import { serve, ServerType } from '@hono/node-server';
import type { Config } from './config';
import { createFlinkJobActivities } from '../activities/flink-job';
import { createApp } from './api/app';
import { limitServer, SERVER_OPTIONS } from './api/server-limits';
import { log } from './logger';
import { logUnreachable } from './health';
import { createApiMetrics } from './metrics';
import { healthCheckFor, readinessCheckFor, Services } from './services';
import { connectTemporal, type TemporalClient } from './temporal/client';
import { temporalFailureCause } from './temporal/connection-options';
import type { WorkerStatus } from './worker-status';

/** The start-up log line saying whether Temporal answers, and if not why; never blocks the start. */
function reportTemporalReach(config: Config, temporal: TemporalClient): void {
  const secrets = config.temporal.connection.apiKey ? [config.temporal.connection.apiKey] : [];
  const where = {
    address: config.temporal.address,
    namespace: config.temporal.namespace,
    security: config.temporal.security,
  };
  // A call, not ensureConnected(): its failure carries the transport's cause.
  temporal.probe.workflowService.describeNamespace({ namespace: config.temporal.namespace }).then(
    () => log('info', 'Temporal answers', where),
    (error: unknown) =>
      log(
        'error',
        `Temporal cannot be reached: ${temporalFailureCause(error, secrets)}; /health reports it until it answers`,
        where,
      ),
  );
}

export interface RunningApi {
  port: number;
  close(): Promise<void>;
}

/** Serves the Hono API on DF_HOST:DF_PORT; with the worker of the same process, its /readyz counts the worker too. */
export async function startApi(config: Config, services: Services, worker?: WorkerStatus): Promise<RunningApi> {
  // Lazy: the API serves, and /health names the cause, while Temporal is unreachable or refuses DF.
  const temporal = await connectTemporal(config.temporal.connection, config.temporal.namespace, config.payloadKeys, {
    lazy: true,
  });
  reportTemporalReach(config, temporal);
  const health = healthCheckFor(config, services, temporal);
  const readiness = readinessCheckFor(config, services, temporal, { api: true, worker });
  // The plan check asks the engines directly, as the add's own check does, without a workflow.
  const flinkJobs = createFlinkJobActivities({ ...services, transformSettings: config.transforms });
  const app = createApp({
    temporal: temporal.client,
    taskQueue: config.temporal.taskQueue,
    namespace: config.temporal.namespace,
    temporalUiUrl: config.temporal.uiUrl,
    syncWaitMs: config.syncWaitMs,
    ...services,
    checkTransformPlan: (input) => flinkJobs.checkTransformPlan(input.id, input.connectorType, input.connectorConfig),
    uploadDir: config.transforms.uploadDir,
    metaTopic: config.metadata.topic,
    resultDir: config.transforms.resultDir,
    logStore: config.logStore,
    reachPolicy: config.reach,
    webhookHosts: config.webhooks.hosts,
    health,
    readiness,
    access: config.api,
    secretKeys: config.secretKeys,
    payloadCodec: temporal.payloadCodec,
    metrics: createApiMetrics(),
    workerMetricsAddress: config.workerMetricsAddress,
  });
  if (config.api.tokens.length === 0) {
    log(
      'warn',
      'API RUNS OPEN: DF_API_TOKENS is empty, so anyone who reaches this port may change connectors, jobs and schemas. Set DF_API_TOKENS=<token>:admin,<token>:viewer',
      { url: `http://${config.host}:${config.port}` },
    );
  }
  if (config.payloadKeys.length === 0) {
    log(
      'warn',
      "DEV MODE, SECRETS IN CLEAR: DF_PAYLOAD_KEY is empty, so the store, Temporal's history and its Web UI hold connector configs, secrets included. Set DF_PAYLOAD_KEY=<id>:<base64 of 32 random bytes> and DF_DEV_MODE=false",
    );
  }
  const hostname = config.host;
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname, serverOptions: SERVER_OPTIONS }, () => resolve(s));
    s.once('error', reject);
  });
  if (server instanceof http.Server) limitServer(server, config.api.maxConnections);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log('info', 'API listening', { url: `http://${hostname}:${port}`, temporalUi: config.temporal.uiUrl });
  // Said at start, in the words /health gives: the process keeps running and turns healthy once they answer.
  // A store out of reach at start has said so already, when its first connection failed.
  const reportedAlready = services.store.awayCause() === undefined ? [] : ['store'];
  void health().then(
    (report) => logUnreachable(report, reportedAlready),
    (error: unknown) => log('warn', 'the start-up health check failed', { error: String(error) }),
  );
  return {
    port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await temporal.close();
    },
  };
}
