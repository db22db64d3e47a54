import { NativeConnection, Worker } from '@temporalio/worker';
import { Activities } from '../../activities';
import { activityLogContext } from './activity-log-context';

export interface WorkerSettings {
  address: string;
  namespace: string;
  taskQueue: string;
  activities: Activities;
}

export const WORKFLOWS_PATH = require.resolve('../../workflows');
/** Workflow interceptors: the run counter. */
export const WORKFLOW_INTERCEPTORS_PATH = require.resolve('../../workflows/interceptors');

export async function createWorker(settings: WorkerSettings): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect({ address: settings.address });
  const worker = await Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    activities: settings.activities,
    workflowsPath: WORKFLOWS_PATH,
    interceptors: { workflowModules: [WORKFLOW_INTERCEPTORS_PATH], activity: [activityLogContext] },
  });
  return { worker, connection };
}
