import axios, { AxiosResponse } from 'axios';
import { startApi } from '../../src/api-server';
import { loadConfig } from '../../src/config';
import type { HealthReport } from '../../src/health';
import { openServices } from '../../src/services';
import { freePort, runBuiltService } from './built-service';
import { uniqueName } from './stack';
import { eventually } from './wait';

/**
 * DF's GET /health with these variables over the test's environment (the secure profile's, in the
 * secure run): what an operator sees after a misconfiguration. The API alone, no worker, no syncs;
 * its database is dropped after.
 */
export async function dfHealthWith(
  overrides: Record<string, string>,
): Promise<{ status: number; report: HealthReport }> {
  const config = {
    ...loadConfig({
      DF_DEV_MODE: 'true',
      ...process.env,
      MONGO_DB: uniqueName('it_health'),
      DF_STARTUP_SYNC: 'false',
      DF_SYNC_INTERVAL: '0',
      ...overrides,
    }),
    port: 0,
  };
  const services = await openServices(config);
  const api = await startApi(config, services);
  try {
    const res = await axios.get(`http://127.0.0.1:${api.port}/health`, { validateStatus: () => true });
    return { status: res.status, report: res.data as HealthReport };
  } finally {
    await api.close();
    await services.store.db.dropDatabase().catch(() => undefined);
    await services.close();
  }
}

/** GET /health of the DF process on this port, polled until it answers 200 (a dependency came back); that answer. */
export function eventuallyHealthy(port: number): Promise<AxiosResponse<HealthReport>> {
  return eventually(
    'a healthy /health',
    async () => {
      const res = await axios.get<HealthReport>(`http://127.0.0.1:${port}/health`, { validateStatus: () => true });
      return res.status === 200 ? res : undefined;
    },
    120000,
  );
}

/** What DF said when started with a setting a dependency refuses. */
export interface DfStartedWith {
  /** Its first answer to GET /health. */
  status: number;
  report: HealthReport;
  /** Everything it logged by then, the start-up lines included. */
  output: string;
  /** Whether it was still running then: a refused dependency never stops DF. */
  running: boolean;
}

/**
 * DF as users run it (the built service), started with these settings over the test's environment
 * (a wrong password, CA or address), read once it answers /health: the answer, its log, whether it
 * runs. It is stopped before this returns, so the next one can bind the process-wide ports
 * (worker metrics). Its store database is the caller's to drop (MONGO_DB in settings).
 */
export async function dfStartedWith(settings: Record<string, string>): Promise<DfStartedWith> {
  const port = await freePort();
  const service = runBuiltService({
    DF_PORT: String(port),
    MONGO_DB: uniqueName('it_refused'),
    DF_TASK_QUEUE: uniqueName('it-refused'),
    DF_SYNC_INTERVAL: '0',
    DF_STARTUP_SYNC: 'false',
    ...settings,
  });
  try {
    // Until DF listens; any other failure (an answer off the API's document) is what the wait ends with.
    const health = await eventually(
      'a /health answer',
      async () => axios.get<HealthReport>(`http://127.0.0.1:${port}/health`, { validateStatus: () => true }),
      120000,
    );
    return {
      status: health.status,
      report: health.data,
      output: service.output(),
      running: service.child.exitCode === null,
    };
  } finally {
    service.child.kill('SIGTERM');
    await service.exited;
  }
}
