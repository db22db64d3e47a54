import { Connection, Client } from '@temporalio/client';
import { loadConfig } from '../../src/config';
import { stack } from '../support/stack';
import { eventually } from '../support/wait';
import { installedList } from '../../workflows/installed';

/**
 * The stack's Temporal keeps its state in a SQLite file: a run recorded before a restart of the
 * server is still there, with its result, after it.
 */
describe('Temporal dev server restart', () => {
  const config = loadConfig();

  async function withClient<T>(body: (client: Client) => Promise<T>): Promise<T> {
    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      return await body(new Client({ connection, namespace: config.temporal.namespace }));
    } finally {
      await connection.close();
    }
  }

  it('keeps workflow runs across a restart', async () => {
    const workflowId = `restart-probe-${Date.now()}`;
    // A run no worker will pick up: it only has to exist and be terminated with a reason.
    const runId = await withClient(async (client) => {
      const handle = await client.workflow.start(installedList, { taskQueue: 'df-restart-probe', workflowId });
      await handle.terminate('restart probe');
      return handle.firstExecutionRunId;
    });

    stack('down', 'temporal');
    stack('up', 'temporal');

    const status = await eventually(
      'the run after restart',
      () => withClient(async (client) => (await client.workflow.getHandle(workflowId, runId).describe()).status.name),
      60000,
    );
    expect(status).toBe('TERMINATED');
  });
});
