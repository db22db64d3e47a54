import { lostOperations, mixedConnectPlan, scenarioLine } from './support/connect-operations';
import { expectAgreement, failedOrLost, FaultDeployment, startFaultDeployment } from './support/fault-app';
import { runThroughOutage } from './support/outage';

/**
 * The store (FerretDB) stopped for 30 s while connect operations run, the status sync going every
 * 2 s: operations wait for it and complete once it is back; the sync records nothing it could not
 * read, marks no task FAILED, and its next rounds find the repository and Kafka Connect agreeing.
 */
describe('fault: the store stopped for 30 s during operations', () => {
  let deployment: FaultDeployment;

  beforeAll(async () => {
    deployment = await startFaultDeployment('sdown', { DF_SYNC_INTERVAL: '2s', DF_SYNC_GRACE: '4s' });
  });
  afterAll(async () => {
    await deployment?.close();
  });

  it('completes every operation once the store is back, with nothing marked FAILED', async () => {
    const { app } = deployment;
    // Twice the other scenarios' lanes: FerretDB serves what it has in hand for about 4.5 s while
    // it stops, and with ten lanes every operation could end within that (once, 0 in flight).
    const plan = mixedConnectPlan(deployment.prefix, 20, deployment.dir);
    const figures = await runThroughOutage(app, plan, {
      service: 'store',
      downMs: 30_000,
      startAfter: 10,
      concurrency: 10,
    });
    const lost = lostOperations(plan, figures.outcomes);
    process.stdout.write(
      scenarioLine('store down', {
        operations: figures.outcomes.length,
        'faults injected': 1,
        'operations in flight at the stop': figures.inFlightAtStop,
        'operations that ended while it was down': figures.endedDuringOutage,
        'seconds down': Math.round(figures.outageMs / 1000),
        'operations lost': lost.count,
      }),
    );

    expect(figures.inFlightAtStop).toBeGreaterThan(0);
    expect(lost.lines).toEqual([]);
    expect(await failedOrLost(app)).toEqual([]);
    await expectAgreement(app, plan, 30_000);
  });
});
