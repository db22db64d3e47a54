import fs from 'node:fs';
import https from 'node:https';
import tls from 'node:tls';
import axios from 'axios';
import type { DependencyHealth } from '../../src/health';
import { freePort } from '../support/built-service';
import { DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { addDatagenTransform } from '../support/transforms';
import { makeTestPki, TestPki } from '../support/test-pki';
import { eventually } from '../support/wait';
import { dfHealthWith } from '../support/df-health';

/**
 * Flink's JobManager REST and the SQL Gateway of the secure profile run Flink's own TLS with mutual
 * authentication: Flink has no password on REST, so a client certificate signed by the profile's CA
 * is what lets a caller in. DF, told only the secure env, reaches both with its client certificate
 * and says in plain words why it cannot when a certificate or the address is wrong.
 */
const env = process.env as Record<string, string>;
const ca = () => fs.readFileSync(env.FLINK_TLS_CA_FILE);
const clientCert = () => ({
  cert: fs.readFileSync(env.FLINK_TLS_CERT_FILE),
  key: fs.readFileSync(env.FLINK_TLS_KEY_FILE),
});

const ENDPOINTS = [
  { name: "the JobManager's REST", url: () => env.FLINK_URL, path: '/overview', answer: { 'flink-version': '2.3.0' } },
  { name: 'the SQL Gateway', url: () => env.FLINK_SQL_GATEWAY_URL, path: '/v1/info', answer: { version: '2.3.0' } },
];

/** What one GET over https with this TLS material gets: the answer's status, or the error's message. */
async function getWith(url: string, tls: https.AgentOptions): Promise<string> {
  const httpsAgent = new https.Agent({ ...tls, keepAlive: false });
  try {
    const res = await axios.get(url, { httpsAgent, timeout: 10000, validateStatus: () => true });
    return `HTTP ${res.status}`;
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  } finally {
    httpsAgent.destroy();
  }
}

/** DF's /health entries for Flink and the SQL Gateway, with these variables over the secure env. */
async function flinkHealth(
  overrides: Record<string, string>,
): Promise<{ flink: DependencyHealth; flinkSqlGateway: DependencyHealth }> {
  const { report } = await dfHealthWith(overrides);
  return { flink: report.dependencies.flink, flinkSqlGateway: report.dependencies.flinkSqlGateway };
}

describe.each(ENDPOINTS)('$name with mutual TLS', ({ url, path, answer }) => {
  let pki: TestPki;

  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => pki?.remove());

  it("answers a client that shows the profile's client certificate", async () => {
    const httpsAgent = new https.Agent({ ca: ca(), ...clientCert() });
    const res = await axios.get(`${url()}${path}`, { httpsAgent, timeout: 10000 });
    httpsAgent.destroy();
    expect(res.data).toMatchObject(answer);
  });

  // Flink's TLS port answers plain http with a redirect to https and nothing else.
  it('answers plain http with nothing but a redirect to https', async () => {
    const plain = `${url().replace(/^https:/, 'http:')}${path}`;
    const res = await axios.get(plain, { maxRedirects: 0, timeout: 10000, validateStatus: () => true });
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe(`${url()}${path}`);
    expect(res.data).toBe('');
  });

  it('refuses an https client without a client certificate', async () => {
    expect(await getWith(`${url()}${path}`, { ca: ca() })).toMatch(/^failed: .*alert bad certificate/);
  });

  it('refuses a client certificate signed by another CA', async () => {
    const foreign = { cert: pki.read(pki.clientCert), key: pki.read(pki.clientKey) };
    expect(await getWith(`${url()}${path}`, { ca: ca(), ...foreign })).toMatch(/^failed: .*alert certificate unknown/);
  });
});

/** How a TLS handshake with 127.0.0.1:port ends for a client showing this certificate. */
function handshake(port: number, certificate: { cert: Buffer; key: Buffer }): Promise<string> {
  return new Promise((resolve) => {
    // The cluster's own certificate is self-signed: the client takes it, to see what the server says.
    const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, ...certificate });
    socket.setTimeout(10000, () => socket.destroy(new Error('no answer')));
    socket.on('secureConnect', () => {
      // TLS 1.2: the server's verdict on the client certificate follows the handshake.
      socket.once('data', () => resolve('answered'));
    });
    socket.on('error', (error) => resolve(`failed: ${error.message}`));
    socket.on('close', () => resolve('closed'));
  });
}

describe("the cluster's RPC port", () => {
  it("refuses DF's client certificate: only the cluster's own certificate joins the cluster", async () => {
    expect(await handshake(16123, clientCert())).toMatch(/^failed: .*alert certificate unknown/);
  });
});

