import fs from 'node:fs/promises';
import path from 'node:path';
import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { connectRest } from '../support/connect-rest';

const ORDER = { type: 'record', name: 'Order', fields: [{ name: 'id', type: 'string' }] };

/**
 * Reads leave no trace in Temporal: reading one task, its status, a schema subject or version,
 * found or not, starts no workflow run. A change of an id DF does not know is refused with 404
 * before any run starts, yet a delete sent while the task's add still runs is not refused: it
 * waits for the add and removes what the add created.
 */
describe('Reads and unknown ids: no run for a read or a miss, 404 before any run', () => {
  let app: DfApp;
  let dir: string;
  const subject = uniqueName('reads');
  const connectId = uniqueName('reads-fs');
  const connect = () => connectRest(app.config);
  const stored = (id: string) => app.services.store.db.collection(TASK_COLLECTION).findOne({ _id: id as never });
  const runsOnQueue = async () =>
    (await app.temporal.client.workflow.count(`TaskQueue = '${app.config.temporal.taskQueue}'`)).count;
  /** The count once Temporal's visibility, which trails the starts, has stopped moving. */
  const settledRuns = async () => {
    let last = await runsOnQueue();
    return eventually('the run count to settle', async () => {
      await new Promise((r) => setTimeout(r, 500));
      const now = await runsOnQueue();
      const settled = now === last;
      last = now;
      return settled ? now : undefined;
    });
  };
  /**
   * How many runs the requests started. A schema list is a run of its own, started after them:
   * once visibility shows it, it shows whatever the requests started before it.
   */
  const runsStartedBy = async (requests: () => Promise<void>) => {
    const before = await settledRuns();
    await requests();
    expect((await app.api.get('/schema')).status).toBe(200);
    const after = await eventually('the schema list run to be visible', async () => {
      const n = await runsOnQueue();
      return n > before ? n : undefined;
    });
    return after - before - 1;
  };
  const fileSource = (id: string) => ({
    id,
    name: id,
    connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
    connectorConfig: { tasks_max: 1, file: path.join(dir, 'lines.txt'), topic: uniqueName('it-reads') },
  });

  beforeAll(async () => {
    // Operations answer within the wait, so each spec reads its own outcome instead of a 202.
    app = await startDfApp('reads', { DF_SYNC_WAIT_MS: '180000' });
    dir = await dataTempDir(app, 'df-it-reads-');
    await fs.writeFile(path.join(dir, 'lines.txt'), 'alpha\n');
    expect((await app.api.post('/schema', { id: subject, schema: ORDER })).status).toBe(201);
    expect((await app.api.post('/ps', fileSource(connectId))).status).toBe(201);
  });

  afterAll(async () => {
    await connect().delete(`/connectors/${connectId}`);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads a schema subject, a version of it and a diff without starting a run; misses answer 404 without one too', async () => {
    const started = await runsStartedBy(async () => {
      const latest = await app.api.get(`/schema/${subject}`);
      expect(latest.status).toBe(200);
      expect(latest.data).toMatchObject({ subject, version: 1, schema: ORDER, versions: [1] });
      const v1 = await app.api.get(`/schema/${subject}/versions/1`);
      expect(v1.status).toBe(200);
      expect(v1.data).toMatchObject({ subject, version: 1, schema: ORDER });
      expect((await app.api.get(`/schema/${subject}/diff?from=1&to=1`)).status).toBe(200);
      const noVersion = await app.api.get(`/schema/${subject}/versions/9`);
      expect(noVersion.status).toBe(404);
      expect(noVersion.data.error.message).toBe(`subject ${subject} has no version 9`);
      const noSubject = await app.api.get(`/schema/${subject}-nope/versions/1`);
      expect(noSubject.status).toBe(404);
      expect((await app.api.get(`/schema/${subject}-nope`)).data.error.message).toBe(
        `no subject ${subject}-nope in the schema registry`,
      );
    });
    expect(started).toBe(0);
  });

  it('reads a task and its live status without starting a run; misses answer 404 without one too', async () => {
    const started = await runsStartedBy(async () => {
      expect((await app.api.get(`/ps/${connectId}`)).data).toMatchObject({ id: connectId, status: 'RUNNING' });
      expect((await app.api.get(`/processor/${connectId}`)).status).toBe(200);
      expect((await app.api.get(`/status/${connectId}`)).status).toBe(200);
      expect((await app.api.get(`/ps/${connectId}-nope`)).status).toBe(404);
      expect((await app.api.get(`/tr/${connectId}-nope`)).status).toBe(404);
      expect((await app.api.get(`/status/${connectId}-nope`)).status).toBe(404);
    });
    expect(started).toBe(0);
  });

  it('refuses a change of an unknown id with 404 naming it, and starts no run', async () => {
    const ghost = uniqueName('ghost');
    const started = await runsStartedBy(async () => {
      const answers = [
        await app.api.put(`/ps/${ghost}`, { ...fileSource(ghost) }),
        await app.api.patch(`/ps/${ghost}`, { name: 'renamed' }),
        await app.api.put(`/ps/${ghost}`, { id: ghost, status: 'pause' }),
        await app.api.post(`/ps/${ghost}/restart`),
        await app.api.delete(`/ps/${ghost}`),
        await app.api.patch(`/tr/${ghost}`, { name: 'renamed' }),
        await app.api.post(`/tr/${ghost}/savepoint`),
        await app.api.delete(`/tr/${ghost}?mode=cancel`),
      ];
      for (const answer of answers) {
        expect(answer.status).toBe(404);
        expect(answer.data.error).toMatchObject({
          code: 'NOT_FOUND',
          message: expect.stringContaining(ghost),
          details: { id: ghost },
        });
      }
      const schema = await app.api.put(`/schema/${ghost}`, { schema: ORDER });
      expect(schema.status).toBe(404);
      expect(schema.data.error.message).toBe(`no subject ${ghost} in the schema registry`);
    });
    expect(started).toBe(0);
  });

  it('a delete sent while the add still runs waits for it: neither the connector nor the task is left', async () => {
    const id = uniqueName('add-then-delete');
    const add = await app.api.post('/ps', fileSource(id), { headers: { Prefer: 'respond-async' } });
    expect(add.status).toBe(202);
    const deleted = await app.api.delete(`/ps/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.data).toEqual({ id, deleted: true, connectorExisted: true });
    // The add had ended (RUNNING) before the delete went ahead: nothing comes back after it.
    const added = await app.temporal.client.workflow.getHandle(String(add.headers['x-df-workflow-id'])).result();
    expect(added).toMatchObject({ id, status: 'RUNNING' });
    // Connect may answer 500 for a moment while its workers take in the removal.
    await eventually(`connector ${id} to be gone from Kafka Connect`, async () =>
      (await connect().get(`/connectors/${id}`)).status === 404 ? true : undefined,
    );
    expect(await stored(id)).toBeNull();
  });
});
