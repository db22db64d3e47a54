/**
 * Records the histories that test/replay/replay.test.ts replays: one run of each task-lock
 * operation, with FAKE activities, on a dev server from the stack's CLI. Run it with the code
 * *before* a change that needs patched(), so the replay spec proves the change keeps those runs;
 * and with today's code once a patch is deprecated, so histories carrying its deprecated marker
 * are there before its deprecatePatch() call goes (docs/architecture.md, "Patches and replay"):
 *
 *   git worktree add /tmp/before <commit> && cd /tmp/before && npm ci && npx tsc -p tsconfig.json
 *   cp <this file> test/replay/ && npx tsc -p tsconfig.json
 *   node dist/test/replay/record-histories.js <repo>/test/fixtures/histories/<label>
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { ApplicationFailure, type Workflow } from '@temporalio/common';
import type { Activities } from '../../activities';
import type { PreparedConnectAdd, PreparedConnectUpdate } from '../../activities/connect';
import type { StatusReading } from '../../src/domain/status';
import type { Task } from '../../src/domain/task';
import { runWorkflow } from '../../src/temporal/run';
import { connectTaskOf, transformTaskOf } from '../support/tasks';
import { startWorkflowTestEnv } from '../support/workflow-env';
import { connectAction, connectAdd, connectDelete, connectUpdate } from '../../workflows/connect';
import { transformSavepoint } from '../../workflows/transform';

function taskOf(id: string, status: Task['status'] = 'RUNNING', file = '/old'): Task {
  return connectTaskOf(id, { status, connectorConfig: { 'connector.class': 'C', name: id, file } });
}

const ID = 'replay-task';
const TRANSFORM = transformTaskOf(ID, {
  jobId: 'a'.repeat(32),
  connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQL',
  connectorConfig: { sql: 'SELECT 1' },
});
const added: PreparedConnectAdd = {
  id: ID,
  taskSeq: '1',
  name: ID,
  description: '',
  connectorType: 'CONNECT_SOURCE_X',
  connectorConfig: { 'connector.class': 'C', name: ID, file: '/old' },
};
const updated: PreparedConnectUpdate = {
  task: taskOf(ID),
  edit: { connectorConfig: { 'connector.class': 'C', name: ID, file: '/new' } },
};

/** FAKE steps: each answers what the real one would for a connector that starts at once. */
const fakes: Partial<Activities> = {
  prepareConnectAdd: async () => added,
  insertConnectTask: async () => ({ ...taskOf(ID), status: 'UNASSIGNED' }),
  createConnector: async () => ({ created: true }),
  prepareConnectUpdate: async () => updated,
  putConnectorConfig: async () => undefined,
  editTask: async () => ({ ...taskOf(ID, 'RUNNING', '/new'), revision: 2 }),
  getConnectTask: async () => taskOf(ID),
  // A resume is refused as Kafka Connect refuses one it cannot do: the run records a failed operation.
  controlConnector: async (_name: string, action: string) => {
    if (action === 'resume') throw ApplicationFailure.nonRetryable('Connector replay-task not found', 'NOT_FOUND');
  },
  deleteConnector: async () => ({ existed: true }),
  removeTask: async () => ({ removed: true }),
  readConnectStatus: async () => ({ status: 'PAUSED' }),
  awaitConnectStatus: async (_name: string, target: string) => ({
    reading: { status: target as Task['status'] },
    settled: true,
  }),
  awaitConnectApplied: async (_name: string, target: string) => ({
    reading: { status: target as Task['status'] },
    settled: true,
  }),
  recordTaskStatus: async (_id: string, reading: StatusReading) => taskOf(ID, reading.status),
  getTransformTask: async () => ({ task: TRANSFORM, kind: 'TRANSFORM_EXCHANGE_FLINK_SQL' }),
  readTransformJob: async () => ({ status: 'RUNNING', state: 'RUNNING', terminal: false }),
  triggerJobSavepoint: async () => 'trigger',
  savepointProgress: async () => ({ done: true, path: 'file:///tmp/savepoint-1' }),
  addTaskSavepoint: async () => TRANSFORM,
  recordTaskJob: async () => TRANSFORM,
  recordConfigVersion: async () => ({ version: 2 }),
  notifyOperationFailed: async () => undefined,
};

type Start = (client: Client, taskQueue: string, workflowId: string) => Promise<unknown>;

/** A run started as the API starts them (with the outcome update, where the code has one). */
function run<W extends Workflow>(name: string, workflow: W, ...args: Parameters<W>): [string, Start] {
  return [
    name,
    (client, taskQueue, workflowId) => runWorkflow(client, workflow, { taskQueue, workflowId, args, waitMs: 30_000 }),
  ];
}

const RUNS: [string, Start][] = [
  run('connect-add', connectAdd, {}),
  run('connect-update', connectUpdate, { id: ID }),
  run('connect-action', connectAction, { id: ID, action: 'pause' }),
  run('connect-action-refused', connectAction, { id: ID, action: 'resume' }),
  run('connect-delete', connectDelete, { id: ID }),
  run('transform-savepoint', transformSavepoint, { id: ID }),
];

async function main(outDir: string): Promise<void> {
  fs.mkdirSync(outDir, { recursive: true });
  const wf = await startWorkflowTestEnv();
  try {
    await wf.runWith(fakes, async (taskQueue) => {
      for (const [name, start] of RUNS) {
        const workflowId = `replay-${name}`;
        const handle = wf.env.client.workflow.getHandle(workflowId);
        const ended = start(wf.env.client, taskQueue, workflowId).then(() => handle.result());
        // A run named "-refused" is recorded as it failed; any other must succeed.
        if (name.endsWith('-refused'))
          await ended.then(
            () => Promise.reject(new Error(`${name} succeeded`)),
            () => undefined,
          );
        else await ended;
        fs.writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(await handle.fetchHistory(), null, 1));
      }
    });
  } finally {
    await wf.teardown();
  }
}

main(path.resolve(process.argv[2] ?? 'histories')).catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
