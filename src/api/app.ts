import { Hono } from 'hono';
import type { Client } from '@temporalio/client';
import type { ApiSettings, LogStoreSettings } from '../config';
import type { PayloadCodec } from '@temporalio/common';
import type { SecretKeys } from '../domain/secrets';
import type { ApiMetrics } from '../metrics';
import { DF_VERSION } from '../version';
import { allowedHostsOnly } from './allowed-hosts';
import { bearerAuth } from './auth';
import { crossOriginAccess } from './cross-origin';
import { observeRequests } from './observe';
import { metricsRoutes } from './routes/metrics';
import { requestBodyLimit } from './body-limit';
import type { HealthReport } from '../health';
import type { ReadinessReport } from '../readiness';
import type { Services } from '../services';
import { errorHandler, notFound } from './errors';
import { connectRoutes } from './routes/connects';
import { connectOffsetRoutes } from './routes/connect-offsets';
import { consoleRoutes } from './routes/console';
import { docsRoutes } from './routes/docs';
import { healthRoutes } from './routes/health';
import { installedRoutes } from './routes/installed';
import { codecRoutes } from './routes/codec';
import { bulkRoutes } from './routes/bulk';
import { opsRoutes } from './routes/ops';
import { schemaRoutes } from './routes/schemas';
import { statusRoutes } from './routes/status';
import { topicRoutes } from './routes/topics';
import { syncRoutes } from './routes/syncs';
import { taskReadRoutes } from './routes/tasks';
import { transformRoutes, type TransformPlanCheck } from './routes/transforms';
import { uploadRoutes } from './routes/uploads';
import { versionRoutes } from './routes/versions';
import { logRoutes } from './routes/logs';
import { batchResultRoutes } from './routes/batch-results';
import { auditRoutes } from './routes/audit';
import { auditAnswers } from './audit-trail';
import { webhookRoutes } from './routes/webhooks';
import { OperationAdmission } from './admission';
import { reachGuard } from '../reach-guard';
import type { ReachPolicy } from '../domain/reach-policy';
import { TaskListView } from '../repository/task-list-view';

/**
 * The process's clients the routes use: the store (which says why it is away), repositories they
 * read, the engines live status and single reads come from, and the task locks that tell an
 * operation in flight.
 */
export type ApiServices = Pick<
  Services,
  | 'store'
  | 'installed'
  | 'tasks'
  | 'taskLocks'
  | 'statusHistory'
  | 'versions'
  | 'syncRecords'
  | 'meta'
  | 'kafkaConnect'
  | 'flink'
  | 'schemaRegistry'
  | 'kafka'
  | 'logLines'
  | 'audit'
  | 'webhooks'
  | 'webhookDeliveries'
>;

