import path from 'node:path';
import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { connectRest } from '../support/connect-rest';

/**
 * Task ids as the original DataFibers made them: an add without an id gets a unique one (names
 * may repeat), an add with one keeps it, and a slow add's 202 already names the task.
 */
describe('ids of added tasks (POST /ps, /tr)', () => {
  let app: DfApp;
  const created: { kind: 'ps' | 'tr'; id: string }[] = [];
  const connect = () => connectRest(app.config);
  const fileSource = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
    connectorConfig: { file: path.join(app.config.dataDir, 'df-it-ids.txt'), topic: uniqueName('it-ids') },
    ...extra,
  });
  const storedCount = (filter: Record<string, unknown>) =>
    app.services.store.db.collection(TASK_COLLECTION).countDocuments(filter);

  beforeAll(async () => {
    app = await startDfApp('task_ids');
  });
  afterAll(async () => {
    for (const { kind, id } of created)
      await app.api.delete(`/${kind}/${id}`, { params: kind === 'tr' ? { mode: 'cancel' } : {} });
    await app?.close();
  });

  it('gives two connects of the same name and no id two ids made from the name', async () => {
    const name = `My task ${uniqueName('dup')}`;
    const first = await app.api.post('/ps', fileSource(name));
    const second = await app.api.post('/ps', fileSource(name));
    expect([first.status, second.status]).toEqual([201, 201]);
    created.push({ kind: 'ps', id: first.data.id }, { kind: 'ps', id: second.data.id });
    const prefix = name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
    expect(first.data.id).toMatch(new RegExp(`^${prefix}-[0-9a-f]{16}$`));
    expect(second.data.id).toMatch(new RegExp(`^${prefix}-[0-9a-f]{16}$`));
    expect(second.data.id).not.toBe(first.data.id);
    for (const t of [first.data, second.data]) {
      expect(t).toMatchObject({ name, connectUid: t.id, connectorConfig: { name: t.id, cuid: t.id } });
      expect((await connect().get(`/connectors/${t.id}/status`)).status).toBe(200);
    }
    expect(await storedCount({ name })).toBe(2);
  });

  it('gives a name with nothing URL-safe in it an id all the same', async () => {
    const res = await app.api.post('/ps', fileSource('東京 📦'));
    expect(res.status).toBe(201);
    created.push({ kind: 'ps', id: res.data.id });
    expect(res.data.id).toMatch(/^connect-[0-9a-f]{16}$/);
    expect(res.data.name).toBe('東京 📦');
  });

  it('keeps a given id, and refuses an invalid one with 400 naming id, creating nothing', async () => {
    const id = uniqueName('given');
    const res = await app.api.post('/ps', fileSource('Given id', { id }));
    expect(res.status).toBe(201);
    created.push({ kind: 'ps', id });
    expect(res.data.id).toBe(id);
    const name = uniqueName('bad id');
    for (const bad of ['has space', '-leading', 'a/b', 'x'.repeat(201)]) {
      const refused = await app.api.post('/ps', fileSource(name, { id: bad }));
      expect(refused.status).toBe(400);
      expect(refused.data.error.details.fields.id).toEqual([expect.stringMatching(/letters, digits/)]);
      expect(refused.data.message).toMatch(/^invalid connect: id: expected 1-200 letters/);
    }
    const tr = await app.api.post('/tr', {
      id: 'not ok!',
      name,
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: { topic_in: 'a', topic_out: 'b', trans_sql: 'SELECT 1' },
    });
    expect(tr.status).toBe(400);
    expect(Object.keys(tr.data.error.details.fields)).toEqual(['id']);
    expect(await storedCount({ name })).toBe(0);
  });

  it('adds one task for an add without id retried with the same Idempotency-Key', async () => {
    const name = uniqueName('keyed');
    const body = fileSource(name);
    const headers = { 'Idempotency-Key': uniqueName('key') };
    const first = await app.api.post('/ps', body, { headers });
    expect(first.status).toBe(201);
    created.push({ kind: 'ps', id: first.data.id });
    const retried = await app.api.post('/ps', body, { headers });
    expect(retried.status).toBe(201);
    expect(retried.data.id).toBe(first.data.id);
    expect(retried.headers['x-df-run-id']).toBe(first.headers['x-df-run-id']);
    expect(await storedCount({ name })).toBe(1);
    // The key sent with another body is another request: refused, nothing added.
    const reused = await app.api.post('/ps', { ...body, description: 'other' }, { headers });
    expect(reused.status).toBe(422);
    expect(await storedCount({ name })).toBe(1);
    // Without a key every add is a new task.
    const unkeyed = await app.api.post('/ps', body);
    expect(unkeyed.status).toBe(201);
    created.push({ kind: 'ps', id: unkeyed.data.id });
    expect(unkeyed.data.id).not.toBe(first.data.id);
    expect(await storedCount({ name })).toBe(2);
  });

  it('names the task in the 202 of an add that answers before it ends', async () => {
    const name = uniqueName('async');
    const res = await app.api.post('/ps', fileSource(name), { headers: { Prefer: 'respond-async' } });
    expect(res.status).toBe(202);
    expect(res.data).toMatchObject({
      id: expect.stringMatching(/^async_[0-9a-f]{12}-[0-9a-f]{16}$/),
      statusUrl: expect.any(String),
    });
    created.push({ kind: 'ps', id: res.data.id });
    const task = await eventually(
      'the added task at the id the 202 named',
      async () => {
        const read = await app.api.get(`/ps/${res.data.id}`);
        return read.status === 200 && read.data.status === 'RUNNING' ? read.data : undefined;
      },
      60_000,
    );
    expect(task.name).toBe(name);
  });

  it('gives two transforms of the same name and no id two ids, each running its own job', async () => {
    const topic = uniqueName('it-ids-tr');
    await app.services.kafka.ensureTopic(topic, 1, 1);
    await app.services.kafka.ensureTopic(`${topic}-out`, 1, 1);
    const body = {
      name: 'Same transform',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: {
        topic_in: topic,
        topic_out: `${topic}-out`,
        format: 'json',
        columns_in: 'id STRING',
        trans_sql: `SELECT id FROM \`${topic}\``,
      },
    };
    // A job may take longer to start than the API waits: the 202 names the task, the run gives it.
    const added = async () => {
      const res = await app.api.post('/tr', body);
      expect([201, 202]).toContain(res.status);
      created.push({ kind: 'tr', id: res.data.id });
      if (res.status === 201) return res.data;
      const task = await app.temporal.client.workflow.getHandle(res.data.workflowId).result();
      expect(task.id).toBe(res.data.id);
      return task;
    };
    const first = await added();
    const second = await added();
    expect(first.id).toMatch(/^same-transform-[0-9a-f]{16}$/);
    expect(second.id).toMatch(/^same-transform-[0-9a-f]{16}$/);
    expect(second.id).not.toBe(first.id);
    expect(second.jobConfig.flink_job_id).not.toBe(first.jobConfig.flink_job_id);
  });
});
