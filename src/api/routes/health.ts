import { Hono } from 'hono';
import type { HealthReport } from '../../health';
import { LIVE, readinessAnswer, ReadinessReport } from '../../readiness';

/**
 * GET /health: each dependency's reachability and latency; 200 only when all are up.
 * GET /livez and /readyz: what orchestrators probe (docs/operating.md): the process serves; the
 * dependencies this process needs answer.
 */
export function healthRoutes(check: () => Promise<HealthReport>, readiness: () => Promise<ReadinessReport>) {
  return new Hono()
    .get('/health', async (c) => {
      const report = await check();
      return c.json(report, report.status === 'up' ? 200 : 503);
    })
    .get('/livez', (c) => c.json(LIVE, 200))
    .get('/readyz', async (c) => {
      const { status, body } = readinessAnswer(await readiness());
      return c.json(body, status);
    });
}
