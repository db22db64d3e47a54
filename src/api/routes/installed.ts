import { Hono, type Context } from 'hono';
import type { Client } from '@temporalio/client';
import { connectorForm, formConfig } from '../../domain/connector-fields';
import { z } from 'zod';
import { configMap, toStringMap } from '../../domain/task-input';
import { parseOrThrow, validationError } from '../../domain/validation';
import type { KafkaConnectClient } from '../../ras/kafka-connect';
import type { InstalledRepository } from '../../repository/installed-repository';
import { runWorkflow } from '../../temporal/run';
import { workflowIds } from '../../protocol/workflow-ids';
import { installedList } from '../../../workflows/installed';
import type { ReachGuard } from '../../reach-guard';
import { jsonObjectBody } from '../request-body';

export interface InstalledRouteDeps {
  temporal: Client;
  taskQueue: string;
  syncWaitMs: number;
  installed: InstalledRepository;
  kafkaConnect: KafkaConnectClient;
  reach: ReachGuard;
}

/** POST /config/:class/validate: the values entered so far. */
const validateBody = z.object({ connectorConfig: configMap });

const CLASS_PATTERN = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

function connectorClassParam(c: Context): string {
  const raw = c.req.param('class') ?? '';
  if (!CLASS_PATTERN.test(raw) || raw.length > 300) {
    throw validationError(`${raw} is not a connector class name`, {
      class: ['expected a Java class name, e.g. org.apache.kafka.connect.file.FileStreamSourceConnector'],
    });
  }
  return raw;
}

/**
 * GET /api/df/config: installed connector plugins, read live from Kafka Connect by workflow
 * installedList. When the run outlasts DF_SYNC_WAIT_MS the last recorded catalogue is served,
 * marked stale, rather than leaving the caller waiting.
 *
 * GET /config/:class/fields and POST /config/:class/validate: the plugin's config definition as
 * form fields (what the web console builds its forms from), with Kafka Connect's per-field errors
 * for the values given. Both only read: validate creates nothing.
 */
export function installedRoutes({
  temporal,
  taskQueue,
  syncWaitMs,
  installed,
  kafkaConnect,
  reach,
}: InstalledRouteDeps) {
  const form = async (connectorClass: string, values: Record<string, string>) => {
    const answer = await kafkaConnect.validate(connectorClass, formConfig(connectorClass, values));
    return connectorForm(connectorClass, answer.configs);
  };
  return new Hono()
    .get('/config', async (c) => {
      const outcome = await runWorkflow(temporal, installedList, {
        taskQueue,
        workflowId: workflowIds.installedList(taskQueue),
        args: [],
        waitMs: syncWaitMs,
      });
      c.header('X-DF-Workflow-Id', outcome.workflowId);
      c.header('X-DF-Run-Id', outcome.runId);
      const plugins = outcome.state === 'completed' ? outcome.result : await installed.listAvailable();
      if (outcome.state === 'running') c.header('X-DF-Stale', 'true');
      c.header('X-Total-Count', String(plugins.length));
      return c.json(plugins);
    })
    .get('/config/:class/fields', async (c) => c.json(await form(connectorClassParam(c), {})))
    .post('/config/:class/validate', async (c) => {
      const connectorClass = connectorClassParam(c);
      const body = parseOrThrow(validateBody, await jsonObjectBody(c), 'config check');
      const values = toStringMap(body.connectorConfig);
      reach.connectCheck(connectorClass, values);
      return c.json(await form(connectorClass, values));
    });
}
