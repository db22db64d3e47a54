import { engineHttp } from '../support/engines';
import { runWorkerProcess, WorkerProcess } from '../support/built-service';
import {
  connectDisagreements,
  InFlight,
  lostOperations,
  mixedConnectPlan,
  runConnectPlan,
  scenarioLine,
} from './support/connect-operations';
import { FaultDeployment, runsPerConnect, startFaultDeployment, workerEnv } from './support/fault-app';

const KILLS = 20;
const LANES = 40; // five operations each: 200

/**
 * The worker is killed outright (SIGKILL: no shutdown, work in hand simply gone) twenty times
 * while 200 connect operations run, and a new one started each time. Every operation still ends
 * well, each once, and Kafka Connect holds exactly what the repository says.
 */
describe('fault: the worker killed with SIGKILL 20 times during 200 mixed connect operations', () => {
  let deployment: FaultDeployment;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    deployment = await startFaultDeployment('kill', {}, { worker: false });
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await deployment?.close();
  });

  it('completes every operation exactly once, and Kafka Connect and the repository agree at the end', async () => {
    const { app } = deployment;
    const start = async () => {
      const worker = runWorkerProcess(workerEnv(app));
      workers.push(worker);
      await worker.polling;
      return worker;
    };
    let current = await start();
    const plan = mixedConnectPlan(deployment.prefix, LANES, deployment.dir);
    const inFlight = new InFlight();
    let done = false;
    const started = Date.now();
    const running = runConnectPlan(app.api, app.temporal.client, plan, { concurrency: 10 }, inFlight).finally(() => {
      done = true;
    });

    // Each kill lands while operations are in flight; the next worker comes up at once.
    const inFlightAtKill: number[] = [];
    while (inFlightAtKill.length < KILLS && !done) {
      await new Promise((r) => setTimeout(r, 500 + Math.random() * 1000));
      if (done) break;
      inFlightAtKill.push(inFlight.count);
      current.child.kill('SIGKILL');
      current = await start();
    }
    const outcomes = await running;
    const lost = lostOperations(plan, outcomes);
    const disagreements = await connectDisagreements(app.services.tasks, engineHttp(app.config, 'kafkaConnect'), plan);
    const runs = await runsPerConnect(app, plan);
    process.stdout.write(
      scenarioLine('worker SIGKILL', {
        operations: outcomes.length,
        'faults injected': inFlightAtKill.length,
        'operations in flight at the kills': inFlightAtKill.reduce((a, b) => a + b, 0),
        'operations lost': lost.count,
        'resubmitted requests': outcomes.filter((o) => o.submits > 1).length,
        seconds: Math.round((Date.now() - started) / 1000),
      }),
    );

    expect(inFlightAtKill).toHaveLength(KILLS);
    expect(inFlightAtKill.every((n) => n > 0)).toBe(true);
    expect(lost.lines).toEqual([]);
    expect(outcomes).toHaveLength(plan.size);
    expect(disagreements).toEqual([]);
    // One run per operation: none was started twice, however often its worker died under it.
    expect(runs.filter((r) => r.runs !== r.operations)).toEqual([]);
  });
});
