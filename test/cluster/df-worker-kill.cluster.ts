import { expectAgreement } from '../faults/support/fault-app';
import { ClusterDeployment, openCluster } from './support/cluster';
import { deleteKept, drillPlan, reportAndCheck, runThroughKill } from './support/kill-drill';

/**
 * One of the two DF worker processes killed during a run of connect operations and left down:
 * the other worker takes over its workflow and activity tasks and completes every run, once.
 */
describe('cluster fault: a DF worker process killed', () => {
  let cluster: ClusterDeployment;
  beforeAll(async () => {
    cluster = await openCluster();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('completes its runs on the other worker', async () => {
    const { plan, removeFiles } = await drillPlan(cluster, 'wrkk', 16);
    const figures = await runThroughKill(
      cluster,
      plan,
      { process: 'df-worker-1', service: 'df', killAfter: 12, reviveAfterMs: 'at-end' },
      8,
    );
    await reportAndCheck(cluster, 'DF worker process killed', plan, figures);
    await expectAgreement(cluster, plan, 30_000, cluster.connectUrls[0]);

    await deleteKept(cluster, plan);
    await removeFiles();
  });
});
