import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import type { StatusSyncActivities, StatusSyncRound } from '../activities/status-sync';
import { workflowIds } from '../src/protocol/workflow-ids';
import type { RestartDue } from '../src/domain/status-sync';
import { messageOf } from '../src/protocol/failure-codec';
import { transformRestart } from './transform';
import { tagRun } from './run-tags';

/**
 * A round is cheap and the next one comes within seconds: a few quick retries, then the round
 * fails and the schedule's next one starts from fresh readings.
 */
const act = proxyActivities<StatusSyncActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 3 },
});

export interface StatusSyncResult extends Omit<StatusSyncRound, 'restartsDue'> {
  /** Auto-restarts made this round: "<task id> <attempt>/<max>", or why one could not be made. */
  restarts: string[];
}

async function restart(due: RestartDue): Promise<string> {
  const label = `${due.id} ${due.attempt}/${due.maxRestarts}`;
  const { counted } = await act.countRestartAttempt(due);
  if (!counted) return `${label} already made`;
  try {
    if (due.category === 'TRANSFORM' && due.jobId) {
      // A resubmission takes a while and holds the task's lock: it runs on its own, not in the round.
      await startChild(transformRestart, {
        workflowId: workflowIds.transformRestart(due.id, due.attempt),
        args: [{ id: due.id, jobId: due.jobId }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } else {
      await act.restartFailedConnector(due.connectUid);
    }
    return label;
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError) return `${label} already under way`;
    return `${label} failed: ${messageOf(error)}`;
  }
}

/**
 * statusSync: one round of the status sync, started by the df-status-sync schedule (overlap: skip).
 * Reads each engine once, records what changed, then makes the auto-restarts that are due.
 */
export async function statusSync(): Promise<StatusSyncResult> {
  tagRun({
    category: 'SYNC',
    summary: 'status sync round: repository statuses brought in line with Kafka Connect and Flink',
  });
  const { restartsDue, ...round } = await act.syncStatusRound();
  const restarts: string[] = [];
  for (const due of restartsDue) restarts.push(await restart(due));
  return { ...round, restarts };
}
