import axios from 'axios';
import { ConnectStatusReport } from '../../src/domain/status';
import { expectAgreement } from '../faults/support/fault-app';
import { eventually } from '../support/wait';
import { ClusterDeployment, openCluster, reviveService } from './support/cluster';
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
      { process: 'connect-1', service: 'connect', killAfter: 12, reviveAfterMs: 'by-caller' },
      8,
    );
    try {
      // The group waits scheduled.rebalance.max.delay.ms for the worker to come back, then gives
      // its connectors and tasks to the survivor: until then Connect still reports them RUNNING there.
      const survivor = cluster.connectUrls[1];
      const kept = plan.expected.filter((e) => e.kept).map((e) => e.id);
      const notMoved = async () => {
        const { data } = await axios.get<Record<string, { status: ConnectStatusReport }>>(
          `${survivor}/connectors?expand=status`,
        );
        return kept.filter((id) => {
          const status = data[id]?.status;
          const workers = [status?.connector, ...(status?.tasks ?? [])].map((s) => `${s?.state}@${s?.worker_id}`);
          return workers.some((w) => w !== `RUNNING@${new URL(survivor).host}`);
        });
      };
      const movedMs = await eventually(
        'every connector and task RUNNING on the surviving worker',
        async () => ((await notMoved()).length === 0 ? Date.now() - figures.killedAt : undefined),
        180_000,
        1000,
      ).catch(async (error: unknown) => {
        expect(await notMoved()).toEqual([]);
        throw error;
      });
      const agreedFrom = Date.now();
      await expectAgreement(cluster, plan, 120_000);
      await reportAndCheck(cluster, 'Connect worker killed', plan, figures, {
        'seconds until its connectors ran on the other worker': (movedMs / 1000).toFixed(1),
        'seconds more until the repository agreed': ((Date.now() - agreedFrom) / 1000).toFixed(1),
      });
    } finally {
      await reviveService('connect');
    }
    await deleteKept(cluster, plan);
    await removeFiles();
  });
});
