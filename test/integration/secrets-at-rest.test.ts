import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import axios from 'axios';
import type { Document } from 'mongodb';
import { SECRET_MASK } from '../../src/domain/secrets';
import { configSealerFor, SEALED_PREFIX } from '../../src/repository/secret-cipher';
import { TaskRepository } from '../../src/repository/task-repository';
import { parsePayloadKeys } from '../../src/temporal/payload-codec';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { startupSync } from '../../workflows/startup-sync';
import { connectRest } from '../support/connect-rest';

/**
 * Secrets at rest on the real stack, with a payload key set: the store holds a secret config
 * value sealed, Kafka Connect gets it in clear, answers mask it, and a rotated key list (new key
 * first, old second) still reads it. Records holding a secret in clear still read, and the
 * startup sync seals them.
 */
describe('secret config values at rest', () => {
  let app: DfApp;
  let dir: string;
  const k1 = `k1:${randomBytes(32).toString('base64')}`;
  const k2 = `k2:${randomBytes(32).toString('base64')}`;
  const id = uniqueName('sealed');
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const metaConnector = uniqueName('it_sealed_meta');
  const metaTopic = uniqueName('it_sealed_meta');
  const connect = () => connectRest(app.config);
  const raw = (taskId: string) => app.services.store.db.collection('df_processor').findOne({ _id: taskId } as Document);

  beforeAll(async () => {
    app = await startDfApp('secrets_at_rest', {
      DF_PAYLOAD_KEY: k1,
      DF_DEV_MODE: 'false',
      DF_META_CONNECTOR: metaConnector,
      DF_META_TOPIC: metaTopic,
    });
    dir = await dataTempDir(app, 'df-it-sealed-');
    await fs.writeFile(path.join(dir, 'in.txt'), 'one\n');
  });
  afterAll(async () => {
    if (app) {
      for (const name of [id, metaConnector]) await connect().delete(`/connectors/${name}`);
      await axios.delete(`${app.config.schemaRegistryUrl}/subjects/${metaTopic}`, { validateStatus: () => true });
    }
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('stores a secret sealed, gives Kafka Connect the value, and masks it in answers', async () => {
    const res = await app.api.post('/ps', {
      id,
      name: 'sealed secret',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: {
        file: path.join(dir, 'in.txt'),
        topic: uniqueName('it-sealed'),
        'connection.password': password,
      },
    });
    expect(res.status).toBe(201);
    expect(res.data.connectorConfig['connection.password']).toBe(SECRET_MASK);

    const stored = await raw(id);
    expect(JSON.stringify(stored)).not.toContain(password);
    expect(stored?.connectorConfig['connection%2Epassword']).toMatch(new RegExp(`^${SEALED_PREFIX}k1:`));
    expect((await connect().get(`/connectors/${id}/config`)).data['connection.password']).toBe(password);
    const answers = JSON.stringify([(await app.api.get(`/ps/${id}`)).data, (await app.api.get('/ps')).data]);
    expect(answers).not.toContain(password);
  });

  it('reads it with the keys rotated (new first, old second), and seals new writes with the new key', async () => {
    const rotated = new TaskRepository(app.services.store.db, {
      sealer: configSealerFor(parsePayloadKeys(`${k2},${k1}`), app.config.secretKeys),
    });
    const task = await rotated.get(id);
    expect(task?.connectorConfig['connection.password']).toBe(password);
    await rotated.recordJob(id, { note: 'x', 'admin.secret': 'job-secret' }, new Date());
    const stored = await raw(id);
    expect(stored?.jobConfig['admin%2Esecret']).toMatch(new RegExp(`^${SEALED_PREFIX}k2:`));
    expect((await rotated.get(id))?.jobConfig).toEqual({ note: 'x', 'admin.secret': 'job-secret' });
    // The old key alone cannot open what the new one sealed: the read says which key it needs.
    const before = await app.api.get(`/ps/${id}`);
    expect(before.status).toBe(500);
    expect(before.data.error).toMatchObject({ code: 'UNREADABLE_RECORD' });
    expect(before.data.error.message).toContain('key "k2"');
    await rotated.recordJob(id, { note: 'x' }, new Date());
  });

  it('reads records holding secrets in clear, and the startup sync seals them', async () => {
    const older = uniqueName('clear');
    const original = randomBytes(12).toString('hex');
    const at = new Date();
    await app.services.store.db.collection('df_processor').insertMany([
      {
        _id: older,
        taskSeq: '1',
        name: older,
        description: '',
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorCategory: 'CONNECT',
        connectUid: older,
        status: 'LOST',
        connectorConfig: {
          'connector%2Eclass': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          'connection%2Epassword': `${password}-older`,
        },
        jobConfig: null,
        createdAt: at,
        updatedAt: at,
        statusAt: at,
        revision: 1,
      },
      {
        _id: original,
        taskSeq: '1',
        name: 'original',
        connectorType: 'CONNECT_SINK_KAFKA_JDBC',
        connectorCategory: 'CONNECT',
        connectUid: original,
        status: 'RUNNING',
        jobConfig: null,
        connectorConfig: {
          connector_class: 'io.confluent.connect.jdbc.JdbcSinkConnector',
          connection_password: `${password}-original`,
        },
      },
    ] as Document[]);
    for (const taskId of [older, original]) {
      // The original's record answers in its "_" spelling unless asked for Kafka Connect's.
      const res = await app.api.get(`/ps/${taskId}`, { params: { keySpelling: 'dotted' } });
      expect({ taskId, status: res.status, password: res.data.connectorConfig['connection.password'] }).toEqual({
        taskId,
        status: 200,
        password: SECRET_MASK,
      });
    }

    const result = await app.temporal.client.workflow.execute(startupSync, {
      taskQueue: app.config.temporal.taskQueue,
      workflowId: uniqueName('it-sealed-startup'),
    });
    expect(result.upgrade?.sealed).toEqual([older]);
    expect(result.upgrade?.upgraded.map((u) => u.id)).toEqual([original]);
    for (const taskId of [older, original]) {
      expect(JSON.stringify(await raw(taskId))).not.toContain(password);
      expect((await app.services.tasks.get(taskId))?.connectorConfig['connection.password']).toMatch(
        new RegExp(`^${password}-`),
      );
    }
    const again = await app.temporal.client.workflow.execute(startupSync, {
      taskQueue: app.config.temporal.taskQueue,
      workflowId: uniqueName('it-sealed-startup'),
    });
    expect(again.upgrade).toMatchObject({ sealed: [], upgraded: [] });
  });
});
