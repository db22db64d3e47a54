import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { Client } from '@temporalio/client';
import type { HealthReport } from '../health';
import type { InstalledRepository } from '../repository/installed-repository';
import { notFound, onError } from './errors';
import { healthRoutes } from './routes/health';
import { installedRoutes } from './routes/installed';

export interface ApiDeps {
  temporal: Client;
  taskQueue: string;
  syncWaitMs: number;
  installed: InstalledRepository;
  health: () => Promise<HealthReport>;
}

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  // Admin UIs read the list total from X-Total-Count, so CORS must expose it.
  app.use('*', cors({ origin: '*', exposeHeaders: ['X-Total-Count', 'X-DF-Workflow-Id', 'X-DF-Run-Id', 'X-DF-Stale'] }));
  app.route('/', healthRoutes(deps.health));
  app.route('/api/df', installedRoutes(deps));
  app.onError(onError);
  app.notFound(notFound);
  return app;
}
