import fs from 'node:fs/promises';
import path from 'node:path';
import { AxiosInstance } from 'axios';
import { Config, loadConfig } from '../../src/config';
import { startApi } from '../../src/api-server';
import { openServices, Services } from '../../src/services';
import { startWorker } from '../../src/worker-runner';
import { connectTemporal, TemporalClient } from '../../src/temporal/client';
import { workflowIds } from '../../src/protocol/workflow-ids';
import { conformingClient, holdAnswersFrom } from './contract-client';
import { uniqueName } from './stack';

/** DataFibers (API + worker) on the real stack, isolated by its own database and task queue. */
export interface DfApp {
  config: Config;
  services: Services;
  temporal: TemporalClient;
  /**
   * Axios on the API's /api/df; never throws on a status, so tests can look at 4xx answers. It
   * does throw on an answer the OpenAPI document does not promise (status, content type, schema).
   */
  api: AxiosInstance;
  baseUrl: string;
  close(): Promise<void>;
}

/** `worker: false` runs the API alone, for tests that run the worker as a process of its own. */
export async function startDfApp(
  name: string,
  env: Record<string, string> = {},
  options: { worker?: boolean } = {},
): Promise<DfApp> {
  const config: Config = {
    // The syncs stay off unless a test asks for them: other tests' tasks must change only by their own hand.
    ...loadConfig({
      DF_DEV_MODE: 'true',
      ...process.env,
      MONGO_DB: uniqueName(`it_${name}`),
      DF_TASK_QUEUE: uniqueName(`it-${name}`),
      DF_SYNC_INTERVAL: '0',
      DF_STARTUP_SYNC: 'false',
      DF_WORKER_METRICS: 'off',
      ...env,
    }),
    port: 0,
  };
  const services = await openServices(config);
  const worker = options.worker === false ? undefined : await startWorker(config, services);
  const running = await startApi(config, services);
  const temporal = await connectTemporal(config.temporal.connection, config.temporal.namespace, config.payloadKeys);
  const baseUrl = `http://127.0.0.1:${running.port}/api/df`;
  const released = holdAnswersFrom(`http://127.0.0.1:${running.port}`);
  return {
    config,
    services,
    temporal,
    baseUrl,
    api: conformingClient(baseUrl),
    async close() {
      released();
      if (config.sync.intervalMs > 0) {
        // The schedule outlives the worker in the dev server: remove this test deployment's.
        await temporal.client.schedule
          .getHandle(workflowIds.statusSyncSchedule(config.temporal.taskQueue))
          .delete()
          .catch(() => undefined);
      }
      await running.close();
      await worker?.shutdown();
      await services.store.db.dropDatabase();
      await services.close();
      await temporal.close();
    },
  };
}

/** A fresh directory under the app's data directory, where the reach policy lets tasks' files be. */
export async function dataTempDir(app: Pick<DfApp, 'config'>, prefix: string): Promise<string> {
  const parent = path.join(app.config.dataDir, 'it');
  await fs.mkdir(parent, { recursive: true });
  return fs.mkdtemp(path.join(parent, prefix));
}
