import { Hono } from 'hono';
import type { HealthReport } from '../../health';

/** GET /health: each dependency's reachability and latency; 200 only when all are up. */
export function healthRoutes(check: () => Promise<HealthReport>) {
  return new Hono().get('/health', async (c) => {
    const report = await check();
    return c.json(report, report.status === 'up' ? 200 : 503);
  });
}
