import http from 'node:http';
import { serve, ServerType } from '@hono/node-server';
import type { Config } from './config';
import { createApp } from './api/app';
import { log } from './logger';
import { createApiMetrics } from './metrics';
import { healthCheckFor, Services } from './services';
import { connectTemporal } from './temporal/client';

export interface RunningApi {
  port: number;
  close(): Promise<void>;
}

/** How long an idle kept-alive connection stays open: past the usual 60 s of load balancers and clients. */
const KEEP_ALIVE_MS = 65_000;

/** Serves the Hono API on DF_HOST:DF_PORT. */
export async function startApi(config: Config, services: Services): Promise<RunningApi> {
  const temporal = await connectTemporal(config.temporal.address, config.temporal.namespace, config.payloadKeys);
  const app = createApp({
    temporal: temporal.client,
    taskQueue: config.temporal.taskQueue,
    namespace: config.temporal.namespace,
    temporalUiUrl: config.temporal.uiUrl,
    syncWaitMs: config.syncWaitMs,
    ...services,
    uploadDir: config.transforms.uploadDir,
    reachPolicy: config.reach,
    health: healthCheckFor(config, services, temporal),
    access: config.api,
    secretKeys: config.secretKeys,
    payloadCodec: temporal.payloadCodec,
    metrics: createApiMetrics(),
    workerMetricsAddress: config.workerMetricsAddress,
  });
  if (config.api.tokens.length === 0) {
    log('warn', 'API RUNS OPEN: DF_API_TOKENS is empty, so anyone who reaches this port may change connectors, jobs and schemas. Set DF_API_TOKENS=<token>:admin,<token>:viewer', { url: `http://${config.host}:${config.port}` });
  }
  if (config.payloadKeys.length === 0) {
    log('warn', 'WORKFLOW PAYLOADS IN CLEAR: DF_PAYLOAD_KEY is empty, so Temporal\'s history and Web UI show connector configs, secrets included. Set DF_PAYLOAD_KEY=<id>:<base64 of 32 random bytes>');
  }
  const hostname = config.host;
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname }, () => resolve(s));
    s.once('error', reject);
  });
  if (server instanceof http.Server) {
    // Node closes an idle kept-alive connection after 5 s, and a client that sends its next request
    // on it at that moment gets ECONNRESET (1 add in 6,000 under load). Clients and the proxies in
    // front of an API keep idle connections for up to a minute; the server must hold them longer.
    server.keepAliveTimeout = KEEP_ALIVE_MS;
    server.headersTimeout = KEEP_ALIVE_MS + 1000;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log('info', 'API listening', { url: `http://${hostname}:${port}`, temporalUi: config.temporal.uiUrl });
  return {
    port,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await temporal.close();
    },
  };
}
