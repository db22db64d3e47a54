import { Client, Connection, WorkflowIdConflictPolicy } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runWorkflow } from '../../../src/temporal/run';
import { uniqueName } from '../../../test/support/stack';
import { msSince } from '../stats';
import { startFloorWorker } from './worker';
import { operationOutcome } from '../../../src/protocol/operation-outcome';
import { floorEmpty, floorOperation, floorSteps } from './workflows';

/**
 * What Temporal alone costs an operation on this machine, on the same dev server as the benchmark:
 * a worker in this process runs workflows that do nothing (bench/support/floor), each started and
 * answered as the API starts DF's and gets their answer (update-with-start). Timed between the benchmark's own runs, so all see
 * the same load (Kafka Connect runs more connectors as an add benchmark goes on).
 */
export interface TemporalFloor {
  /** One run of floorEmpty (a start, one workflow task, the result), in ms. */
  empty(): Promise<number>;
  /** One run of floorSteps(steps): the same with that many no-op local activities, in ms. */
  steps(steps: number): Promise<number>;
  /** One floorOperation(steps) (the steps, the answer, one activity after it) started as the API does, in ms to the answer. */
  operation(steps: number): Promise<number>;
  /**
   * The same started eagerly: a plain start with requestEagerStart on the worker's own connection
   * (the server refuses eager execution in update-with-start), then the outcome update.
   */
  eagerOperation(steps: number): Promise<{ ms: number; eager: boolean }>;
  stop(): Promise<void>;
}

export async function startTemporalFloor(address: string, namespace: string): Promise<TemporalFloor> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Installed already by an earlier benchmark in this process.
  }
  const taskQueue = uniqueName('bench-floor');
  const { worker, nativeConnection, running } = await startFloorWorker(address, namespace, taskQueue);
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  const timeRun = async <W extends Workflow>(workflow: W, args: Parameters<W>) => {
    const start = process.hrtime.bigint();
    // Started and answered as the API starts and answers DF's runs (update-with-start).
    await runWorkflow(client, workflow, {
      taskQueue,
      workflowId: uniqueName(`bench-floor-${workflow.name}`),
      args,
      waitMs: 60_000,
    });
    return msSince(start);
  };
  // Eager start needs the client on the worker's own native connection.
  const eagerClient = new Client({ connection: nativeConnection, namespace });
  const eagerRun = async (steps: number) => {
    const start = process.hrtime.bigint();
    const handle = await eagerClient.workflow.start(floorOperation, {
      taskQueue,
      workflowId: uniqueName('bench-floor-eager'),
      args: [steps],
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      requestEagerStart: true,
    });
    await handle.executeUpdate(operationOutcome);
    return { ms: msSince(start), eager: handle.eagerlyStarted };
  };
  return {
    empty: () => timeRun(floorEmpty, []),
    steps: (steps) => timeRun(floorSteps, [steps]),
    operation: (steps) => timeRun(floorOperation, [steps]),
    eagerOperation: eagerRun,
    async stop() {
      worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
    },
  };
}
