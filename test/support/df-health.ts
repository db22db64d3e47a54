import axios from 'axios';
import { startApi } from '../../src/api-server';
import { loadConfig } from '../../src/config';
import type { HealthReport } from '../../src/health';
import { openServices } from '../../src/services';
import { uniqueName } from './stack';

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
