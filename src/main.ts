// `npm start`: the API and a worker in one process (npm run api / npm run worker run each alone).
import { startApi } from './api-server';
import { configOrExit, fatal, onShutdown } from './process';
import { openServices } from './services';
import { startWorker } from './worker-runner';

async function main(): Promise<void> {
  const config = configOrExit();
  const services = await openServices(config);
  const worker = await startWorker(config, services);
  const api = await startApi(config, services);
  onShutdown(async () => {
    await api.close();
    await worker.shutdown();
    await services.close();
  });
  await worker.done;
}

main().catch(fatal);
