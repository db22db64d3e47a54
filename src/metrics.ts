import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The API process's Prometheus metrics. The worker's (operations by type and outcome, sync rounds,
 * the Temporal SDK's own) come from the Temporal runtime's exporter and are appended by /metrics.
 */
export interface ApiMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  latency: Histogram<'method' | 'route'>;
  operations: Counter<'type' | 'outcome'>;
}

export function createApiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'df_process_' });
  return {
    registry,
    requests: new Counter({
      name: 'df_api_requests_total',
      help: 'API requests by method, matched route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'df_api_request_duration_seconds',
      help: 'API request latency by method and matched route',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    operations: new Counter({
      name: 'df_api_operations_total',
      help: 'Operations the API started, by workflow type and how the request ended: completed, failed, accepted (still running, 202), refused (already running)',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
  };
}
