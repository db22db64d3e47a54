import axios from 'axios';
import { ConnectStatusReport } from '../../src/domain/status';
import { expectAgreement } from '../faults/support/fault-app';
import { ClusterDeployment, openCluster } from './support/cluster';
import { deleteKept, drillPlan, reportAndCheck, runThroughKill } from './support/kill-drill';

/**
 * One of the two Kafka Connect workers killed during a run of connect operations: the group gives
 * its connectors and tasks to the other worker, DF's operations go on through that one, and the
 * repository and Kafka Connect agree at the end, every connect RUNNING on the survivor.
 */
describe('cluster fault: a Kafka Connect worker killed', () => {
  let cluster: ClusterDeployment;
  beforeAll(async () => {
    cluster = await openCluster();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('moves its connectors to the other worker, and DF loses no operation', async () => {
    const { plan, removeFiles } = await drillPlan(cluster, 'cwk', 16);
    const figures = await runThroughKill(
      cluster,
      plan,
      { process: 'connect-1', service: 'connect', killAfter: 12, reviveAfterMs: 'at-end' },
      8,
    );
    const survivor = cluster.connectUrls[1];
    const agreedFrom = Date.now();
    await expectAgreement(cluster, plan, 120_000, survivor);
    const agreedAfterPlan = Date.now() - agreedFrom;
    await reportAndCheck(cluster, 'Connect worker killed', plan, figures, {
      'seconds until repository and Connect agreed after the run': (agreedAfterPlan / 1000).toFixed(1),
    });

    const { data } = await axios.get<Record<string, { status: ConnectStatusReport }>>(
      `${survivor}/connectors?expand=status`,
    );
    const kept = plan.expected.filter((e) => e.kept).map((e) => e.id);
    const elsewhere = kept.filter((id) => data[id]?.status.connector?.worker_id !== new URL(survivor).host);
    expect(elsewhere).toEqual([]);

    await deleteKept(cluster, plan);
    await removeFiles();
  });
});
