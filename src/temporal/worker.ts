import { NativeConnection, Worker } from '@temporalio/worker';
import { Activities } from '../../activities';

export interface WorkerSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: Activities;
}

export const WORKFLOWS_PATH = require.resolve('../../workflows');

export async function createWorker(settings: WorkerSettings): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: settings.address });
  const worker = await Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    activities: settings.activities,
    workflowsPath: WORKFLOWS_PATH,
  });
  return { worker, connection };
}
