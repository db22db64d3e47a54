import { log } from './logger';

/** Reachability of every dependency, for GET /health. */
export type Probe = () => Promise<unknown>;

export interface DependencyHealth {
  status: 'up' | 'down';
  latencyMs: number;
  /** Where the probe went: of a service with several URLs, the one in use. */
  target: string;
  /** Every URL of a service configured with several. */
  targets?: string[];
  error?: string;
}

export interface HealthReport {
  status: 'up' | 'down';
  checkedAt: string;
  dependencies: Record<string, DependencyHealth>;
}

/** Where a dependency is; a service with several URLs answers after its probe, which may have moved to another. */
export type TargetShown = string | (() => { target: string; targets?: string[] });

export interface HealthTarget {
  target: TargetShown;
  probe: Probe;
}

function shown(target: TargetShown): { target: string; targets?: string[] } {
  return typeof target === 'string' ? { target } : target();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * The health check: every dependency probed at once. Callers within reuseMs of a finished check get
 * its report, and callers during a check join it, so a load balancer, a dashboard and a burst of
 * requests probe each dependency at most once per reuseMs instead of once per request.
 */
export function createHealthCheck(
  targets: Record<string, HealthTarget>,
  timeoutMs = 3000,
  reuseMs = 1000,
): () => Promise<HealthReport> {
  const check = probeAll(targets, timeoutMs);
  let last: { at: number; report: Promise<HealthReport> } | undefined;
  return () => {
    const now = performance.now();
    if (last && now - last.at < reuseMs) return last.report;
    const report = check();
    const entry = { at: now, report };
    last = entry;
    // Reused from when it ends, not from when it began; a check that threw is never reused.
    report.then(
      () => {
        entry.at = performance.now();
      },
      () => {
        if (last === entry) last = undefined;
      },
    );
    return report;
  };
}

/** Probes all dependencies at once, each bounded by timeoutMs, so /health answers promptly. */
function probeAll(targets: Record<string, HealthTarget>, timeoutMs: number): () => Promise<HealthReport> {
  return async () => {
    const entries = await Promise.all(
      Object.entries(targets).map(async ([name, { target, probe }]): Promise<[string, DependencyHealth]> => {
        const started = performance.now();
        try {
          await withTimeout(probe(), timeoutMs);
          return [name, { status: 'up', latencyMs: Math.round(performance.now() - started), ...shown(target) }];
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const latencyMs = Math.round(performance.now() - started);
          return [name, { status: 'down', latencyMs, ...shown(target), error: message }];
        }
      }),
    );
    const dependencies = Object.fromEntries(entries);
    const status = entries.every(([, h]) => h.status === 'up') ? 'up' : 'down';
    return { status, checkedAt: new Date().toISOString(), dependencies };
  };
}

/**
 * One warning per dependency out of reach (a wrong CA, refused credentials, nothing listening), with
 * its cause; none for those in reportedAlready, whose own start-up line said it.
 */
export function logUnreachable(report: HealthReport, reportedAlready: string[] = []): void {
  for (const [dependency, health] of Object.entries(report.dependencies)) {
    if (health.status === 'down' && !reportedAlready.includes(dependency))
      log('warn', `${dependency} is out of reach: ${health.error ?? 'no answer'}`, { target: health.target });
  }
}
