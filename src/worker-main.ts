// `npm run worker`: one more worker on DF_TASK_QUEUE, to scale workflow and activity execution out.
import { configOrExit, fatal, onShutdown } from './process';
import { openServices } from './services';
import { startWorker } from './worker-runner';

async function main(): Promise<void> {
  const config = configOrExit();
  const services = await openServices(config);
  const worker = await startWorker(config, services);
  onShutdown(async () => {
    await worker.shutdown();
    await services.close();
  });
  await worker.done;
}

main().catch(fatal);
