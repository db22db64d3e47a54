import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DF_SEARCH_ATTRIBUTES } from '../../src/protocol/search-attributes';
import { Runtime, DefaultLogger, Worker, bundleWorkflowCode, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { createTaskLockActivities } from '../../activities/task-lock';
import { FakeTaskLockStore } from './fake-task-locks';
import { createVersionActivities } from '../../activities/versions';
import { FakeConfigVersionStore } from './fake-config-versions';
import type { LoseCompletionProbe } from './workflow-faults/lose-completion';
import { activityFailures } from '../../src/temporal/activity-failures';
import { WORKFLOW_INTERCEPTORS_PATH, WORKFLOWS_PATH } from '../../src/temporal/worker';
import { temporalCliPath, uniqueName } from './stack';

/**
 * A real Temporal dev server for workflow specs, started from the stack's CLI binary (never
 * downloaded), with the workflow bundle built once. Activities are fakes given per test; the task
 * lock's and the config versions' own activities are the real ones, over FAKE in-memory stores
 * (`versions`; the versions' task reads are the spec's to give). As on DF's worker, a
 * DfError an activity throws reaches the workflow as the failure codec's failure.
 */
export interface WorkflowTestEnv {
  env: TestWorkflowEnvironment;
  runWith<T>(
    activities: Partial<Activities & LoseCompletionProbe>,
    body: (taskQueue: string) => Promise<T>,
  ): Promise<T>;
  /** The FAKE store the version activities keep versions in. */
  versions: FakeConfigVersionStore;
  teardown(): Promise<void>;
}

/** Options of a spec's environment: workflow interceptor modules to bundle with the workflows (FAKE faults). */
export interface WorkflowTestEnvOptions {
  interceptorModules?: string[];
}

export async function startWorkflowTestEnv(options: WorkflowTestEnvOptions = {}): Promise<WorkflowTestEnv> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath() },
      ip: '127.0.0.1',
      // The workflows tag their runs with DF's search attributes, as on the stack's server.
      searchAttributes: [...DF_SEARCH_ATTRIBUTES],
    },
  });
  const bundle: WorkflowBundleWithSourceMap = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    // The production interceptors (run metrics, the outcome update the API waits on), then the spec's.
    workflowInterceptorModules: [WORKFLOW_INTERCEPTORS_PATH, ...(options.interceptorModules ?? [])],
    logger: new DefaultLogger('WARN'),
  });
  const taskLocks = new FakeTaskLockStore();
  const versions = new FakeConfigVersionStore();
  const noTaskReads = {
    require: async (id: string) => {
      throw new Error(`FAKE: this spec gives no task reads (asked for ${id})`);
    },
  };
  return {
    env,
    versions,
    async runWith(activities, body) {
      const taskQueue = uniqueName('wf');
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: bundle,
        activities: {
          ...createTaskLockActivities({ temporal: env.client, taskLocks }),
          ...createVersionActivities({ versions, tasks: noTaskReads }),
          // A FAKE that tells no webhook: every failed operation calls it (workflows/operation.ts).
          notifyOperationFailed: async () => undefined,
          ...activities,
        },
        interceptors: { activity: [activityFailures] },
      });
      return worker.runUntil(body(taskQueue));
    },
    teardown: () => env.teardown(),
  };
}

/** Starts the environment before the enclosing describe's tests and tears it down after them. */
export function useWorkflowTestEnv(options: WorkflowTestEnvOptions = {}): {
  client: () => WorkflowTestEnv['env']['client'];
  runWith: WorkflowTestEnv['runWith'];
  versions: () => FakeConfigVersionStore;
} {
  let wf: WorkflowTestEnv | undefined;
  beforeAll(async () => {
    wf = await startWorkflowTestEnv(options);
  });
  afterAll(async () => {
    await wf?.teardown();
  });
  return {
    client: () => wf!.env.client,
    runWith: (activities, body) => wf!.runWith(activities, body),
    versions: () => wf!.versions,
  };
}
