import axios from 'axios';
import { Hono } from 'hono';
import type { ApiMetrics } from '../../metrics';

/**
 * GET /metrics (Prometheus text): this process's API metrics, then the worker's as its Temporal
 * runtime exports them (operations by type and outcome, sync rounds, the SDK's worker metrics).
 * When the worker's exporter does not answer, the API's metrics are still served, with a comment
 * saying why the rest is missing.
 */
export function metricsRoutes(metrics: ApiMetrics, workerMetricsAddress: string) {
  return new Hono().get('/metrics', async (c) => {
    const api = await metrics.registry.metrics();
    let worker = '';
    if (workerMetricsAddress) {
      worker = await axios
        .get<string>(`http://${workerMetricsAddress}/metrics`, {
          timeout: 2000,
          responseType: 'text',
          transformResponse: (d) => d,
        })
        .then((r) => r.data)
        .catch((error: Error) => `# worker metrics unavailable from ${workerMetricsAddress}: ${error.message}\n`);
    }
    return c.body(`${api}\n${worker}`, 200, { 'Content-Type': metrics.registry.contentType });
  });
}
