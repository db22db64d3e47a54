import fs from 'node:fs/promises';
import path from 'node:path';
import { storedTask } from '../support/connect-lifecycle';
import { connectRest } from '../support/connect-rest';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { readTopic } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

const LINES = 'alpha\nbeta\ngamma\n';
/** The byte where "beta" starts: "alpha\n" is 6 bytes. */
const BETA_AT = 6;

/**
 * Offsets and single tasks of a FileStreamSource connect on the real stack: its offset is where it
 * is in its file ({filename} → {position: <byte>}), so records on its topic show where it read from
 * after each change.
 */
describe('Connect offsets and task restarts: a FileStreamSource read again from where it is told', () => {
  let app: DfApp;
  let dir: string;
  let file: string;
  const id = uniqueName('offs');
  const topic = uniqueName('it-offs-topic');
  const connect = () => connectRest(app.config);
  const connectState = async () => (await connect().get(`/connectors/${id}/status`)).data;
  const records = (count: number) => readTopic(app.config.kafkaBrokers, topic, count);
  /** The file's offset once Kafka Connect has committed it at `position`. */
  const committedAt = (position: number) =>
    eventually(
      `offset ${position} committed`,
      async () => {
        const { data } = await app.api.get(`/ps/${id}/offsets`);
        return data.offsets?.[0]?.offset?.position === position ? data : undefined;
      },
      60000,
    );

  beforeAll(async () => {
    app = await startDfApp('connect_offsets');
    dir = await dataTempDir(app, 'df-it-offsets-');
    file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, LINES);
    const res = await app.api.post('/ps', {
      id,
      name: 'Lines read again',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { 'tasks.max': '1', file, topic },
    });
    expect(res.status).toBe(201);
    expect(await records(3)).toEqual(['"alpha"', '"beta"', '"gamma"']);
  });

  afterAll(async () => {
    await connect().delete(`/connectors/${id}`);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads the offsets as Kafka Connect gives them: the file, and the byte its connector reached', async () => {
    const offsets = await committedAt(LINES.length);
    expect(offsets).toEqual({ offsets: [{ partition: { filename: file }, offset: { position: LINES.length } }] });
    expect(offsets).toEqual((await connect().get(`/connectors/${id}/offsets`)).data);
  });

  it('alters the offset back to the second line: the connector, running again, reads beta and gamma again', async () => {
    const res = await app.api.patch(`/ps/${id}/offsets`, {
      offsets: [{ partition: { filename: file }, offset: { position: BETA_AT } }],
    });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      id,
      change: 'alter',
      message: expect.any(String),
      offsets: [{ partition: { filename: file }, offset: { position: BETA_AT } }],
      status: 'RUNNING',
    });
    expect(res.headers['x-df-workflow-id']).toMatch(new RegExp(`^df-connect-offsets-alter-${id}-`));
    expect(await records(5)).toEqual(['"alpha"', '"beta"', '"gamma"', '"beta"', '"gamma"']);
    expect((await connectState()).connector.state).toBe('RUNNING');
    expect((await storedTask(app, id))?.status).toBe('RUNNING');
    await committedAt(LINES.length);
  });

  it('resets the offsets: the connector reads its file from the start', async () => {
    const res = await app.api.delete(`/ps/${id}/offsets`);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id, change: 'reset', status: 'RUNNING' });
    expect(res.data.offsets.filter((o: { offset: unknown }) => o.offset !== null)).toEqual([]);
    expect((await records(8)).slice(5)).toEqual(['"alpha"', '"beta"', '"gamma"']);
    await committedAt(LINES.length);
  });

  it('puts a paused connector back to PAUSED after the change', async () => {
    expect((await app.api.post(`/ps/${id}/pause`)).data.status).toBe('PAUSED');
    const res = await app.api.patch(`/ps/${id}/offsets`, {
      offsets: [{ partition: { filename: file }, offset: { position: LINES.length } }],
    });
    expect(res.status).toBe(200);
    expect(res.data.status).toBe('PAUSED');
    expect((await connectState()).connector.state).toBe('PAUSED');
    expect((await app.api.post(`/ps/${id}/resume`)).data.status).toBe('RUNNING');
  });

  it("answers Kafka Connect's refusal with 409 and its message, and the connector runs on as before", async () => {
    const before = await committedAt(LINES.length);
    const res = await app.api.patch(`/ps/${id}/offsets`, {
      offsets: [{ partition: { filename: file }, offset: { position: -1 } }],
    });
    expect(res.status).toBe(409);
    expect(res.data.error).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/refused to alter the offsets.*non-negative/),
    });
    expect(res.headers['x-df-workflow-id']).toMatch(/^df-connect-offsets-alter-/);
    expect((await connectState()).connector.state).toBe('RUNNING');
    expect((await storedTask(app, id))?.status).toBe('RUNNING');
    expect((await app.api.get(`/ps/${id}/offsets`)).data).toEqual(before);
  });

  it('refuses an unknown id with 404 and a bad body with 400 naming the field, starting nothing', async () => {
    const before = (await app.api.get(`/ps/${id}/offsets`)).data;
    const unknown = uniqueName('nope');
    for (const res of [
      await app.api.get(`/ps/${unknown}/offsets`),
      await app.api.patch(`/ps/${unknown}/offsets`, { offsets: [{ partition: { filename: file }, offset: null }] }),
      await app.api.delete(`/ps/${unknown}/offsets`),
    ]) {
      expect({ status: res.status, code: res.data.error?.code }).toEqual({ status: 404, code: 'NOT_FOUND' });
      expect(res.headers['x-df-workflow-id']).toBeUndefined();
    }
    const bad = await app.api.patch(`/ps/${id}/offsets`, {
      offsets: [{ partition: { filename: file }, offset: { position: { at: 6 } } }],
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.data.error.details.fields)).toEqual(['offsets.0.offset.position']);
    expect(bad.headers['x-df-workflow-id']).toBeUndefined();
    const empty = await app.api.patch(`/ps/${id}/offsets`, { offsets: [] });
    expect(empty.status).toBe(400);
    expect(Object.keys(empty.data.error.details.fields)).toEqual(['offsets']);
    expect((await app.api.get(`/ps/${id}/offsets`)).data).toEqual(before);
    expect((await connectState()).connector.state).toBe('RUNNING');
  });

  it('restarts task 0: Kafka Connect runs it again, and the status view names its worker', async () => {
    const task0Running = () =>
      eventually('task 0 RUNNING', async () => {
        const s = await connectState();
        return s.tasks?.[0]?.state === 'RUNNING' ? s : undefined;
      });
    // The refusal above stopped and resumed the connector: its task comes back a moment after it.
    await task0Running();
    const res = await app.api.post(`/ps/${id}/tasks/0/restart`);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id, status: 'RUNNING' });
    expect(res.headers['x-df-workflow-id']).toMatch(new RegExp(`^df-connect-task-restart-${id}-0-`));
    const state = await task0Running();
    const { data: rows } = await app.api.get(`/status/${id}`);
    expect(rows).toEqual([
      expect.objectContaining({ id: `${id}_0`, subTaskId: '0', state: 'RUNNING', worker_id: state.tasks[0].worker_id }),
    ]);
  });

  it("refuses a task the connector lacks with 404 and Kafka Connect's message, and a task that is no number with 400", async () => {
    const missing = await app.api.post(`/ps/${id}/tasks/9/restart`);
    expect(missing.status).toBe(404);
    expect(missing.data.error.message).toMatch(/tasks\/9\/restart/);
    expect(missing.data.error.details).toMatchObject({ rasMessage: expect.any(String) });
    const bad = await app.api.post(`/ps/${id}/tasks/first/restart`);
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.data.error.details.fields)).toEqual(['task']);
    expect((await connectState()).tasks[0].state).toBe('RUNNING');
  });
});
