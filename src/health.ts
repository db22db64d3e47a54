/** Reachability of every dependency, for GET /health. */
export type Probe = () => Promise<unknown>;

export interface DependencyHealth {
  status: 'up' | 'down';
  latencyMs: number;
  target: string;
  error?: string;
}

export interface HealthReport {
  status: 'up' | 'down';
  checkedAt: string;
  dependencies: Record<string, DependencyHealth>;
}

export interface HealthTarget {
  target: string;
  probe: Probe;
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

/** Probes all dependencies at once, each bounded by timeoutMs, so /health answers promptly. */
export function createHealthCheck(targets: Record<string, HealthTarget>, timeoutMs = 3000): () => Promise<HealthReport> {
  return async () => {
    const entries = await Promise.all(
      Object.entries(targets).map(async ([name, { target, probe }]): Promise<[string, DependencyHealth]> => {
        const started = performance.now();
        try {
          await withTimeout(probe(), timeoutMs);
          return [name, { status: 'up', latencyMs: Math.round(performance.now() - started), target }];
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          return [name, { status: 'down', latencyMs: Math.round(performance.now() - started), target, error: message }];
        }
      }),
    );
    const dependencies = Object.fromEntries(entries);
    const status = entries.every(([, h]) => h.status === 'up') ? 'up' : 'down';
    return { status, checkedAt: new Date().toISOString(), dependencies };
  };
}
