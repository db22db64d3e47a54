import { Hono } from 'hono';
import type { Client } from '@temporalio/client';
import type { InstalledPlugin } from '../../domain/installed';
import type { InstalledRepository } from '../../repository/installed-repository';
import { runWorkflow } from '../../temporal/run';
import { workflowIds } from '../../temporal/workflow-ids';

export interface InstalledRouteDeps {
  temporal: Client;
  taskQueue: string;
  syncWaitMs: number;
  installed: InstalledRepository;
}

/**
 * GET /api/df/config: installed connector plugins, read live from Kafka Connect by workflow
 * installedList. When the run outlasts DF_SYNC_WAIT_MS the last recorded catalogue is served,
 * marked stale, rather than leaving the caller waiting.
 */
export function installedRoutes({ temporal, taskQueue, syncWaitMs, installed }: InstalledRouteDeps) {
  return new Hono().get('/config', async (c) => {
    const outcome = await runWorkflow<InstalledPlugin[]>(temporal, 'installedList', {
      taskQueue,
      workflowId: workflowIds.installedList(),
      waitMs: syncWaitMs,
    });
    c.header('X-DF-Workflow-Id', outcome.workflowId);
    c.header('X-DF-Run-Id', outcome.runId);
    const plugins = outcome.state === 'completed' ? outcome.result : await installed.listAvailable();
    if (outcome.state === 'running') c.header('X-DF-Stale', 'true');
    c.header('X-Total-Count', String(plugins.length));
    return c.json(plugins);
  });
}
