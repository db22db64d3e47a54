import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { log, withLogContext } from '../logger';
import type { ApiMetrics } from '../metrics';

/** The task a request is about, from its path: `/api/df/ps/<id>…`, `/tr/<id>`, `/status/<id>`, `/processor/<id>`. */
export function taskIdOfPath(path: string): string | undefined {
  const m = /^\/api\/df\/(?:ps|tr|processor|status)\/([^/]+)/.exec(path);
  return m ? decodeURIComponent(m[1]) : undefined;
}

const QUIET = /^\/(health|livez|readyz|metrics|console\/.*|api\/docs.*)?$/;

/**
 * Per request: an id (the caller's X-Request-Id or a new one, echoed back), the task id, on every
 * log line written while it is served; one log line when it ends; request count and latency by
 * the matched route (never the raw path, which would give one series per task id).
 */
export function observeRequests(metrics?: ApiMetrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    const given = c.req.header('x-request-id');
    const requestId = given && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : randomUUID();
    c.set('requestId', requestId);
    const taskId = taskIdOfPath(c.req.path);
    await withLogContext({ requestId, ...(taskId ? { taskId } : {}) }, async () => {
      await next();
      c.header('X-Request-Id', requestId);
      const seconds = (performance.now() - started) / 1000;
      const matched = routePath(c);
      const route = matched === '/*' || matched === '*' ? 'unmatched' : matched;
      metrics?.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
      metrics?.latency.observe({ method: c.req.method, route }, seconds);
      const workflowId = c.res.headers.get('X-DF-Workflow-Id');
      log(QUIET.test(c.req.path) && c.res.status < 400 ? 'debug' : 'info', 'request', {
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round(seconds * 1000),
        ...(workflowId ? { workflowId } : {}),
      });
    });
  };
}
