import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { promisify } from 'node:util';
import axios from 'axios';
import { Connection, type TLSConfig } from '@temporalio/client';
import { DfApp, startDfApp } from '../support/df-app';
import { freePort } from '../support/built-service';
import { makeTestPki, TestPki } from '../support/test-pki';
import { temporalCliPath } from '../support/stack';
import { eventually } from '../support/wait';
import { dfHealthWith } from '../support/df-health';

/** The secure env's Temporal: its address and the profile's CA, client certificate and key. */
const env = () => ({
  address: process.env.TEMPORAL_ADDRESS ?? '',
  ca: fs.readFileSync(process.env.TEMPORAL_TLS_SERVER_CA_CERT_PATH ?? ''),
  crt: fs.readFileSync(process.env.TEMPORAL_TLS_CLIENT_CERT_PATH ?? ''),
  key: fs.readFileSync(process.env.TEMPORAL_TLS_CLIENT_KEY_PATH ?? ''),
});

/** The gRPC health service's status, asked on a fresh connection with these TLS options. */
async function healthCheck(options: TLSConfig): Promise<number | null | undefined> {
  const connection = await Connection.connect({ address: env().address, tls: options, connectTimeout: '5 seconds' });
  try {
    return (await connection.healthService.check({})).status;
  } finally {
    await connection.close();
  }
}

/**
 * What the server does with a connection, in its own terms below gRPC: the TLS alert it sends, or
 * the bytes it answers before closing. A connection it keeps is ended after 10 s, with no error.
 */
function serverVerdict(socket: net.Socket): Promise<{ error?: string; answered: Buffer; closed: boolean }> {
  return new Promise((resolve) => {
    let answered = Buffer.alloc(0);
    let error: string | undefined;
    const kept = setTimeout(() => {
      socket.destroy();
      resolve({ error, answered, closed: false });
    }, 10000);
    socket.on('data', (d: Buffer) => (answered = Buffer.concat([answered, d])));
    socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
    socket.on('close', () => {
      clearTimeout(kept);
      resolve({ error, answered, closed: true });
    });
  });
}

const host = () => env().address.split(':')[0];
const port = () => Number(env().address.split(':')[1]);
const tlsTo = (options: tls.ConnectionOptions) =>
  tls.connect({ host: host(), port: port(), servername: 'localhost', ca: env().ca, ALPNProtocols: ['h2'], ...options });

/** DF's /health entry for Temporal, with these variables over the secure env. */
async function temporalHealth(overrides: Record<string, string>) {
  return (await dfHealthWith(overrides)).report.dependencies.temporal;
}

/**
 * The secure profile's Temporal is the real server with mTLS on its frontend: a client must show a
 * certificate signed by the profile's CA, and DF, told only the secure env, reaches it that way.
 */
describe('Temporal with mutual TLS', () => {
  let pki: TestPki;

  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => pki?.remove());

  it('answers a client that shows the profile client certificate', async () => {
    const { ca, crt, key } = env();
    expect(
      await healthCheck({ serverRootCACertificate: ca, serverNameOverride: 'localhost', clientCertPair: { crt, key } }),
    ).toBe(1);
  });

  it('ends the TLS handshake of a client without a certificate with the alert "certificate required"', async () => {
    const verdict = await serverVerdict(tlsTo({}));
    expect(verdict).toMatchObject({ closed: true, error: 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED' });
  });

  it('ends the TLS handshake of a client certificate from another CA with the alert "unknown ca"', async () => {
    const verdict = await serverVerdict(tlsTo({ cert: pki.read(pki.clientCert), key: pki.read(pki.clientKey) }));
    expect(verdict).toMatchObject({ closed: true, error: 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA' });
  });

  it('closes a plaintext HTTP/2 (gRPC) connection without answering a byte', async () => {
    const socket = net.connect(port(), host());
    socket.on('connect', () =>
      socket.write(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0', 'latin1')),
    );
    const verdict = await serverVerdict(socket);
    expect(verdict.closed).toBe(true);
    expect(verdict.answered.length).toBe(0);
  });

  describe('DF told only the secure env', () => {
    let app: DfApp;

    beforeAll(async () => {
      app = await startDfApp('temporal_secure');
    });
    afterAll(async () => {
      await app?.close();
    });

    it('reports Temporal up on /health, reached over mTLS', async () => {
      const res = await axios.get(app.baseUrl.replace(/\/api\/df$/, '/health'), { validateStatus: () => true });
      expect(res.data.dependencies.temporal).toMatchObject({ status: 'up', target: env().address });
      expect(app.config.temporal.security).toMatchObject({ tls: true, auth: 'mtls', serverName: 'localhost' });
    });

    it('runs a workflow through it, which the CLI lists with the same env alone', async () => {
      const res = await app.api.get('/schema', { params: { _start: 0, _end: 1 } });
      expect(res.status).toBe(200);
      const queue = app.config.temporal.taskQueue;
      const listed = await eventually(
        'the CLI to list the run',
        async () => {
          const { stdout } = await promisify(execFile)(
            temporalCliPath(),
            ['workflow', 'list', '--query', `TaskQueue = '${queue}'`, '--output', 'json'],
            { env: process.env },
          );
          const runs = JSON.parse(stdout || '[]') as { taskQueue?: string }[];
          return runs.length > 0 ? runs : undefined;
        },
        30000,
      );
      expect(listed[0].taskQueue).toBe(queue);
    });
  });

  describe("DF's /health names the cause in plain words", () => {
    it('when the server refuses its client certificate (signed by another CA)', async () => {
      const health = await temporalHealth({
        TEMPORAL_TLS_CLIENT_CERT_PATH: pki.clientCert,
        TEMPORAL_TLS_CLIENT_KEY_PATH: pki.clientKey,
      });
      expect(health.status).toBe('down');
      expect(health.error).toMatch(/^TLS: the server refused the client certificate/);
    });

    it('when it shows no client certificate', async () => {
      const health = await temporalHealth({ TEMPORAL_TLS_CLIENT_CERT_PATH: '', TEMPORAL_TLS_CLIENT_KEY_PATH: '' });
      expect(health.status).toBe('down');
      expect(health.error).toMatch(/^TLS: the server refused the client certificate/);
    });

    it("when it does not trust the server's CA", async () => {
      const health = await temporalHealth({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.ca });
      expect(health.status).toBe('down');
      expect(health.error).toMatch(/^TLS: certificate signed by an unknown authority/);
    });

    it('when it speaks plaintext to the TLS-only server', async () => {
      const health = await temporalHealth({
        TEMPORAL_TLS: 'false',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: '',
        TEMPORAL_TLS_CLIENT_CERT_PATH: '',
        TEMPORAL_TLS_CLIENT_KEY_PATH: '',
        TEMPORAL_TLS_SERVER_NAME: '',
      });
      expect(health.status).toBe('down');
      expect(health.error).toMatch(/^the server closed the connection without answering \(a Temporal that wants TLS/);
    });

    it('when nothing answers at the address', async () => {
      const health = await temporalHealth({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
      expect(health.status).toBe('down');
      expect(health.error).toMatch(/^unreachable: connection refused/);
    });
  });
});
