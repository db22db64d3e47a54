import path from 'node:path';
import { ENV_DEFAULTS } from '../../src/config';
import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { connectRest } from '../support/connect-rest';

/**
 * Bad requests to the connect API: each gets a 4xx naming what is wrong, and leaves nothing
 * behind, neither a connector in Kafka Connect nor a task in the repository.
 */
describe('Connect LAUD: refused requests leave no trace', () => {
  let app: DfApp;
  const connect = () => connectRest(app.config);
  const noFile = () => path.join(app.config.dataDir, 'df-it-none.txt');
  const fileSource = (id: string, config: Record<string, unknown> = {}) => ({
    id,
    name: id,
    connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
    connectorConfig: { file: noFile(), topic: 'df_it_none', ...config },
  });

  async function expectNoTrace(id: string) {
    expect((await connect().get(`/connectors/${id}`)).status).toBe(404);
    expect(await app.services.store.db.collection(TASK_COLLECTION).countDocuments({ _id: id as never })).toBe(0);
  }

  beforeAll(async () => {
    // A class that is allowed but not installed, to meet Kafka Connect's own refusal.
    app = await startDfApp('connect_err', {
      DF_ALLOWED_CONNECTOR_CLASSES: `${ENV_DEFAULTS.DF_ALLOWED_CONNECTOR_CLASSES},com.example.NoSuchConnector`,
    });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('refuses an unknown connector class, listing the installed ones', async () => {
    const id = uniqueName('bad-class');
    const res = await app.api.post('/ps', {
      id,
      name: id,
      connectorConfig: { 'connector.class': 'com.example.NoSuchConnector' },
    });
    expect(res.status).toBe(400);
    expect(res.data.error.code).toBe('VALIDATION_FAILED');
    expect(res.data.error.message).toMatch(/com\.example\.NoSuchConnector is not installed/);
    expect(res.data.error.details.fields['connectorConfig.connector.class'][0]).toMatch(/FileStreamSourceConnector/);
    await expectNoTrace(id);
  });

  it('refuses an unknown connectorType, naming the types it knows', async () => {
    const id = uniqueName('bad-type');
    const res = await app.api.post('/ps', { id, name: id, connectorType: 'CONNECT_SOURCE_NOPE' });
    expect(res.status).toBe(400);
    expect(res.data.error.details.fields.connectorType[0]).toMatch(/CONNECT_SOURCE_KAFKA_FlatFile/);
    await expectNoTrace(id);
  });

  it("refuses a config missing a required key, with Kafka Connect's message for that key", async () => {
    const id = uniqueName('no-topic');
    const body = fileSource(id);
    delete (body.connectorConfig as Record<string, unknown>).topic;
    const res = await app.api.post('/ps', body);
    expect(res.status).toBe(400);
    expect(res.data.error.details.fields['connectorConfig.topic']).toEqual([
      'Missing required configuration "topic" which has no default value.',
    ]);
    await expectNoTrace(id);
  });

  it('refuses a value of the wrong type for the connector (tasks.max "many")', async () => {
    const id = uniqueName('bad-int');
    const res = await app.api.post('/ps', fileSource(id, { tasks_max: 'many' }));
    expect(res.status).toBe(400);
    expect(res.data.error.details.fields['connectorConfig.tasks.max'][0]).toMatch(/Not a number of type INT/);
    await expectNoTrace(id);
  });

  it('refuses JSON of the wrong shape before any workflow starts', async () => {
    const id = uniqueName('bad-shape');
    const res = await app.api.post('/ps', { id, name: 42, connectorConfig: { topic: { nested: true } } });
    expect(res.status).toBe(400);
    expect(res.data.error.details.fields).toEqual({
      name: ['expected a string'],
      'connectorConfig.topic': ['expected a string, number, boolean or a list of them'],
    });
    expect(res.headers['x-df-workflow-id']).toBeUndefined();
    await expectNoTrace(id);
  });

  it('refuses malformed JSON with 400 and a non-JSON body with 415', async () => {
    const raw = { headers: { 'Content-Type': 'application/json' }, transformRequest: [(d: unknown) => d] }; // send the bytes as they are
    const malformed = await app.api.post('/ps', '{"name": "x",', raw);
    expect(malformed.status).toBe(400);
    expect(malformed.data.error.message).toMatch(/malformed JSON body/);
    const text = await app.api.post('/ps', 'name=x', { headers: { 'Content-Type': 'text/plain' } });
    expect(text.status).toBe(415);
    const list = await app.api.post('/ps', '[1,2]', raw);
    expect(list.status).toBe(400);
    expect(list.data.error.message).toBe('expected a JSON object body');
  });

  it('refuses a second add of the same id with 409, leaving the first untouched', async () => {
    const id = uniqueName('dup');
    const first = await app.api.post('/ps', fileSource(id));
    expect(first.status).toBe(201);
    try {
      const second = await app.api.post('/ps', { ...fileSource(id), description: 'second' });
      expect(second.status).toBe(409);
      expect(second.data.error.code).toBe('CONFLICT');
      const { data } = await app.api.get(`/ps/${id}`);
      expect(data).toMatchObject({ description: '', revision: 1 });
      expect((await connect().get(`/connectors/${id}`)).status).toBe(200);
    } finally {
      await app.api.delete(`/ps/${id}`);
    }
  });

  it('answers an add that is wrong twice over (a taken id, an unknown class) with the taken id first', async () => {
    const id = uniqueName('dup-bad');
    expect((await app.api.post('/ps', fileSource(id))).status).toBe(201);
    try {
      const second = await app.api.post('/ps', {
        id,
        name: id,
        connectorConfig: { 'connector.class': 'com.example.NoSuchConnector' },
      });
      expect(second.status).toBe(409);
      expect(second.data.error.code).toBe('CONFLICT');
    } finally {
      await app.api.delete(`/ps/${id}`);
    }
  });

  it('answers a taken id with a config Kafka Connect rejects with the taken id, not the rejection', async () => {
    const id = uniqueName('dup-invalid');
    expect((await app.api.post('/ps', fileSource(id))).status).toBe(201);
    try {
      const second = await app.api.post('/ps', {
        id,
        name: id,
        connectorConfig: {
          'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          file: noFile(),
        },
      });
      expect(second.status).toBe(409);
      expect(second.data.error.code).toBe('CONFLICT');
    } finally {
      await app.api.delete(`/ps/${id}`);
    }
  });

  it('lets only one of two simultaneous adds of the same id succeed; the other gets 409', async () => {
    const id = uniqueName('race');
    try {
      const answers = await Promise.all([app.api.post('/ps', fileSource(id)), app.api.post('/ps', fileSource(id))]);
      expect(answers.map((r) => r.status).sort()).toEqual([201, 409]);
      expect(await app.services.store.db.collection(TASK_COLLECTION).countDocuments({ _id: id as never })).toBe(1);
    } finally {
      await app.api.delete(`/ps/${id}`);
    }
  });

  it('deletes a connect whose connector was already removed from Kafka Connect by hand', async () => {
    const id = uniqueName('gone');
    await app.api.post('/ps', fileSource(id));
    await connect().delete(`/connectors/${id}`);
    const res = await app.api.delete(`/ps/${id}`);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id, deleted: true, connectorExisted: false });
    await expectNoTrace(id);
  });

  it('refuses to adopt a connector Kafka Connect runs outside DF (409), and leaves it running', async () => {
    const id = uniqueName('foreign');
    await connect().put(`/connectors/${id}/config`, {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      file: noFile(),
      topic: 'df_it_none',
    });
    try {
      const res = await app.api.post('/ps', fileSource(id));
      expect(res.status).toBe(409);
      expect(res.data.error.message).toMatch(/does not manage/);
      expect((await connect().get(`/connectors/${id}`)).status).toBe(200);
      expect(await app.services.store.db.collection(TASK_COLLECTION).countDocuments({ _id: id as never })).toBe(0);
    } finally {
      await connect().delete(`/connectors/${id}`);
    }
  });

  it('answers 404 for an unknown id on every verb', async () => {
    const id = uniqueName('ghost');
    expect((await app.api.get(`/ps/${id}`)).status).toBe(404);
    expect((await app.api.put(`/ps/${id}`, { name: 'x' })).status).toBe(404);
    expect((await app.api.patch(`/ps/${id}`, { description: 'x' })).status).toBe(404);
    expect((await app.api.delete(`/ps/${id}`)).status).toBe(404);
    expect((await app.api.post(`/ps/${id}/pause`)).status).toBe(404);
    expect((await app.api.get(`/status/${id}`)).status).toBe(404);
    const res = await app.api.delete(`/ps/${id}`);
    expect(res.data.error).toMatchObject({ code: 'NOT_FOUND', message: `no task with id ${id}` });
    await expectNoTrace(id);
  });

  it('refuses an update Kafka Connect would reject, keeping config and revision as they were', async () => {
    const id = uniqueName('upd');
    await app.api.post('/ps', fileSource(id));
    try {
      const res = await app.api.patch(`/ps/${id}`, { connectorConfig: { 'tasks.max': 'lots' } });
      expect(res.status).toBe(400);
      expect(res.data.error.details.fields['connectorConfig.tasks.max'][0]).toMatch(/Not a number/);
      const { data } = await app.api.get(`/ps/${id}`);
      expect(data.revision).toBe(1);
      expect((await connect().get(`/connectors/${id}/config`)).data['tasks.max']).toBe(
        data.connectorConfig['tasks.max'],
      );
      const stale = await app.api.patch(`/ps/${id}`, { description: 'x' }, { headers: { 'If-Match': '"7"' } });
      expect(stale.status).toBe(412);
    } finally {
      await app.api.delete(`/ps/${id}`);
    }
  });
});
