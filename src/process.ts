import { startApi, RunningApi } from './api-server';
import { ConfigError, loadConfig, Config } from './config';
import { log, setLogPolicy } from './logger';
import { startProbeServer, ProbeServer } from './probe-server';
import { openServices, readinessCheckFor, Services } from './services';
import { connectTemporal } from './temporal/client';
import { startWorker, RunningWorker } from './worker-runner';
import { WorkerStatus } from './worker-status';

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

/**
 * The probes of a worker-only process, on DF_PROBE_ADDRESS: up before the worker polls, so an
 * orchestrator sees it live and, until Temporal answers, not ready and why. Temporal is probed
 * with a lazy client of its own, as the API does: the worker's connection exists only once it answers.
 */
async function startWorkerProbes(config: Config, services: Services, worker: WorkerStatus): Promise<ProbeServer> {
  const temporal = await connectTemporal(config.temporal.connection, config.temporal.namespace, config.payloadKeys, {
    lazy: true,
  });
  try {
    const server = await startProbeServer(
      config.probeAddress,
      readinessCheckFor(config, services, temporal, { api: false, worker }),
    );
    return {
      address: server.address,
      async close() {
        await server.close();
        await temporal.close();
      },
    };
  } catch (error) {
    await temporal.close().catch(() => undefined);
    throw error;
  }
}

async function run(roles: { api: boolean; worker: boolean }): Promise<void> {
  const config = configOrExit();
  setLogPolicy({ level: config.logLevel, secretKeys: config.secretKeys });
  const services = await openServices(config, roles.api && roles.worker ? 'api+worker' : roles.api ? 'api' : 'worker');
  const status = new WorkerStatus();
  const probes =
    roles.worker && !roles.api && config.probeAddress ? await startWorkerProbes(config, services, status) : undefined;
  // The API starts beside the worker, not after it: while the worker waits for Temporal, /health says why.
  const starting = roles.worker ? startWorker(config, services, status) : undefined;
  // Its failure is taken below, once the API is up; until then it must not count as unhandled.
  starting?.catch(() => undefined);
  const api: RunningApi | undefined = roles.api
    ? await startApi(config, services, roles.worker ? status : undefined)
    : undefined;
  let worker: RunningWorker | undefined;
  onShutdown(async () => {
    await api?.close();
    await worker?.shutdown();
    await probes?.close();
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
