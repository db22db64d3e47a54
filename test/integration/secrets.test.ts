import fs from 'node:fs/promises';
import path from 'node:path';
import { SECRET_MASK } from '../../src/domain/secrets';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { connectRest } from '../support/connect-rest';

/**
 * Secrets in a connect's config on the real stack: every answer masks them, Kafka Connect and the
 * repository keep the real values, and edits that do not re-send a secret keep it.
 */
describe('secrets in connector configs', () => {
  let app: DfApp;
  let dir: string;
  const id = uniqueName('secret');
  const connect = () => connectRest(app.config);
  const inConnect = async () => (await connect().get(`/connectors/${id}/config`)).data as Record<string, string>;
  const inStore = async () => (await app.services.tasks.get(id))?.connectorConfig ?? {};

  beforeAll(async () => {
    app = await startDfApp('secrets');
    dir = await dataTempDir(app, 'df-it-secret-');
    await fs.writeFile(path.join(dir, 'in.txt'), 'one\n');
  });
  afterAll(async () => {
    await connect().delete(`/connectors/${id}`);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('answers the add with the secret masked, while Kafka Connect and the repository hold the value', async () => {
    const res = await app.api.post('/ps', {
      id,
      name: 'with secrets',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: {
        file: path.join(dir, 'in.txt'),
        topic: uniqueName('it-secret'),
        'db.password': 'hunter2',
        'api.token': 'tok-1',
      },
    });
    expect(res.status).toBe(201);
    expect(res.data.connectorConfig).toMatchObject({ 'db.password': SECRET_MASK, 'api.token': SECRET_MASK });
    expect(JSON.stringify(res.data)).not.toContain('hunter2');
    expect(await inConnect()).toMatchObject({ 'db.password': 'hunter2', 'api.token': 'tok-1' });
    expect(await inStore()).toMatchObject({ 'db.password': 'hunter2', 'api.token': 'tok-1' });
  });

  it('masks it in the task, the lists and the operation status', async () => {
    const one = await app.api.get(`/ps/${id}`);
    const list = await app.api.get('/ps');
    const processor = await app.api.get('/processor', { params: { q: id } });
    const text = JSON.stringify([one.data, list.data, processor.data]);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('tok-1');
    expect(one.data.connectorConfig['db.password']).toBe(SECRET_MASK);
    const op = await app.api.get(`/ops/df-connect-add-${id}`);
    expect(op.data.status).toBe('COMPLETED');
    expect(JSON.stringify(op.data)).not.toContain('hunter2');
  });

  it('keeps the secret through a PATCH that does not name it', async () => {
    const res = await app.api.patch(`/ps/${id}`, {
      connectorConfig: { 'tasks.max': '1', topic: uniqueName('it-secret-2') },
    });
    expect(res.status).toBe(200);
    expect(res.data.connectorConfig['db.password']).toBe(SECRET_MASK);
    expect(await inConnect()).toMatchObject({ 'db.password': 'hunter2' });
  });

  it('keeps it through a PUT of the config as answers show it (masked), and takes a new value sent in clear', async () => {
    const shown = (await app.api.get(`/ps/${id}`)).data;
    const res = await app.api.put(`/ps/${id}`, {
      ...shown,
      connectorConfig: { ...shown.connectorConfig, 'api.token': 'tok-2' },
    });
    expect(res.status).toBe(200);
    expect(await inConnect()).toMatchObject({ 'db.password': 'hunter2', 'api.token': 'tok-2' });
    expect(await inStore()).toMatchObject({ 'db.password': 'hunter2', 'api.token': 'tok-2' });
  });

  it('keeps it through a PUT whose config leaves it out, and removes it only on a PATCH null', async () => {
    const shown = (await app.api.get(`/ps/${id}`)).data;
    const { 'db.password': _omitted, ...rest } = shown.connectorConfig as Record<string, string>;
    expect((await app.api.put(`/ps/${id}`, { ...shown, connectorConfig: rest })).status).toBe(200);
    expect(await inConnect()).toMatchObject({ 'db.password': 'hunter2' });
    expect((await app.api.patch(`/ps/${id}`, { connectorConfig: { 'db.password': null } })).status).toBe(200);
    expect(await inConnect()).not.toHaveProperty('db.password');
    expect(await inStore()).not.toHaveProperty('db.password');
  });
});
