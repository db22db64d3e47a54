import type { InstalledPlugin } from '../../src/domain/installed';
import { DfError } from '../../src/domain/errors';
import { runWorkflow } from '../../src/temporal/run';
import { installedList } from '../../workflows/installed';
import { uniqueName } from '../support/stack';
import { useWorkflowTestEnv } from '../support/workflow-env';

const PLUGINS: InstalledPlugin[] = [
  { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '4.3.1' },
  { class: 'com.mongodb.kafka.connect.MongoSinkConnector', type: 'sink', version: '2.0.1' },
];

/**
 * installedList on a real Temporal dev server (the stack's CLI binary, never downloaded) with
 * fake activities: the workflow's own sequencing, retries and failure mapping.
 */
describe('workflow installedList', () => {
  const { client, runWith } = useWorkflowTestEnv();

  it('lists the plugins, records them, and returns them', async () => {
    const calls: string[] = [];
    const recorded: InstalledPlugin[][] = [];
    const result = await runWith(
      {
        listConnectorPlugins: async () => {
          calls.push('list');
          return PLUGINS;
        },
        recordInstalledPlugins: async (plugins: InstalledPlugin[]) => {
          calls.push('record');
          recorded.push(plugins);
          return { upserted: 2, unavailable: 0 };
        },
      },
      (taskQueue) => client().workflow.execute(installedList, { taskQueue, workflowId: uniqueName('installed') }),
    );
    expect(result).toEqual(PLUGINS);
    expect(calls).toEqual(['list', 'record']);
    expect(recorded).toEqual([PLUGINS]);
  });

  it('retries while Kafka Connect is unreachable, then completes', async () => {
    let attempts = 0;
    const result = await runWith(
      {
        listConnectorPlugins: async () => {
          attempts += 1;
          if (attempts < 3)
            throw new DfError(
              'RAS_UNREACHABLE',
              'kafka-connect unreachable at http://127.0.0.1:8083/connector-plugins: ECONNREFUSED',
            );
          return PLUGINS;
        },
        recordInstalledPlugins: async () => ({ upserted: 0, unavailable: 0 }),
      },
      (taskQueue) => client().workflow.execute(installedList, { taskQueue, workflowId: uniqueName('installed') }),
    );
    expect(result).toEqual(PLUGINS);
    expect(attempts).toBe(3);
  });

  it('fails at once on a RAS 4xx and hands the caller its status and message', async () => {
    let attempts = 0;
    const failure = runWith(
      {
        listConnectorPlugins: async (): Promise<InstalledPlugin[]> => {
          attempts += 1;
          throw new DfError('RAS_CLIENT_ERROR', 'kafka-connect answered 401 to GET /connector-plugins: Unauthorized', {
            httpStatus: 400,
            details: { ras: 'kafka-connect', status: 401, rasMessage: 'Unauthorized' },
          });
        },
        recordInstalledPlugins: async () => ({ upserted: 0, unavailable: 0 }),
      },
      (taskQueue) =>
        runWorkflow(client(), installedList, {
          taskQueue,
          workflowId: uniqueName('installed'),
          args: [],
          waitMs: 20000,
        }),
    );
    await expect(failure).rejects.toMatchObject({
      name: 'DfError',
      code: 'RAS_CLIENT_ERROR',
      httpStatus: 400,
      details: { ras: 'kafka-connect', status: 401, rasMessage: 'Unauthorized' },
    });
    expect(attempts).toBe(1);
  });

  it('joins the run already going under the same business id instead of starting a second', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let lists = 0;
    const workflowId = uniqueName('installed');
    const [a, b] = await runWith(
      {
        listConnectorPlugins: async () => {
          lists += 1;
          await gate;
          return PLUGINS;
        },
        recordInstalledPlugins: async () => ({ upserted: 0, unavailable: 0 }),
      },
      async (taskQueue) => {
        const first = runWorkflow(client(), installedList, {
          taskQueue,
          workflowId,
          args: [],
          waitMs: 20000,
        });
        const second = runWorkflow(client(), installedList, {
          taskQueue,
          workflowId,
          args: [],
          waitMs: 20000,
        });
        setTimeout(release, 500);
        return Promise.all([first, second]);
      },
    );
    expect(a.runId).toBe(b.runId);
    expect(lists).toBe(1);
  });

  it('answers "running" when the run outlasts the wait', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const outcome = await runWith(
      {
        listConnectorPlugins: async () => {
          await gate;
          return PLUGINS;
        },
        recordInstalledPlugins: async () => ({ upserted: 0, unavailable: 0 }),
      },
      async (taskQueue) => {
        const o = await runWorkflow(client(), installedList, {
          taskQueue,
          workflowId: uniqueName('installed'),
          args: [],
          waitMs: 200,
        });
        release();
        await client().workflow.getHandle(o.workflowId).result();
        return o;
      },
    );
    expect(outcome.state).toBe('running');
  });
});
