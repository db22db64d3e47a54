import { lostOperations, mixedConnectPlan, scenarioLine } from './support/connect-operations';
import { expectAgreement, FaultDeployment, runsPerConnect, startFaultDeployment } from './support/fault-app';
import { runThroughOutage } from './support/outage';

/**
 * The Temporal dev server stopped and started again while connect operations run: every run
 * resumes from the server's SQLite file where it stood, and ends as it would have.
 */
describe('fault: the Temporal dev server restarted during operations', () => {
  let deployment: FaultDeployment;

  beforeAll(async () => {
    deployment = await startFaultDeployment('tmpr');
  });
  afterAll(async () => {
    await deployment?.close();
  });

  it('loses no run: every operation in flight at the restart completes, once', async () => {
    const { app } = deployment;
    const plan = mixedConnectPlan(deployment.prefix, 12, deployment.dir);
    const figures = await runThroughOutage(app, plan, {
      service: 'temporal',
      downMs: 5000,
      startAfter: 12,
      concurrency: 12,
    });
    const lost = lostOperations(plan, figures.outcomes);
    process.stdout.write(
      scenarioLine('Temporal restart', {
        operations: figures.outcomes.length,
        'faults injected': 1,
        'operations in flight at the stop': figures.inFlightAtStop,
        'seconds down': Math.round(figures.outageMs / 1000),
        'operations lost': lost.count,
        'resubmitted requests': figures.outcomes.filter((o) => o.submits > 1).length,
      }),
    );

    expect(figures.inFlightAtStop).toBeGreaterThan(0);
    expect(lost.lines).toEqual([]);
    await expectAgreement(app, plan, 10_000);
    expect((await runsPerConnect(app, plan)).filter((r) => r.runs !== r.operations)).toEqual([]);
  });
});
