import { ConfigError, loadConfig, Config } from './config';
import { log } from './logger';

/** Reads the config or stops the process at once, naming the bad variable. */
export function configOrExit(): Config {
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
export function onShutdown(stop: () => Promise<void>): void {
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

export function fatal(error: unknown): never {
  log('error', 'cannot start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
