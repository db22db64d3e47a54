import { DefaultLogger, NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_INTERCEPTORS_PATH } from '../../../src/temporal/worker';
import { floorActivities } from './activities';

/** A worker running the floor workflows, and the connection it polls on (an eager start's client needs it). */
export interface FloorWorker {
  worker: Worker;
  nativeConnection: NativeConnection;
  /** Settles once the worker has shut down. */
  running: Promise<void>;
}

/**
 * Starts a worker for the floor workflows, bundled with DF's run interceptors so the floor runs
 * answer the outcome update as DF's runs do.
 */
export async function startFloorWorker(
  address: string,
  namespace: string,
  taskQueue: string,
  maxCachedWorkflows?: number,
): Promise<FloorWorker> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('./workflows'),
    workflowInterceptorModules: [WORKFLOW_INTERCEPTORS_PATH],
    logger: new DefaultLogger('WARN'),
  });
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: { code },
    activities: floorActivities,
    ...(maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows }),
  });
  return { worker, nativeConnection, running: worker.run() };
}
