import type { TransformJobReading, TransformSpec } from '../../activities/flink-job';
import type { StatusSyncRound } from '../../activities/status-sync';
import type { RestartDue } from '../../src/domain/status-sync';
import type { StringMap, Task } from '../../src/domain/task';
import type { StatusSyncResult } from '../../workflows/status-sync';
import { uniqueName } from '../support/stack';
import { transformTaskOf } from '../support/tasks';
import { useWorkflowTestEnv } from '../support/workflow-env';
import { statusSync } from '../../workflows/status-sync';

const FAILED_JOB = 'f'.repeat(32);

function transformOf(id: string): Task {
  return transformTaskOf(id, {
    jobId: FAILED_JOB,
    status: 'FAILED',
    connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQL',
    connectorConfig: { trans_sql: 'INSERT INTO b SELECT * FROM a' },
  });
}

const running: TransformJobReading = { status: 'RUNNING', state: 'RUNNING', terminal: false };

/**
 * statusSync's restart step on a real Temporal dev server with fake activities: each due restart
 * is counted once; a connector is restarted in place, a transform's failed job is resubmitted as
 * a new job by its own transformRestart run (so a slow Flink never holds up the next round).
 */
describe('Status sync: auto-restarts', () => {
  const { client, runWith } = useWorkflowTestEnv();

  it('counts each due restart once, restarts the connector, and resubmits the transform as a new job', async () => {
    const transformId = uniqueName('tr');
    const dues: RestartDue[] = [
      { id: 'conn-1', category: 'CONNECT', connectUid: 'conn-1', attempt: 2, maxRestarts: 3 },
      {
        id: transformId,
        category: 'TRANSFORM',
        connectUid: transformId,
        jobId: FAILED_JOB,
        attempt: 1,
        maxRestarts: 3,
      },
    ];
    const counted = new Set<string>();
    const calls: string[] = [];
    const round: StatusSyncRound = {
      tasks: 2,
      changed: 0,
      overtaken: 0,
      kafkaConnect: 'reachable',
      flink: 'reachable',
      restartsDue: dues,
    };
    const activities = {
      syncStatusRound: async () => round,
      countRestartAttempt: async (due: RestartDue) => {
        const key = `${due.id}#${due.attempt}`;
        const first = !counted.has(key);
        counted.add(key);
        return { counted: first };
      },
      restartFailedConnector: async (name: string) => {
        calls.push(`restart connector ${name}`);
      },
      getTransformTask: async (id: string) => ({
        task: transformOf(id),
        kind: 'TRANSFORM_EXCHANGE_FLINK_SQL' as const,
      }),
      submitTransformJob: async (spec: TransformSpec, jobId: string, restoreFrom?: string) => {
        calls.push(`submit ${spec.config.trans_sql}${restoreFrom ? ` from ${restoreFrom}` : ''}`);
        return { jobId, submitted: true };
      },
      recordTaskJob: async (id: string, jobConfig: StringMap) => {
        calls.push(`record job replacing ${jobConfig.previous_flink_job_id === FAILED_JOB ? 'the failed one' : '?'}`);
        return transformOf(id);
      },
      readTransformJob: async () => running,
      recordTaskStatus: async (id: string, reading: { status: string }) => {
        calls.push(`record ${reading.status}`);
        return transformOf(id);
      },
    };

    await runWith(activities, async (taskQueue) => {
      const first: StatusSyncResult = await client().workflow.execute(statusSync, {
        taskQueue,
        workflowId: uniqueName('sync'),
        args: [],
      });
      expect(first.restarts).toEqual(['conn-1 2/3', `${transformId} 1/3`]);
      const restarted = await client().workflow.getHandle(`df-transform-restart-${transformId}-1`).result();
      expect(restarted.status).toBe('RUNNING');
      expect(restarted.jobId).toMatch(/^[0-9a-f]{32}$/);
      expect(restarted.jobId).not.toBe(FAILED_JOB);

      // A round that sees the same attempts due again (it read before the count landed) makes none.
      const second: StatusSyncResult = await client().workflow.execute(statusSync, {
        taskQueue,
        workflowId: uniqueName('sync'),
        args: [],
      });
      expect(second.restarts).toEqual(['conn-1 2/3 already made', `${transformId} 1/3 already made`]);
    });
    expect(calls).toEqual([
      'restart connector conn-1',
      'submit INSERT INTO b SELECT * FROM a',
      'record job replacing the failed one',
      'record RUNNING',
    ]);
  });
});
