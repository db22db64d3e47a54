import {
  Client,
  ScheduleAlreadyRunning,
  ScheduleOptions,
  ScheduleOverlapPolicy,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/client';
import type { Config } from '../config';
import { log } from '../logger';
import { workflowIds } from '../protocol/workflow-ids';
import { startupSync } from '../../workflows/startup-sync';
import { statusSync } from '../../workflows/status-sync';

/**
 * The df-status-sync schedule: a statusSync round every DF_SYNC_INTERVAL, never two at once (a
 * round still running when the next is due makes that one skip). Created, or brought in line with
 * the config, by every worker that starts, so the last deployed config wins.
 */
export async function ensureStatusSyncSchedule(
  client: Client,
  taskQueue: string,
  intervalMs: number,
): Promise<'created' | 'updated'> {
  const scheduleId = workflowIds.statusSyncSchedule(taskQueue);
  const options: ScheduleOptions = {
    scheduleId,
    spec: { intervals: [{ every: intervalMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: statusSync,
      args: [],
      taskQueue,
      workflowId: scheduleId,
      workflowRunTimeout: '5 minutes',
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
  };
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (error) {
    if (!(error instanceof ScheduleAlreadyRunning)) throw error;
    await client.schedule.getHandle(scheduleId).update((previous) => ({
      ...previous,
      spec: options.spec,
      action: options.action,
      policies: { ...previous.policies, ...options.policies },
      state: { ...previous.state, paused: false },
    }));
    return 'updated';
  }
}

/** Starts startupSync unless one is already running for this deployment. */
export async function startStartupSync(client: Client, taskQueue: string): Promise<string> {
  const workflowId = workflowIds.startupSync(taskQueue);
  try {
    await client.workflow.start(startupSync, { taskQueue, workflowId, args: [] });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
  return workflowId;
}

/** What a starting worker sets going: the periodic status sync and, unless turned off, the startup sync. */
export async function startSyncs(client: Client, config: Config): Promise<void> {
  const { taskQueue } = config.temporal;
  if (config.sync.intervalMs > 0) {
    const outcome = await ensureStatusSyncSchedule(client, taskQueue, config.sync.intervalMs);
    log('info', `status sync schedule ${outcome}`, {
      scheduleId: workflowIds.statusSyncSchedule(taskQueue),
      everyMs: config.sync.intervalMs,
    });
  }
  if (config.sync.onStartup) {
    log('info', 'startup sync started', { workflowId: await startStartupSync(client, taskQueue) });
  }
}