describe('DF told only the secure env', () => {
  let app: DfApp;
  const cleanup: string[] = [];

  beforeAll(async () => {
    app = await startDfApp('flink_secure');
  });
  afterAll(async () => {
    for (const id of cleanup) await app.api.delete(`/tr/${id}`, { params: { mode: 'cancel' } });
    await app?.close();
  });

  it('reports Flink and the SQL Gateway up on /health, reached over mTLS', async () => {
    const res = await axios.get(app.baseUrl.replace(/\/api\/df$/, '/health'), { validateStatus: () => true });
    expect(res.data.dependencies.flink).toMatchObject({ status: 'up', target: env.FLINK_URL });
    expect(res.data.dependencies.flinkSqlGateway).toMatchObject({ status: 'up', target: env.FLINK_SQL_GATEWAY_URL });
    expect(env.FLINK_URL).toMatch(/^https:/);
    expect(env.FLINK_SQL_GATEWAY_URL).toMatch(/^https:/);
  });

  it('runs a SQL transform through the gateway, whose job the JobManager runs', async () => {
    const id = uniqueName('secure-sql');
    cleanup.push(id);
    const added = await addDatagenTransform(app, id);
    expect(added.status).toBe('RUNNING');
    const jobId = String(added.jobConfig.flink_job_id);
    const job = await eventually('the job to run in Flink', async () => {
      const details = await app.services.flink.job(jobId);
      return details?.state === 'RUNNING' ? details : undefined;
    });
    expect(job.state).toBe('RUNNING');
    const deleted = await app.api.delete(`/tr/${id}`, { params: { mode: 'cancel' } });
    expect(deleted.status).toBeLessThan(300);
    cleanup.pop();
    const ended = await eventually('the job to be cancelled', async () => {
      const state = (await app.services.flink.job(jobId))?.state;
      return state === 'CANCELED' ? state : undefined;
    });
    expect(ended).toBe('CANCELED');
  });
});

describe("DF's /health names the cause in plain words", () => {
  let pki: TestPki;

  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => pki?.remove());

  it('when the services refuse its client certificate (signed by another CA)', async () => {
    const health = await flinkHealth({
      FLINK_TLS_CERT_FILE: pki.clientCert,
      FLINK_TLS_KEY_FILE: pki.clientKey,
      FLINK_SQL_GATEWAY_TLS_CERT_FILE: pki.clientCert,
      FLINK_SQL_GATEWAY_TLS_KEY_FILE: pki.clientKey,
    });
    expect(health.flink).toMatchObject({ status: 'down', target: env.FLINK_URL });
    expect(health.flink.error).toContain(
      "TLS: the service refused the connection's client certificate, or wanted one (FLINK_TLS_CERT_FILE, FLINK_TLS_KEY_FILE)",
    );
    expect(health.flinkSqlGateway).toMatchObject({ status: 'down', target: env.FLINK_SQL_GATEWAY_URL });
    expect(health.flinkSqlGateway.error).toContain(
      "TLS: the service refused the connection's client certificate, or wanted one (FLINK_SQL_GATEWAY_TLS_CERT_FILE, FLINK_SQL_GATEWAY_TLS_KEY_FILE)",
    );
  });

  it('when it shows no client certificate', async () => {
    const health = await flinkHealth({ FLINK_TLS_CERT_FILE: '', FLINK_TLS_KEY_FILE: '' });
    expect(health.flink.status).toBe('down');
    expect(health.flink.error).toContain(
      "TLS: the service refused the connection's client certificate, or wanted one (FLINK_TLS_CERT_FILE, FLINK_TLS_KEY_FILE)",
    );
  });

  it("when it does not trust the services' CA", async () => {
    const health = await flinkHealth({ FLINK_TLS_CA_FILE: pki.ca, FLINK_SQL_GATEWAY_TLS_CA_FILE: pki.ca });
    expect(health.flink.status).toBe('down');
    expect(health.flink.error).toContain(
      'TLS: certificate signed by an unknown authority (give its CA in FLINK_TLS_CA_FILE)',
    );
    expect(health.flinkSqlGateway.status).toBe('down');
    expect(health.flinkSqlGateway.error).toContain(
      'TLS: certificate signed by an unknown authority (give its CA in FLINK_SQL_GATEWAY_TLS_CA_FILE)',
    );
  });

  it('when nothing listens at the address', async () => {
    const port = await freePort();
    const health = await flinkHealth({
      FLINK_URL: `https://127.0.0.1:${port}`,
      FLINK_SQL_GATEWAY_URL: `https://127.0.0.1:${port}`,
    });
    expect(health.flink).toMatchObject({ status: 'down', target: `https://127.0.0.1:${port}` });
    expect(health.flink.error).toContain('connection refused: nothing listens at that address');
    expect(health.flinkSqlGateway).toMatchObject({ status: 'down', target: `https://127.0.0.1:${port}` });
    expect(health.flinkSqlGateway.error).toContain('connection refused: nothing listens at that address');
  });
});
