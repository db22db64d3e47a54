import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import axios from 'axios';
import { loadConfig } from '../../src/config';
import { connectRest } from '../support/connect-rest';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { topicConfig } from '../support/kafka';
import { uniqueName } from '../support/stack';

/** A port on loopback that nothing listens at: taken, then freed. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * DF configured with two Kafka Connect workers of which the first is down (nothing listens at its
 * address): every operation goes through the second, and the real stack's topics get the
 * replication settings DF is given.
 */
describe('clustered engines: a Connect worker down, DF topic replication settings', () => {
  let app: DfApp;
  let dir: string;
  let down: string;
  let worker: string;
  const id = uniqueName('failover');
  const subject = uniqueName('replicated');
  const connect = () => connectRest(app.config);

  beforeAll(async () => {
    worker = loadConfig({ DF_DEV_MODE: 'true', ...process.env }).kafkaConnectUrl;
    // The same scheme as the live worker's, so its TLS settings apply to both URLs.
    down = `${new URL(worker).protocol}//127.0.0.1:${await closedPort()}`;
    app = await startDfApp('clustered', {
      KAFKA_CONNECT_URL: `${down},${worker}`,
      DF_TOPIC_REPLICATION: '1',
      DF_TOPIC_MIN_INSYNC_REPLICAS: '1',
    });
    dir = await dataTempDir(app, 'df-it-failover-');
    await fs.writeFile(path.join(dir, 'lines.txt'), 'one\ntwo\n');
  });

  afterAll(async () => {
    await connect().delete(`/connectors/${id}`);
    await engineHttp(app.config, 'schemaRegistry').delete(`/subjects/${subject}`);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('adds a connector through the worker that answers', async () => {
    const res = await app.api.post('/ps', {
      id,
      name: 'Lines through the second worker',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { tasks_max: 1, file: path.join(dir, 'lines.txt'), topic: uniqueName('it-failover-topic') },
    });
    expect(res.status).toBe(201);
    expect(res.data).toMatchObject({ id, connectUid: id, status: 'RUNNING' });
    expect((await connect().get(`/connectors/${id}`)).status).toBe(200);
  });

  it("reads it, and Connect's status, through that worker", async () => {
    const res = await app.api.get(`/ps/${id}`);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ id, status: 'RUNNING' });
    const status = await app.api.get(`/status/${id}`);
    expect(status.status).toBe(200);
  });

  it('shows in /health the worker in use and both configured', async () => {
    const res = await axios.get(`${app.baseUrl.replace(/\/api\/df$/, '')}/health`, { validateStatus: () => true });
    expect(res.data.dependencies.kafkaConnect).toEqual(
      expect.objectContaining({ status: 'up', target: worker, targets: [down, worker] }),
    );
  });

  it('deletes it through that worker', async () => {
    const res = await app.api.delete(`/ps/${id}`);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ id, deleted: true, connectorExisted: true });
    expect((await connect().get(`/connectors/${id}`)).status).toBe(404);
  });

  it("creates a schema's topic with DF's min.insync.replicas", async () => {
    const res = await app.api.post('/schema', { subject, schema: { type: 'record', name: 'R', fields: [] } });
    expect(res.status).toBe(201);
    expect(await topicConfig(app.config.kafkaBrokers, subject, 'min.insync.replicas')).toEqual({
      value: '1',
      setOnTopic: true,
    });
  });

  it("answers a replication factor the cluster cannot give with Kafka's refusal and its broker count, registering nothing", async () => {
    const refused = uniqueName('overreplicated');
    const res = await app.api.post('/schema', {
      subject: refused,
      schema: { type: 'record', name: 'R', fields: [] },
      replicationFactor: 3,
    });
    expect(res.status).toBe(400);
    expect(res.data.error.code).toBe('RAS_CLIENT_ERROR');
    expect(res.data.error.message).toBe(
      `kafka refused to create topic ${refused}: Replication-factor is invalid: 3 replicas asked, the cluster has 1 broker(s)`,
    );
    expect((await engineHttp(app.config, 'schemaRegistry').get(`/subjects/${refused}/versions`)).status).toBe(404);
  });
});
