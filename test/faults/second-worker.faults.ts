import { engineHttp } from '../support/engines';
import { runWorkerProcess, WorkerProcess } from '../support/built-service';
import {
  connectDisagreements,
  lostOperations,
  mixedConnectPlan,
  runConnectPlan,
  scenarioLine,
} from './support/connect-operations';
import { FaultDeployment, runsPerConnect, startFaultDeployment, workerEnv } from './support/fault-app';

const LANES = 16; // 80 operations

/**
 * A second worker process started beside the first, on the same task queue: operations spread
 * over both, and none is run by both (one run each, every edit applied once).
 */
describe('fault: a second worker process beside the first', () => {
  let deployment: FaultDeployment;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    deployment = await startFaultDeployment('two', {}, { worker: false });
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    await deployment?.close();
  });

  it('spreads the operations over both workers and runs none twice', async () => {
    const { app } = deployment;
    const first = runWorkerProcess(workerEnv(app));
    workers.push(first);
    await first.polling;
    const plan = mixedConnectPlan(deployment.prefix, LANES, deployment.dir);
    const running = runConnectPlan(app.api, app.temporal.client, plan, { concurrency: LANES });
    // The second joins while the first is already busy.
    const second = runWorkerProcess(workerEnv(app));
    workers.push(second);
    await second.polling;
    const outcomes = await running;

    // Which process completed each workflow task of each operation run.
    const byWorker = new Map<string, number>();
    for (const outcome of outcomes) {
      if (!outcome.workflowId) continue;
      const history = await app.temporal.client.workflow.getHandle(outcome.workflowId).fetchHistory();
      for (const event of history.events ?? []) {
        const identity = event.workflowTaskCompletedEventAttributes?.identity;
        if (identity) byWorker.set(identity, (byWorker.get(identity) ?? 0) + 1);
      }
    }
    const pids = [first.child.pid, second.child.pid].map(String);
    const tasksOf = (pid: string) =>
      [...byWorker].filter(([identity]) => identity.startsWith(`${pid}@`)).reduce((n, [, c]) => n + c, 0);
    const lost = lostOperations(plan, outcomes);
    const runs = await runsPerConnect(app, plan);
    process.stdout.write(
      scenarioLine('second worker', {
        operations: outcomes.length,
        'workflow tasks by the first worker': tasksOf(pids[0]),
        'by the second': tasksOf(pids[1]),
        'operations lost': lost.count,
      }),
    );

    expect(lost.lines).toEqual([]);
    expect(await connectDisagreements(app.services.tasks, engineHttp(app.config, 'kafkaConnect'), plan)).toEqual([]);
    expect(runs.filter((r) => r.runs !== r.operations)).toEqual([]);
    expect(tasksOf(pids[0])).toBeGreaterThan(0);
    expect(tasksOf(pids[1])).toBeGreaterThan(0);
    // Nobody else worked this task queue.
    expect(tasksOf(pids[0]) + tasksOf(pids[1])).toBe([...byWorker.values()].reduce((a, b) => a + b, 0));
  });
});
