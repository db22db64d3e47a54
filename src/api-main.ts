// `npm run api`: the HTTP API alone; workers run elsewhere (`npm run worker`).
import { startApi } from './api-server';
import { configOrExit, fatal, onShutdown } from './process';
import { openServices } from './services';

async function main(): Promise<void> {
  const config = configOrExit();
  const services = await openServices(config);
  const api = await startApi(config, services);
  onShutdown(async () => {
    await api.close();
    await services.close();
  });
}

main().catch(fatal);