export interface ApiDeps extends ApiServices {
  /** Tokens, CORS origins, allowed hosts and the body limit (config.api). */
  access: ApiSettings;
  /** Which config keys are secret: masked in every answer (DF_SECRET_KEYS). */
  secretKeys: SecretKeys;
  /** The codec of DF's workflow payloads (DF_PAYLOAD_KEY), served at /api/codec for the Temporal UI; absent: payloads in clear. */
  payloadCodec?: PayloadCodec;
  /** Request and operation metrics; absent in specs that do not look at them. */
  metrics?: ApiMetrics;
  /** The worker's Prometheus exporter, appended to /metrics (config.workerMetricsAddress). */
  workerMetricsAddress?: string;
  temporal: Client;
  taskQueue: string;
  namespace: string;
  temporalUiUrl: string;
  syncWaitMs: number;
  /** DF_WEBHOOK_HOSTS: the hosts a webhook URL may name. */
  webhookHosts: readonly string[];
  /** What tasks may reach (config.reach): adds, updates and config checks are held against it. */
  reachPolicy: ReachPolicy;
  /** The processing-metadata topic (DF_META_TOPIC): its subjects stay out of the topic list. */
  metaTopic?: string;
  /** POST /tr/check: Flink plans a transform's SQL as its add would, creating nothing. */
  checkTransformPlan: TransformPlanCheck;
  /** Where POST /uploaded_files keeps jars (DF_DATA_DIR/uploads). */
  uploadDir: string;
  /** Where batch transforms' results are (DF_DATA_DIR/results): GET /tr/:id/result reads nothing else. */
  resultDir: string;
  /** How many log lines the store keeps and how long (GET /logs leaves out older ones). */
  logStore: LogStoreSettings;
  health: () => Promise<HealthReport>;
  /** GET /readyz: the dependencies this process kind needs (readinessCheckFor). */
  readiness: () => Promise<ReadinessReport>;
}

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  app.use('*', observeRequests(deps.metrics));
  app.use('*', allowedHostsOnly(deps.access.allowedHosts));
  app.use('*', crossOriginAccess({ corsOrigins: deps.access.corsOrigins, temporalUiUrl: deps.temporalUiUrl }));
  app.use('*', bearerAuth(deps.access.tokens));
  app.use('*', requestBodyLimit(deps.access.bodyLimitBytes));
  app.route('/', healthRoutes(deps.health, deps.readiness));
  app.route('/', docsRoutes(DF_VERSION));
  if (deps.metrics) app.route('/', metricsRoutes(deps.metrics, deps.workerMetricsAddress ?? ''));
  app.route(
    '/',
    consoleRoutes({
      temporalUiUrl: deps.temporalUiUrl,
      namespace: deps.namespace,
      authRequired: deps.access.tokens.length > 0,
    }),
  );
  const reach = reachGuard(deps.reachPolicy);
  app.route('/api/df', installedRoutes({ ...deps, reach }));
  const listView =
    deps.access.listMaxAgeMs > 0
      ? // A read of every task is a burst of decoding and garbage in the process serving the API: the
        // change count and this process's own writes keep the snapshot current, the full read is the
        // safety net for a writer that died between its write and its count.
        new TaskListView(deps.tasks, {
          maxAgeMs: deps.access.listMaxAgeMs,
          maxStaleMs: deps.access.listMaxAgeMs + 30_000,
          fullReadEveryMs: 5 * 60_000,
        })
      : undefined;
  // Whoever changes something through the API sees the change in the next list.
  if (listView) {
    app.use('/api/df/*', async (c, next) => {
      await next();
      if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && c.req.method !== 'OPTIONS') listView.invalidate();
    });
  }
  // The status each operation's request was answered with goes into its audit entry.
  app.use('/api/df/*', auditAnswers());
  app.route('/api/df', taskReadRoutes(deps.tasks, deps.secretKeys, listView));
  const operations = { ...deps, admission: new OperationAdmission(deps.access.maxInFlight) };
  // Before the connect routes: their POST /ps/:id/:action would take /ps/:id/rollback.
  app.route('/api/df', versionRoutes(operations));
  app.route('/api/df', connectRoutes({ ...operations, reach }));
  app.route('/api/df', connectOffsetRoutes(operations));
  app.route('/api/df', transformRoutes({ ...operations, reach }));
  app.route(
    '/api/df',
    uploadRoutes({
      ...deps,
      uploads: new OperationAdmission(deps.access.maxUploads, { work: 'jar uploads', setting: 'DF_MAX_UPLOADS' }),
    }),
  );
  app.route('/api/df', statusRoutes(deps));
  app.route('/api/df', logRoutes(deps));
  app.route('/api/df', batchResultRoutes(deps));
  app.route('/api/df', syncRoutes(deps));
  app.route('/api/df', schemaRoutes({ ...operations, metaTopic: deps.metaTopic ?? 'df_meta' }));
  app.route('/api/df', topicRoutes(deps));
  app.route('/api/df', bulkRoutes({ ...operations, reach }));
  app.route('/api/df', opsRoutes(operations));
  app.route('/api/df', auditRoutes(deps));
  app.route('/api/df', webhookRoutes(deps));
  app.route('/api/codec', codecRoutes(deps.payloadCodec));
  app.onError(errorHandler((error) => deps.store.unavailable(error)));
  app.notFound(notFound);
  return app;
}
