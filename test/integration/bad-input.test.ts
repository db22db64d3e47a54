import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { connectRest } from '../support/connect-rest';

/**
 * Hostile and careless input on the real stack: every answer is a 4xx in the error shape, operator
 * syntax is text, never a query, and nothing is stored or created by a refused request.
 */
describe('bad input is refused or taken as plain text, never executed', () => {
  let app: DfApp;
  let dir: string;
  const connect = () => connectRest(app.config);
  const created: string[] = [];
  const storedCount = () => app.services.store.db.collection(TASK_COLLECTION).countDocuments({});
  const errorShape = { error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) };

  beforeAll(async () => {
    app = await startDfApp('bad_input');
    dir = await dataTempDir(app, 'df-it-bad-');
    await fs.writeFile(path.join(dir, 'in.txt'), 'one\n');
    // Two tasks to find (or not): operator syntax in a search must match neither by accident.
    const op = { workflowId: 'seed', runId: 'seed', type: 'seed' };
    for (const [id, name] of [
      ['plain-one', 'Orders feed'],
      ['plain-two', 'Weird {"$gt": ""} name'],
    ]) {
      await app.services.tasks.insert(
        {
          id,
          taskSeq: '1',
          name,
          description: '',
          connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
          connectorCategory: 'CONNECT',
          connectUid: id,
          status: 'RUNNING',
          connectorConfig: {},
          jobConfig: null,
        },
        op,
        new Date(),
      );
    }
  });
  afterAll(async () => {
    for (const id of created) await connect().delete(`/connectors/${id}`);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('searches for MongoDB operators and $where as text', async () => {
    for (const q of ['{"$gt": ""}', '$where', '.*', '{"$ne": null}', "'; return true; var x='"]) {
      const res = await app.api.get('/ps', { params: { q } });
      expect(res.status).toBe(200);
      const ids = (res.data as { id: string }[]).map((t) => t.id);
      expect([q, ids]).toEqual([q, q === '{"$gt": ""}' ? ['plain-two'] : []]);
    }
  });

  it('refuses operator objects in query parameters, filters and ids', async () => {
    const asks = [
      app.api.get('/ps?status[$ne]=RUNNING'),
      app.api.get('/ps', { params: { status: '{"$ne":"RUNNING"}' } }),
      app.api.get('/ps', { params: { _sort: '$where' } }),
      app.api.get(`/ps/${encodeURIComponent('{"$gt":""}')}`),
      app.api.get(`/processor/${encodeURIComponent('$where')}`),
    ];
    for (const res of await Promise.all(asks)) {
      const asked = `${res.config.url} ${JSON.stringify(res.config.params ?? {})}`;
      expect([asked, res.status === 400 || res.status === 404, res.data]).toEqual([
        asked,
        true,
        expect.objectContaining(errorShape),
      ]);
    }
  });

  it('refuses operator objects in a body where strings belong, naming the field, storing nothing', async () => {
    const before = await storedCount();
    const bodies = [
      { id: { $gt: '' }, name: 'x', connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile', connectorConfig: {} },
      { name: { $where: 'sleep(1000)' }, connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile', connectorConfig: {} },
      { name: 'x', connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile', connectorConfig: { topic: { $gt: '' } } },
    ];
    for (const body of bodies) {
      const res = await app.api.post('/ps', body);
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { fields: expect.any(Object) } } });
    }
    expect(await storedCount()).toBe(before);
  });

  it('answers deeply nested JSON with 400, not a crash', async () => {
    const depth = 100_000;
    const body = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const res = await app.api.post('/ps', body, { headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject(errorShape);
    const nestedObject = `{"name":"x","connectorConfig":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`;
    const res2 = await app.api.post('/ps', nestedObject, { headers: { 'Content-Type': 'application/json' } });
    expect(res2.status).toBe(400);
    expect(res2.data).toMatchObject(errorShape);
  });

  it('answers an oversized body with 413 before reading it', async () => {
    // Its own connection: the server answers before reading the body and then drops the socket.
    const res = await app.api.post('/ps', JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), {
      headers: { 'Content-Type': 'application/json' },
      httpAgent: new http.Agent({ keepAlive: false }),
    });
    expect(res.status).toBe(413);
    expect(res.data).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('keeps any script in a name exactly, and refuses control characters', async () => {
    const name = 'Zürich → 東京 📦 مرحبا';
    const id = uniqueName('uni');
    const res = await app.api.post('/ps', {
      id,
      name,
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { file: path.join(dir, 'in.txt'), topic: uniqueName('it-uni') },
    });
    expect(res.status).toBe(201);
    created.push(id);
    expect((await app.api.get(`/ps/${id}`)).data.name).toBe(name);
    for (const bad of ['bell\u0007', 'nul\u0000x', 'line\nbreak', 'esc\u001b[31mred']) {
      const refused = await app.api.post('/ps', {
        name: bad,
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: {},
      });
      expect(refused.status).toBe(400);
      expect(refused.data.error.details.fields.name).toEqual(['control characters are not allowed']);
    }
    for (const badId of ['ünï', 'a/b', 'a\u0000b']) {
      const refused = await app.api.get(`/ps/${encodeURIComponent(badId)}`);
      expect(refused.status).toBe(400);
    }
  });

  it('creates one connector for duplicate submissions with the same Idempotency-Key, answering both alike', async () => {
    const id = uniqueName('idem');
    const body = {
      id,
      name: 'idempotent add',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { file: path.join(dir, 'in.txt'), topic: uniqueName('it-idem') },
    };
    const headers = { 'Idempotency-Key': `key-${id}` };
    const [a, b] = await Promise.all([app.api.post('/ps', body, { headers }), app.api.post('/ps', body, { headers })]);
    created.push(id);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.data).toEqual(a.data);
    const later = await app.api.post('/ps', body, { headers });
    expect(later.status).toBe(201);
    expect(later.data).toEqual(a.data);
    expect(later.headers['x-df-run-id']).toBe(a.headers['x-df-run-id']);
    const connectors = (await connect().get('/connectors')).data as string[];
    expect(connectors.filter((n) => n === id)).toHaveLength(1);
    expect(await app.services.store.db.collection(TASK_COLLECTION).countDocuments({ _id: id as never })).toBe(1);
    // A new key is a new request: the id is taken now.
    const other = await app.api.post('/ps', body, { headers: { 'Idempotency-Key': `other-${id}` } });
    expect(other.status).toBe(409);
  });
});
