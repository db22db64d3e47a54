import { expectAgreement } from '../faults/support/fault-app';
import { ClusterDeployment, openCluster } from './support/cluster';
import { deleteKept, drillPlan, KillDrill, reportAndCheck, runThroughKill } from './support/kill-drill';

interface Drill {
  title: string;
  /** The scenario's name in the report line. */
  name: string;
  prefix: string;
  drill: KillDrill;
}

const DRILLS: Drill[] = [
  {
    title:
      "a DF API process killed while a request to it is unanswered: the client's retry on the other process, with the same Idempotency-Key, completes every operation once",
    name: 'DF API process killed',
    prefix: 'apik',
    drill: { process: 'df-api-1', service: 'df', killAfter: 12, reviveAfterMs: 'at-end', midRequest: true },
  },
  {
    title:
      "Temporal's history service killed and started again 5 s later: the runs it held resume from PostgreSQL, none lost",
    name: 'Temporal history service killed',
    prefix: 'histk',
    drill: { process: 'temporal-history', service: 'temporal', killAfter: 12, reviveAfterMs: 5000 },
  },
  {
    title: 'a DF worker process killed and left down: the other worker takes its runs over and completes each once',
    name: 'DF worker process killed',
    prefix: 'wrkk',
    drill: { process: 'df-worker-1', service: 'df', killAfter: 12, reviveAfterMs: 'at-end' },
  },
];

/**
 * One process of DF or of Temporal killed (SIGKILL) during a run of 80 connect operations sent to
 * both API processes: every operation ends once, every edit applies once, and the repository
 * equals Kafka Connect.
 */
describe('cluster fault: one process of DF or Temporal killed during connect operations', () => {
  let cluster: ClusterDeployment;
  beforeAll(async () => {
    cluster = await openCluster();
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it.each(DRILLS)('$title', async ({ name, prefix, drill }) => {
    const { plan, removeFiles } = await drillPlan(cluster, prefix, 16);
    const figures = await runThroughKill(cluster, plan, drill, 8);
    await reportAndCheck(cluster, name, plan, figures);
    if (drill.midRequest) expect(figures.requestsAtKill).toBeGreaterThan(0);
    await expectAgreement(cluster, plan, 30_000);

    await deleteKept(cluster, plan);
    await removeFiles();
  });
});
