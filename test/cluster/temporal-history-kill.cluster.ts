import { expectAgreement } from '../faults/support/fault-app';
import { ClusterDeployment, openCluster } from './support/cluster';
import { deleteKept, drillPlan, reportAndCheck, runThroughKill } from './support/kill-drill';

/**
 * Temporal's history service (the only one of its kind in the cluster) killed and started again
 * during a run of connect operations: the runs it held resume from PostgreSQL, none is lost.
 */
describe("cluster fault: Temporal's history service killed and restarted", () => {
  let cluster: ClusterDeployment;
  beforeAll(async () => {
    cluster = await openCluster();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('loses no run: every operation completes once after the history service is back', async () => {
    const { plan, removeFiles } = await drillPlan(cluster, 'histk', 16);
    const figures = await runThroughKill(
      cluster,
      plan,
      { process: 'temporal-history', service: 'temporal', killAfter: 12, reviveAfterMs: 5000 },
      8,
    );
    await reportAndCheck(cluster, 'Temporal history service killed', plan, figures);
    await expectAgreement(cluster, plan, 30_000, cluster.connectUrls[0]);

    await deleteKept(cluster, plan);
    await removeFiles();
  });
});
