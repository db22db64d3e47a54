import { createHealthCheck, DependencyHealth, HealthReport, HealthTarget } from './health';

/** What a process runs: `npm start` both, `npm run api` the API, `npm run worker` the worker. */
export interface ProcessRoles {
  api: boolean;
  worker: boolean;
}

/** GET /livez: the process serves. It checks nothing else, so a dependency away never gets a process restarted. */
export const LIVE = { status: 'ok' } as const;

/** GET /readyz: whether the dependencies this process needs now answer. */
export interface ReadinessReport {
  status: 'ready' | 'not-ready';
  checkedAt: string;
  /** The dependencies this process kind needs, each as /health reports it. */
  dependencies: Record<string, DependencyHealth>;
  /** When not ready: each dependency that is not, and why (`store: connection refused …`). */
  reason?: string;
}

/**
 * The dependencies a process kind needs to do its work. Temporal and the store for every kind: the
 * API starts workflows and reads the store, the worker runs them. The engines (Kafka Connect,
 * Flink, the registry) are not among them: a process cannot fix an engine that is away, so a
 * restart or a pod taken out of service would only add an outage of DF to the engine's; /health
 * shows them. A worker also needs its own worker to poll.
 */
export function readinessNeeds(roles: ProcessRoles): string[] {
  return ['temporal', 'store', ...(roles.worker ? ['worker'] : [])];
}

/** A health report of the needed dependencies as the readiness answer: ready when every one is up. */
export function readinessOf(report: HealthReport): ReadinessReport {
  const down = Object.entries(report.dependencies).filter(([, health]) => health.status === 'down');
  if (down.length === 0) return { status: 'ready', checkedAt: report.checkedAt, dependencies: report.dependencies };
  return {
    status: 'not-ready',
    checkedAt: report.checkedAt,
    dependencies: report.dependencies,
    reason: down.map(([name, health]) => `${name}: ${health.error ?? 'no answer'}`).join('; '),
  };
}

/**
 * Probes only what the process needs, briefly: an orchestrator's probe has a timeout of its own (a
 * second by default in Kubernetes), and a probe it gave up on counts as not ready all the same.
 */
const READINESS_TIMEOUT_MS = 2000;

/** The readiness check of a process: its needed dependencies, probed with the reuse of the health check. */
export function createReadinessCheck(
  targets: Record<string, HealthTarget>,
  needs: readonly string[],
): () => Promise<ReadinessReport> {
  const missing = needs.filter((name) => !(name in targets));
  if (missing.length > 0) throw new Error(`no probe for ${missing.join(', ')}`);
  const check = createHealthCheck(Object.fromEntries(needs.map((name) => [name, targets[name]])), READINESS_TIMEOUT_MS);
  return async () => readinessOf(await check());
}

/** The HTTP answer of GET /readyz: 200 when ready, else 503 naming what is not. */
export function readinessAnswer(report: ReadinessReport): { status: 200 | 503; body: ReadinessReport } {
  return { status: report.status === 'ready' ? 200 : 503, body: report };
}
