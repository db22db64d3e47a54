import { startApi, RunningApi } from './api-server';
import { ConfigError, loadConfig, Config } from './config';
import { log, setLogPolicy } from './logger';
import { openServices } from './services';
import { startWorker, RunningWorker } from './worker-runner';

/** Reads the config or stops the process at once, naming the bad variable. */
function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`datafibers: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

/** Runs stop() once on SIGINT/SIGTERM, then exits. */
function onShutdown(stop: () => Promise<void>): void {
  let stopping = false;
  const handler = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', 'stopping', { signal });
    stop()
      .then(() => process.exit(0))
      .catch((error) => {
        log('error', 'error while stopping', { error: String(error) });
        process.exit(1);
      });
  };
  process.once('SIGINT', () => handler('SIGINT'));
  process.once('SIGTERM', () => handler('SIGTERM'));
}

async function run(roles: { api: boolean; worker: boolean }): Promise<void> {
  const config = configOrExit();
  setLogPolicy({ level: config.logLevel, secretKeys: config.secretKeys });
  const services = await openServices(config);
  // The API starts beside the worker, not after it: while the worker waits for Temporal, /health says why.
  const starting = roles.worker ? startWorker(config, services) : undefined;
  // Its failure is taken below, once the API is up; until then it must not count as unhandled.
  starting?.catch(() => undefined);
  const api: RunningApi | undefined = roles.api ? await startApi(config, services) : undefined;
  let worker: RunningWorker | undefined;
  onShutdown(async () => {
    await api?.close();
    await worker?.shutdown();
    await services.close();
  });
  worker = await starting;
  // A worker that stops on its own (fatal error) ends the process; the API alone runs until a signal.
  await worker?.done;
}

/** The entry of each process kind: `npm start` (both), `npm run api`, `npm run worker`. */
export function runProcess(roles: { api: boolean; worker: boolean }): void {
  run(roles).catch((error: unknown) => {
    log('error', 'cannot start', { error: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  });
}
