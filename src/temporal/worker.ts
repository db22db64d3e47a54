import fs from 'node:fs';
import path from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Activities } from '../../activities';
import { activityFailures } from './activity-failures';
import { activityLogContext } from './activity-log-context';
import type { PayloadCodec } from '@temporalio/common';
import type { TemporalConnection } from './connection-config';
import { nativeConnectionOptions } from './connection-options';

export interface WorkerSettings {
  connection: TemporalConnection;
  namespace: string;
  taskQueue: string;
  /** Workflow runs kept in memory between their steps; a run pushed out is replayed from its history. */
  maxCachedWorkflows: number;
  activities: Activities;
  /** The codec of payloads (DF_PAYLOAD_KEY); the API's client must use the same keys. */
  payloadCodec?: PayloadCodec;
}

export const WORKFLOWS_PATH = require.resolve('../../workflows');
/** Workflow interceptors: the run counter. */
export const WORKFLOW_INTERCEPTORS_PATH = require.resolve('../../workflows/interceptors');

/** The build's workflow bundle (scripts/bundle-workflows.js), beside the compiled code; absent when running from source. */
const PREBUILT_BUNDLE = path.resolve(__dirname, '../../workflow-bundle.js');

export async function createWorker(
  settings: WorkerSettings,
): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = await NativeConnection.connect(nativeConnectionOptions(settings.connection));
  // The prebuilt bundle already holds the workflow interceptors; from source, webpack bundles both now.
  const prebuilt = fs.existsSync(PREBUILT_BUNDLE);
  const worker = await Worker.create({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    activities: settings.activities,
    maxCachedWorkflows: settings.maxCachedWorkflows,
    ...(settings.payloadCodec ? { dataConverter: { payloadCodecs: [settings.payloadCodec] } } : {}),
    ...(prebuilt ? { workflowBundle: { codePath: PREBUILT_BUNDLE } } : { workflowsPath: WORKFLOWS_PATH }),
    interceptors: {
      // The first is outermost: the log context sees the failure the codec made of a DfError.
      activity: [activityLogContext, activityFailures],
      ...(prebuilt ? {} : { workflowModules: [WORKFLOW_INTERCEPTORS_PATH] }),
    },
  });
  return { worker, connection };
}
