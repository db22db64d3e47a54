import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import axios from 'axios';
import { Kafka, KafkaConfig, logLevel } from 'kafkajs';
import type { DependencyHealth, HealthReport } from '../../src/health';
import { aroundBuiltService, freePort } from '../support/built-service';
import { connectRest } from '../support/connect-rest';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { dfStartedWith } from '../support/df-health';
import { envKafkaSecurity, readTopic } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { makeTestPki, TestPki } from '../support/test-pki';

/**
 * Kafka and Kafka Connect of the secure profile enforce their own security: the broker takes only
 * SASL_SSL clients that log in with SCRAM, Connect's REST only https with basic auth. DF, set up by
 * the profile's environment alone, works through both and says in plain words why it cannot.
 */
const env = process.env as Record<string, string>;
const brokers = env.KAFKA_BROKERS.split(',');
const connectUrl = env.KAFKA_CONNECT_URL;
const ca = fs.readFileSync(env.KAFKA_TLS_CA_FILE, 'utf8');
const kafkaPassword = fs.readFileSync(env.KAFKA_SASL_PASSWORD_FILE, 'utf8').trim();
const connectPassword = fs.readFileSync(env.KAFKA_CONNECT_PASSWORD_FILE, 'utf8').trim();

/** What a client of the broker gets from one cluster description: the cluster id, or the error. */
async function describeWith(security: Pick<KafkaConfig, 'ssl' | 'sasl'>): Promise<string> {
  const kafka = new Kafka({
    clientId: 'df-secure-test',
    brokers,
    ...security,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 5000,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return `cluster ${(await admin.describeCluster()).clusterId}`;
  } catch (error) {
    return `refused: ${(error as Error).name}: ${(error as Error).message}`;
  } finally {
    await admin.disconnect();
  }
}

describe('Kafka on the secure profile', () => {
  it('takes user df over SASL_SSL with SCRAM-SHA-512 and the profile CA', async () => {
    const sasl = { mechanism: 'scram-sha-512' as const, username: 'df', password: kafkaPassword };
    expect(await describeWith({ ssl: { ca }, sasl })).toMatch(/^cluster \S+/);
  });

  it('takes user df with SCRAM-SHA-256 as well', async () => {
    const sasl = { mechanism: 'scram-sha-256' as const, username: 'df', password: kafkaPassword };
    expect(await describeWith({ ssl: { ca }, sasl })).toMatch(/^cluster \S+/);
  });

  // The broker hangs up on both: a client that skips TLS, and one that skips the SASL login.
  it('refuses a plaintext client', async () => {
    expect(await describeWith({})).toMatch(/^refused: KafkaJS\w+: Closed connection$/);
  });

  it('refuses a TLS client that does not log in', async () => {
    expect(await describeWith({ ssl: { ca } })).toMatch(/^refused: KafkaJS\w+: Closed connection$/);
  });

  it('refuses user df with a wrong password', async () => {
    const sasl = { mechanism: 'scram-sha-512' as const, username: 'df', password: 'not-the-password' };
    expect(await describeWith({ ssl: { ca }, sasl })).toMatch(/^refused: .*SASL SCRAM SHA512 authentication failed/);
  });
});

describe('Kafka Connect on the secure profile', () => {
  const httpsAgent = new https.Agent({ ca });
  const get = (url: string, auth?: { username: string; password: string }) =>
    axios.get(url, { httpsAgent, auth, validateStatus: () => true, timeout: 10000 });

  it('answers user df over https with its password', async () => {
    const res = await get(`${connectUrl}/connector-plugins`, { username: 'df', password: connectPassword });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.data)).toContain('FileStreamSourceConnector');
  });

  // The https listener answers plain http with TLS bytes, which no HTTP client takes for an answer.
  it('refuses http://', async () => {
    const outcome = await get(`${connectUrl.replace(/^https:/, 'http:')}/connectors`, {
      username: 'df',
      password: connectPassword,
    }).then(
      (res) => `HTTP ${res.status}`,
      (error: { code?: string }) => `failed: ${error.code}`,
    );
    expect(outcome).toMatch(/^failed: HPE_/);
  });

  it('refuses https without credentials with 401', async () => {
    expect((await get(`${connectUrl}/connectors`)).status).toBe(401);
  });

  it('refuses user df with a wrong password with 401', async () => {
    expect((await get(`${connectUrl}/connectors`, { username: 'df', password: 'not-the-password' })).status).toBe(401);
  });
});

