import path from 'node:path';
import type { Task } from '../../src/domain/task';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { lostOperations, mixedConnectPlan, scenarioLine } from './support/connect-operations';
import { expectAgreement, failedOrLost, FaultDeployment, startFaultDeployment } from './support/fault-app';
import { runThroughOutage } from './support/outage';

/**
 * Kafka Connect stopped for 60 s while connect operations run, the status sync going every 2 s:
 * the operations wait for it and complete once it is back; the sync marks the tasks it cannot
 * read unreachable (keeping their status, never FAILED) and clears the mark when Connect answers.
 */
describe('fault: Kafka Connect stopped for 60 s during operations', () => {
  let deployment: FaultDeployment;
  const standing = [uniqueName('cdown_standing'), uniqueName('cdown_standing')];
  const task = async (id: string) =>
    (await deployment.app.api.get(`/ps/${id}`)).data as Task & { unreachableSince?: string };

  beforeAll(async () => {
    deployment = await startFaultDeployment('cdown', { DF_SYNC_INTERVAL: '2s', DF_SYNC_GRACE: '4s' });
    for (const id of standing) {
      const res = await deployment.app.api.post('/ps', {
        id,
        name: id,
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { file: path.join(deployment.dir, `${id}.txt`), topic: id },
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await deployment?.close();
  });

  it('completes every operation once Connect is back; the sync says unreachable meanwhile, not FAILED, and recovers', async () => {
    const { app } = deployment;
    const plan = mixedConnectPlan(deployment.prefix, 10, deployment.dir);
    const seenWhileDown: string[] = [];
    const figures = await runThroughOutage(app, plan, {
      service: 'connect',
      downMs: 60_000,
      startAfter: 10,
      concurrency: 10,
      async whileDown() {
        for (const id of standing) {
          const t = await eventually(
            `${id} marked unreachable`,
            async () => {
              const t = await task(id);
              return t.statusReason === 'unreachable' ? t : undefined;
            },
            30_000,
            500,
          );
          seenWhileDown.push(t.status);
        }
      },
    });
    const lost = lostOperations(plan, figures.outcomes);
    process.stdout.write(
      scenarioLine('Kafka Connect down', {
        operations: figures.outcomes.length,
        'faults injected': 1,
        'operations in flight at the stop': figures.inFlightAtStop,
        'operations that ended while it was down': figures.endedDuringOutage,
        'seconds down': Math.round(figures.outageMs / 1000),
        'operations lost': lost.count,
      }),
    );

    expect(seenWhileDown).toEqual(['RUNNING', 'RUNNING']);
    expect(figures.inFlightAtStop).toBeGreaterThan(0);
    expect(lost.lines).toEqual([]);
    expect(await failedOrLost(app)).toEqual([]);
    // Connect restarts its connectors after a rebalance: the two sides agree once it has.
    await expectAgreement(app, plan, 60_000);
    for (const id of standing) {
      const back = await eventually(
        `${id} reachable again`,
        async () => {
          const t = await task(id);
          return t.statusReason !== 'unreachable' && t.status === 'RUNNING' ? t : undefined;
        },
        60_000,
        500,
      );
      expect(back.unreachableSince).toBeUndefined();
    }
  });
});
