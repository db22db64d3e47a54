import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import axios from 'axios';
import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { connectRest } from '../support/connect-rest';

/**
 * The reach policy on the real stack, with its defaults: a task may make Kafka Connect and Flink
 * touch files under DF's data directory and the configured data services only. A request reaching
 * further is refused with 400 before any engine hears of it: no connector, no job, no task, no file.
 */
describe('reach policy: tasks reach only what the policy allows', () => {
  let app: DfApp;
  let dir: string;
  const outside = `/tmp/${uniqueName('df-it-outside')}`;
  const connect = () => connectRest(app.config);
  const flinkJobNames = async () =>
    ((await axios.get(`${app.config.flinkUrl}/jobs/overview`)).data.jobs as { name: string }[]).map((j) => j.name);
  const storedCount = (id: string) =>
    app.services.store.db.collection(TASK_COLLECTION).countDocuments({ _id: id as never });
  const refusal = (field: string, setting: string) => ({
    error: {
      code: 'REACH_REFUSED',
      message: expect.stringContaining(setting),
      details: expect.objectContaining({
        fields: { [field]: [expect.stringContaining(`allowed by ${setting}`)] },
        settings: [setting],
      }),
    },
  });
  const created: { kind: 'ps' | 'tr'; id: string }[] = [];

  beforeAll(async () => {
    // The status sync records a failed job's reason (the engine-text spec below).
    app = await startDfApp('reach', { DF_SYNC_INTERVAL: '1s' });
    dir = await dataTempDir(app, 'df-it-reach-');
  });

  afterAll(async () => {
    for (const { kind, id } of created) await app.api.delete(`/${kind}/${id}${kind === 'tr' ? '?mode=cancel' : ''}`);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(outside, { force: true });
  });

  it('refuses a FileStreamSource on /etc/shadow: 400, no connector in Kafka Connect, no task in the store', async () => {
    const id = uniqueName('reach-shadow');
    const res = await app.api.post('/ps', {
      id,
      name: id,
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { file: '/etc/shadow', topic: uniqueName('it-shadow') },
    });
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject(refusal('connectorConfig.file', 'DF_ALLOWED_PATHS'));
    expect((await connect().get(`/connectors/${id}`)).status).toBe(404);
    expect(await storedCount(id)).toBe(0);
  });

  it("refuses a MongoDB sink into DF's own store, named or left to the connector's default: 400, no connector", async () => {
    const sink = {
      'connector.class': 'com.mongodb.kafka.connect.MongoSinkConnector',
      topics: uniqueName('it-mongo'),
      database: app.config.mongo.db,
      collection: 'df_processor',
    };
    const named = uniqueName('reach-store');
    const toStore = await app.api.post('/ps', {
      id: named,
      name: named,
      connectorConfig: { ...sink, 'connection.uri': app.config.metadata.connectMongoUrl },
    });
    expect(toStore.status).toBe(400);
    expect(toStore.data).toMatchObject(refusal('connectorConfig.connection.uri', 'DF_ALLOWED_TASK_HOSTS'));
    const unnamed = uniqueName('reach-default');
    const toDefault = await app.api.post('/ps', { id: unnamed, name: unnamed, connectorConfig: sink });
    expect(toDefault.status).toBe(400);
    expect(toDefault.data).toMatchObject(refusal('connectorConfig.connection.uri', 'DF_ALLOWED_TASK_HOSTS'));
    for (const id of [named, unnamed]) {
      expect((await connect().get(`/connectors/${id}`)).status).toBe(404);
      expect(await storedCount(id)).toBe(0);
    }
  });

  it('refuses a FileStreamSink writing outside the data directory: 400, and no file is made', async () => {
    const id = uniqueName('reach-sink');
    const res = await app.api.post('/ps', {
      id,
      name: id,
      connectorConfig: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
        file: outside,
        topics: uniqueName('it-sink'),
      },
    });
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject(refusal('connectorConfig.file', 'DF_ALLOWED_PATHS'));
    expect((await connect().get(`/connectors/${id}`)).status).toBe(404);
    await expect(fs.stat(outside)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses the same file through a path that climbs out of the data directory, or a link that leads out', async () => {
    await fs.symlink('/etc', path.join(dir, 'etc-link'));
    for (const file of [
      path.join(dir, '..', '..', '..', '..', 'etc', 'shadow'),
      path.join(dir, 'etc-link', 'shadow'),
    ]) {
      const id = uniqueName('reach-escape');
      const res = await app.api.post('/ps', {
        id,
        name: id,
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { file, topic: uniqueName('it-esc') },
      });
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject(refusal('connectorConfig.file', 'DF_ALLOWED_PATHS'));
      expect(await storedCount(id)).toBe(0);
    }
  });

  it('refuses a class outside the allowed ones, naming the setting that would allow it', async () => {
    const id = uniqueName('reach-class');
    const res = await app.api.post('/ps', {
      id,
      name: id,
      connectorConfig: { 'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector' },
    });
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject(refusal('connectorConfig.connector.class', 'DF_ALLOWED_CONNECTOR_CLASSES'));
    expect(await storedCount(id)).toBe(0);
  });

  it('adds a FileStreamSource on a file under the data directory (201)', async () => {
    const id = uniqueName('reach-ok');
    const file = path.join(dir, 'in.txt');
    await fs.writeFile(file, 'one\n');
    const res = await app.api.post('/ps', {
      id,
      name: id,
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { file, topic: uniqueName('it-ok') },
    });
    expect(res.status).toBe(201);
    created.push({ kind: 'ps', id });
    expect((await connect().get(`/connectors/${id}/config`)).data).toMatchObject({
      file,
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    });
  });

  it('refuses an update that points an existing connect outside the data directory, leaving it as it was', async () => {
    const id = created.find((c) => c.kind === 'ps')?.id as string;
    const res = await app.api.patch(`/ps/${id}`, { connectorConfig: { file: '/etc/shadow' } });
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject(refusal('connectorConfig.file', 'DF_ALLOWED_PATHS'));
    expect((await connect().get(`/connectors/${id}/config`)).data.file).toBe(path.join(dir, 'in.txt'));
  });

  it('refuses a Flink SQL filesystem table on file:///etc/shadow: 400 and no Flink job', async () => {
    const id = uniqueName('reach-sql');
    const before = await flinkJobNames();
    const res = await app.api.post('/tr', {
      id,
      name: id,
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQL',
      connectorConfig: {
        trans_sql: `CREATE TABLE t (line STRING) WITH ('connector'='filesystem','path'='file:///etc/shadow','format'='raw');
          CREATE TABLE s (n INT) WITH ('connector'='blackhole');
          INSERT INTO s SELECT CAST(line AS INT) FROM t`,
      },
    });
    expect(res.status).toBe(400);
    expect(res.data).toMatchObject(refusal('connectorConfig.trans_sql', 'DF_ALLOWED_PATHS'));
    expect(await storedCount(id)).toBe(0);
    // Other deployments share the cluster: what matters is that no job of this task appeared.
    expect(before.filter((name) => name === `df-${id}`)).toEqual([]);
    expect((await flinkJobNames()).filter((name) => name === `df-${id}`)).toEqual([]);
  });

  it('refuses a config check whose connection.uri names a foreign host, without Kafka Connect dialling it', async () => {
    const dialled: string[] = [];
    const foreign = net.createServer((socket) => {
      dialled.push(String(socket.remoteAddress));
      socket.destroy();
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.2', resolve));
    const port = (foreign.address() as net.AddressInfo).port;
    try {
      const res = await app.api.post('/config/com.mongodb.kafka.connect.MongoSinkConnector/validate', {
        connectorConfig: {
          topics: 't',
          'connection.uri': `mongodb://127.0.0.2:${port}/?serverSelectionTimeoutMS=2000`,
          database: 'x',
        },
      });
      expect(res.status).toBe(400);
      expect(res.data).toMatchObject(refusal('connectorConfig.connection.uri', 'DF_ALLOWED_TASK_HOSTS'));
      expect(dialled).toEqual([]);
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  });

  it("keeps a failing job's reason to the engine's message line, bounded, whatever the rows it failed on", async () => {
    const id = uniqueName('reach-bound');
    const file = path.join(dir, 'rows.txt');
    await fs.writeFile(file, `${'x'.repeat(2000)}\nsecond-line-of-the-file\n`);
    const res = await app.api.post('/tr', {
      id,
      name: id,
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQL',
      connectorConfig: {
        trans_sql: `CREATE TABLE t (line STRING) WITH ('connector'='filesystem','path'='file://${file}','format'='raw');
          CREATE TABLE s (n INT) WITH ('connector'='blackhole');
          INSERT INTO s SELECT CAST(line AS INT) FROM t`,
      },
    });
    expect(res.status).toBe(201);
    created.push({ kind: 'tr', id });
    let seen: unknown;
    // The job fails on the first row and Flink restarts it: RESTARTING or FAILED, with the reason.
    const failed = await eventually(
      'the job to fail',
      async () => {
        const { data } = await app.api.get(`/tr/${id}`);
        seen = {
          status: data.status,
          statusReason: data.statusReason,
          answered: { status: res.data.status, statusReason: res.data.statusReason },
        };
        return /^Flink job (FAILED|RESTARTING)/.test(data.statusReason ?? '')
          ? (data as { statusReason: string })
          : undefined;
      },
      90_000,
    ).catch((error) => {
      throw new Error(`${(error as Error).message}; last seen ${JSON.stringify(seen)}`);
    });
    expect(failed.statusReason).not.toMatch(/[\r\n]/);
    expect(failed.statusReason.replace(/^Flink job \w+: /, '').length).toBeLessThanOrEqual(300);
    expect(failed.statusReason).not.toContain('second-line-of-the-file');
    expect(failed.statusReason).not.toContain('x'.repeat(400));
    const history = (await app.api.get(`/status/${id}/history`)).data as { reason?: string }[];
    for (const row of history)
      expect((row.reason ?? '').replace(/^Flink job \w+: /, '').length).toBeLessThanOrEqual(300);
  });
});
