import { expectAgreement } from '../faults/support/fault-app';
import { ClusterDeployment, openCluster } from './support/cluster';
import { deleteKept, drillPlan, reportAndCheck, runThroughKill } from './support/kill-drill';

/**
 * One of the two DF API processes killed while a request to it is unanswered: the client sends
 * that request again, with the same Idempotency-Key, to the other process, and each operation
 * still runs exactly once.
 */
describe('cluster fault: a DF API process killed mid-request', () => {
  let cluster: ClusterDeployment;
  beforeAll(async () => {
    cluster = await openCluster();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it("completes every operation once through the other process's retries", async () => {
    const { plan, removeFiles } = await drillPlan(cluster, 'apik', 16);
    const figures = await runThroughKill(
      cluster,
      plan,
      { process: 'df-api-1', service: 'df', killAfter: 12, reviveAfterMs: 'at-end', midRequest: true },
      8,
    );
    await reportAndCheck(cluster, 'DF API process killed', plan, figures);
    expect(figures.requestsAtKill).toBeGreaterThan(0);
    await expectAgreement(cluster, plan, 30_000, cluster.connectUrls[0]);

    await deleteKept(cluster, plan);
    await removeFiles();
  });
});
