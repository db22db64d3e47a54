import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { connectRest } from '../support/connect-rest';
import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { DfApp, startDfApp } from '../support/df-app';
import { temporalCliPath, uniqueName } from '../support/stack';

const run = promisify(execFile);

/**
 * Every Connect LAUD step can be run without the API, by `temporal workflow execute` (or start),
 * with the same JSON the API takes: the CLI examples of docs/cli.md, run for real.
 */
describe('Connect LAUD from the Temporal CLI', () => {
  let app: DfApp;
  const id = uniqueName('cli');

  // Async on purpose: the worker runs in this process and must keep polling while the CLI waits.
  async function temporal(...args: string[]): Promise<{ result?: unknown; status?: string }> {
    const { stdout } = await run(
      temporalCliPath(),
      [
        'workflow',
        'execute',
        '--address',
        app.config.temporal.address,
        '--namespace',
        app.config.temporal.namespace,
        '--task-queue',
        app.config.temporal.taskQueue,
        '--output',
        'json',
        ...args,
      ],
      { encoding: 'utf8' },
    ).catch((error) => ({ stdout: String(error.stdout ?? '') }));
    return JSON.parse(stdout);
  }

  /** `temporal workflow start` (returns at once, as an operator would use it), then `temporal workflow result`. */
  async function startThenResult(
    workflowId: string,
    ...args: string[]
  ): Promise<{ result?: unknown; status?: string }> {
    const conn = ['--address', app.config.temporal.address, '--namespace', app.config.temporal.namespace];
    await run(
      temporalCliPath(),
      [
        'workflow',
        'start',
        ...conn,
        '--task-queue',
        app.config.temporal.taskQueue,
        '--workflow-id',
        workflowId,
        ...args,
      ],
      { encoding: 'utf8' },
    );
    const { stdout } = await run(
      temporalCliPath(),
      ['workflow', 'result', ...conn, '--workflow-id', workflowId, '--output', 'json'],
      { encoding: 'utf8' },
    );
    return JSON.parse(stdout);
  }

  beforeAll(async () => {
    app = await startDfApp('connect_cli');
  });
  afterAll(async () => {
    await connectRest(app.config).delete(`/connectors/${id}`);
    await app?.close();
  });

  it('adds a connect with `temporal workflow execute --type connectAdd`', async () => {
    const input = JSON.stringify({
      id,
      name: 'From the CLI',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { file: path.join(app.config.dataDir, 'df-it-cli.txt'), topic: uniqueName('it-cli') },
    });
    const out = await temporal('--type', 'connectAdd', '--workflow-id', `df-connect-add-${id}`, '--input', input);
    expect(out.status).toMatch(/COMPLETED/);
    expect(out.result).toMatchObject({ id, status: 'RUNNING', connectorCategory: 'CONNECT' });
    const { data } = await connectRest(app.config).get(`/connectors/${id}/status`);
    expect(data.connector.state).toBe('RUNNING');
    const doc = await app.services.store.db.collection(TASK_COLLECTION).findOne({ _id: id as never });
    expect(doc?.status).toBe('RUNNING');
  });

  it('lists, pauses and deletes it the same way (the delete by `temporal workflow start`, then `workflow result`)', async () => {
    const listed = await temporal(
      '--type',
      'connectList',
      '--workflow-id',
      uniqueName('df-connect-list'),
      '--input',
      JSON.stringify({ q: id }),
    );
    expect(listed.result).toMatchObject({ total: 1, items: [{ id }] });
    const paused = await temporal(
      '--type',
      'connectAction',
      '--workflow-id',
      uniqueName(`df-connect-pause-${id}`),
      '--input',
      JSON.stringify({ id, action: 'pause' }),
    );
    expect(paused.result).toMatchObject({ id, status: 'PAUSED' });
    const deleted = await startThenResult(
      `df-connect-delete-${id}`,
      '--type',
      'connectDelete',
      '--input',
      JSON.stringify({ id }),
    );
    expect(deleted.result).toEqual({ id, deleted: true, connectorExisted: true });
    expect((await connectRest(app.config).get(`/connectors/${id}`)).status).toBe(404);
  });

  it('tags every run with DfTaskId, DfOperation and DfCategory, and a one-line memo summary, so the Temporal UI filters by task', async () => {
    const query = `DfTaskId='${id}' AND DfCategory='CONNECT'`;
    let operations: string[] = [];
    // Visibility is eventually consistent: the runs show within moments.
    for (
      let i = 0;
      i < 40 && !['connectAdd', 'connectAction', 'connectDelete'].every((o) => operations.includes(o));
      i++
    ) {
      const { stdout } = await run(
        temporalCliPath(),
        [
          'workflow',
          'list',
          '--address',
          app.config.temporal.address,
          '--namespace',
          app.config.temporal.namespace,
          '--query',
          query,
          '--output',
          'json',
        ],
        { encoding: 'utf8' },
      );
      operations = (JSON.parse(stdout || '[]') as { type: { name: string } }[]).map((r) => r.type.name);
      if (i > 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(operations).toEqual(expect.arrayContaining(['connectAdd', 'connectAction', 'connectDelete']));
    const added = await app.temporal.client.workflow.getHandle(`df-connect-add-${id}`).describe();
    expect(added.memo).toEqual({
      summary: `add connect ${id} (org.apache.kafka.connect.file.FileStreamSourceConnector)`,
    });
    expect(added.searchAttributes).toMatchObject({
      DfTaskId: [id],
      DfOperation: ['connectAdd'],
      DfCategory: ['CONNECT'],
    });
  });

  it('fails a bad CLI input with the same message the API gives, creating nothing', async () => {
    const bad = uniqueName('cli-bad');
    const out = await temporal(
      '--type',
      'connectAdd',
      '--workflow-id',
      `df-connect-add-${bad}`,
      '--input',
      JSON.stringify({ id: bad, name: bad }),
    );
    expect(out.status).toMatch(/FAILED/);
    expect(JSON.stringify(out)).toMatch(/give connectorType or connectorConfig.connector.class/);
    expect(await app.services.store.db.collection(TASK_COLLECTION).countDocuments({ _id: bad as never })).toBe(0);
  });

  it('holds a CLI add to the reach policy as the API does: /etc/shadow is refused, nothing is created', async () => {
    const bad = uniqueName('cli-shadow');
    const out = await temporal(
      '--type',
      'connectAdd',
      '--workflow-id',
      `df-connect-add-${bad}`,
      '--input',
      JSON.stringify({
        id: bad,
        name: bad,
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { file: '/etc/shadow', topic: uniqueName('it-cli-shadow') },
      }),
    );
    expect(out.status).toMatch(/FAILED/);
    expect(JSON.stringify(out)).toMatch(/REACH_REFUSED/);
    expect(JSON.stringify(out)).toMatch(/DF_ALLOWED_PATHS would allow it/);
    expect((await connectRest(app.config).get(`/connectors/${bad}`)).status).toBe(404);
    expect(await app.services.store.db.collection(TASK_COLLECTION).countDocuments({ _id: bad as never })).toBe(0);
  });
});
