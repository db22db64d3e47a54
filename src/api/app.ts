import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Client } from '@temporalio/client';
import type { HealthReport } from '../health';
import type { FlinkClient } from '../ras/flink';
import type { KafkaConnectClient } from '../ras/kafka-connect';
import type { InstalledRepository } from '../repository/installed-repository';
import type { MetaRepository } from '../repository/meta-repository';
import type { StatusHistoryRepository } from '../repository/status-history-repository';
import type { SyncRecordRepository } from '../repository/sync-record-repository';
import type { TaskRepository } from '../repository/task-repository';
import { notFound, onError } from './errors';
import { connectRoutes } from './routes/connects';
import { healthRoutes } from './routes/health';
import { installedRoutes } from './routes/installed';
import { opsRoutes } from './routes/ops';
import { schemaRoutes } from './routes/schemas';
import { statusRoutes } from './routes/status';
import { syncRoutes } from './routes/syncs';
import { taskReadRoutes } from './routes/tasks';
import { transformRoutes } from './routes/transforms';
import { uploadRoutes } from './routes/uploads';

export interface ApiDeps {
  temporal: Client;
  taskQueue: string;
  namespace: string;
  temporalUiUrl: string;
  syncWaitMs: number;
  installed: InstalledRepository;
  tasks: TaskRepository;
  statusHistory: StatusHistoryRepository;
  syncRecords: SyncRecordRepository;
  meta: MetaRepository;
  kafkaConnect: KafkaConnectClient;
  flink: FlinkClient;
  /** Where POST /uploaded_files keeps jars (DF_DATA_DIR/uploads). */
  uploadDir: string;
  health: () => Promise<HealthReport>;
}

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  // Admin UIs read the list total from X-Total-Count, so CORS must expose it.
  app.use('*', cors({
    origin: '*',
    allowHeaders: ['Content-Type', 'X-Requested-With', 'X-Total-Count', 'If-Match', 'Prefer', 'Idempotency-Key'],
    exposeHeaders: ['X-Total-Count', 'X-DF-Workflow-Id', 'X-DF-Run-Id', 'X-DF-Stale', 'Location'],
    maxAge: 600,
  }));
  app.route('/', healthRoutes(deps.health));
  app.route('/api/df', installedRoutes(deps));
  app.route('/api/df', taskReadRoutes(deps.tasks));
  app.route('/api/df', connectRoutes(deps));
  app.route('/api/df', transformRoutes(deps));
  app.route('/api/df', uploadRoutes(deps));
  app.route('/api/df', statusRoutes(deps));
  app.route('/api/df', syncRoutes(deps));
  app.route('/api/df', schemaRoutes(deps));
  app.route('/api/df', opsRoutes(deps));
  app.onError(onError);
  app.notFound(notFound);
  return app;
}