describe('DF on the secure Kafka and Kafka Connect', () => {
  let app: DfApp;
  let dir: string;
  const id = uniqueName('secure_fs');
  const topic = uniqueName('secure-fs-topic');

  beforeAll(async () => {
    app = await startDfApp('secure_kafka');
    dir = await dataTempDir(app, 'df-secure-kafka-');
  });

  afterAll(async () => {
    await connectRest(app.config).delete(`/connectors/${id}`);
    await app?.close();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('reports Kafka and Kafka Connect up in /health', async () => {
    const health = await healthOf(app);
    expect(health.dependencies.kafka).toMatchObject({ status: 'up', target: brokers.join(',') });
    expect(health.dependencies.kafkaConnect).toMatchObject({ status: 'up', target: connectUrl });
  });

  it('runs a FileStreamSource connect whose lines reach the topic, then deletes it', async () => {
    const file = path.join(dir, 'lines.txt');
    await fs.promises.writeFile(file, 'alpha\nbeta\n');
    const res = await app.api.post('/ps', {
      id,
      name: 'Lines to a secured topic',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { tasks_max: 1, file, topic },
    });
    expect(res.status).toBe(201);
    expect(res.data).toMatchObject({ id, status: 'RUNNING' });
    const { data: state } = await connectRest(app.config).get(`/connectors/${id}/status`);
    expect(state.connector.state).toBe('RUNNING');
    expect(await readTopic(app.config.kafkaBrokers, topic, 2, envKafkaSecurity())).toEqual(['"alpha"', '"beta"']);

    const deleted = await app.api.delete(`/ps/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.data).toEqual({ id, deleted: true, connectorExisted: true });
    expect((await connectRest(app.config).get(`/connectors/${id}`)).status).toBe(404);
  });
});

describe("DF's /health names why it cannot reach the secure Kafka and Kafka Connect", () => {
  const db = uniqueName('sec_kafka_refused');
  aroundBuiltService(db);
  let pki: TestPki;
  let wrongPassword: string;

  beforeAll(() => {
    pki = makeTestPki();
    wrongPassword = path.join(pki.dir, 'wrong-password');
    fs.writeFileSync(wrongPassword, 'not-the-password\n');
  });

  afterAll(() => pki.remove());

  /** DF's health with these settings over the secure environment's. */
  async function dependenciesWith(
    settings: () => Promise<Record<string, string>>,
  ): Promise<{ kafka: DependencyHealth; kafkaConnect: DependencyHealth; shown: string }> {
    const { report } = await dfStartedWith({ MONGO_DB: db, ...(await settings()) });
    return { ...report.dependencies, shown: JSON.stringify(report) } as never;
  }

  it('a wrong password: SASL authentication failed, and HTTP 401', async () => {
    const { kafka, kafkaConnect, shown } = await dependenciesWith(async () => ({
      KAFKA_SASL_PASSWORD_FILE: wrongPassword,
      KAFKA_CONNECT_PASSWORD_FILE: wrongPassword,
    }));
    expect(kafka).toMatchObject({ status: 'down', error: expect.stringMatching(/SASL authentication failed/) });
    expect(kafkaConnect).toMatchObject({
      status: 'down',
      error: expect.stringMatching(/HTTP 401: authentication failed \(check KAFKA_CONNECT_USERNAME/),
    });
    for (const secret of [kafkaPassword, connectPassword, 'not-the-password']) expect(shown).not.toContain(secret);
  });

  it("a CA that did not sign the services' certificates: certificate signed by an unknown authority", async () => {
    const { kafka, kafkaConnect, shown } = await dependenciesWith(async () => ({
      KAFKA_TLS_CA_FILE: pki.ca,
      KAFKA_CONNECT_TLS_CA_FILE: pki.ca,
    }));
    expect(kafka).toMatchObject({
      status: 'down',
      error: expect.stringMatching(/TLS: certificate signed by an unknown authority \(KAFKA_TLS_CA_FILE\)/),
    });
    expect(kafkaConnect).toMatchObject({
      status: 'down',
      error: expect.stringMatching(/TLS: certificate signed by an unknown authority .*KAFKA_CONNECT_TLS_CA_FILE/),
    });
    for (const secret of [kafkaPassword, connectPassword]) expect(shown).not.toContain(secret);
  });

  it('nothing listening: connection refused', async () => {
    const { kafka, kafkaConnect, shown } = await dependenciesWith(async () => ({
      KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
      KAFKA_CONNECT_URL: `https://127.0.0.1:${await freePort()}`,
    }));
    expect(kafka).toMatchObject({
      status: 'down',
      error: expect.stringMatching(/connection refused: nothing listens at that address \(KAFKA_BROKERS\)/),
    });
    expect(kafkaConnect).toMatchObject({
      status: 'down',
      error: expect.stringMatching(/connection refused: nothing listens at that address/),
    });
    for (const secret of [kafkaPassword, connectPassword]) expect(shown).not.toContain(secret);
  });
});

async function healthOf(app: DfApp): Promise<HealthReport> {
  const res = await axios.get(app.baseUrl.replace(/\/api\/df$/, '/health'), { validateStatus: () => true });
  return res.data as HealthReport;
}
