import fs from 'node:fs';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import type { DfError } from '../../src/domain/errors';
import { createHealthCheck, logUnreachable } from '../../src/health';
import { FlinkClient } from '../../src/ras/flink';
import { KafkaConnectClient } from '../../src/ras/kafka-connect';
import { SchemaRegistryClient } from '../../src/ras/schema-registry';
import type { ServiceAccess } from '../../src/ras/service-access';
import { SqlGatewayClient } from '../../src/ras/sql-gateway';
import { makeTestPki, TestPki } from '../support/test-pki';
import { dfFailureOf } from '../support/df-failure';

const USER = 'df-user';
const PASSWORD = 'pw-Hunter2-never-shown';
const TOKEN = 'tok-Hunter2-never-shown-0123456789';
/** Every form in which a credential could leak: as given, and as the basic auth header carries it. */
const SECRETS = [PASSWORD, TOKEN, Buffer.from(`${USER}:${PASSWORD}`).toString('base64')];

/** Each client DF has of a REST service, with its cheapest call and the prefix of its variables. */
const KINDS = [
  {
    name: 'Kafka Connect',
    prefix: 'KAFKA_CONNECT',
    call: (a: ServiceAccess) => new KafkaConnectClient(a, 3000).info(),
  },
  { name: 'Flink REST', prefix: 'FLINK', call: (a: ServiceAccess) => new FlinkClient(a, 3000).overview() },
  {
    name: 'the SQL Gateway',
    prefix: 'FLINK_SQL_GATEWAY',
    call: (a: ServiceAccess) => new SqlGatewayClient(a, 3000).info(),
  },
  {
    name: 'the Schema Registry',
    prefix: 'SCHEMA_REGISTRY',
    call: (a: ServiceAccess) => new SchemaRegistryClient(a, 3000).globalConfig(),
  },
] as const;

interface FakeServiceOptions {
  cert: string;
  key: string;
  /** The server asks for a client certificate signed by this CA and refuses a connection without one. */
  clientCa?: string;
  /** The Authorization header every request must carry; any other is answered 401. */
  authorization?: string;
}

/** A fake secured REST service: node's https server, answering `{}` to any request that passes its checks. */
async function fakeSecuredService(
  pki: TestPki,
  options: FakeServiceOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = https.createServer(
    {
      cert: pki.read(options.cert),
      key: pki.read(options.key),
      ...(options.clientCa ? { ca: pki.read(options.clientCa), requestCert: true, rejectUnauthorized: true } : {}),
    },
    (req, res) => {
      if (options.authorization !== undefined && req.headers.authorization !== options.authorization) {
        res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Basic realm="fake"' });
        res.end(JSON.stringify({ error_code: 401, message: 'Unauthorized' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Everything of an error that could reach a log line, an answer or a failure in Temporal. */
const everythingOf = (error: DfError) =>
  [error.message, JSON.stringify(error.details), inspect(error, { depth: null, showHidden: true })].join('\n');

/** What DF's logger writes (pino writes synchronously to fd 2) while body runs. */
async function loggedDuring(body: () => Promise<void>): Promise<string> {
  const lines: string[] = [];
  const spy = jest.spyOn(fs, 'writeSync').mockImplementation((fd: number, data: unknown) => {
    if (fd !== 2) throw new Error('unexpected write');
    lines.push(String(data));
    return String(data).length;
  });
  try {
    await body();
  } finally {
    spy.mockRestore();
  }
  return lines.join('');
}

describe('secured REST services', () => {
  let pki: TestPki;
  const servers: { close(): Promise<void> }[] = [];
  const serve = async (options: FakeServiceOptions) => {
    const server = await fakeSecuredService(pki, options);
    servers.push(server);
    return server.url;
  };

  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    pki.remove();
  });

  describe.each(KINDS)('DF as a client of $name', ({ prefix, call }) => {
    it('reaches it over https with the CA, a client certificate and basic auth', async () => {
      const url = await serve({
        cert: pki.serverCert,
        key: pki.serverKey,
        clientCa: pki.ca,
        authorization: basic(USER, PASSWORD),
      });
      const access = {
        url,
        caFile: pki.ca,
        certFile: pki.clientCert,
        keyFile: pki.clientKey,
        auth: { username: USER, password: PASSWORD },
      };
      await expect(call(access)).resolves.toEqual({});
    });

    it('reaches it over https with the CA and a bearer token', async () => {
      const url = await serve({ cert: pki.serverCert, key: pki.serverKey, authorization: `Bearer ${TOKEN}` });
      await expect(call({ url, caFile: pki.ca, auth: { token: TOKEN } })).resolves.toEqual({});
    });

    it('says a certificate no trusted CA signed is signed by an unknown authority', async () => {
      const url = await serve({ cert: pki.untrustedCert, key: pki.untrustedKey });
      const error = await dfFailureOf(call({ url, caFile: pki.ca, auth: { token: TOKEN } }));
      expect(error).toMatchObject({ code: 'RAS_UNREACHABLE', httpStatus: 503, retryable: true });
      expect(error.message).toContain('TLS: certificate signed by an unknown authority');
      expect(error.message).toContain(`${prefix}_TLS_CA_FILE`);
    });

    it('says an expired certificate has expired', async () => {
      const url = await serve({ cert: pki.expiredCert, key: pki.expiredKey });
      const error = await dfFailureOf(call({ url, caFile: pki.ca }));
      expect(error.message).toContain('TLS: certificate has expired');
    });

    it('says a service that wants a client certificate refused the connection without one', async () => {
      const url = await serve({ cert: pki.serverCert, key: pki.serverKey, clientCa: pki.ca });
      const error = await dfFailureOf(call({ url, caFile: pki.ca }));
      expect(error.message).toContain('TLS: the service refused');
      expect(error.message).toContain(`${prefix}_TLS_CERT_FILE`);
    });

    it('says a wrong password failed authentication, naming the variables to check and not the password', async () => {
      const url = await serve({
        cert: pki.serverCert,
        key: pki.serverKey,
        authorization: basic(USER, 'the-right-one'),
      });
      const error = await dfFailureOf(call({ url, caFile: pki.ca, auth: { username: USER, password: PASSWORD } }));
      expect(error).toMatchObject({ code: 'RAS_UNREACHABLE', httpStatus: 503 });
      expect(error.message).toContain(`HTTP 401: authentication failed (check ${prefix}_USERNAME/${prefix}_PASSWORD)`);
      for (const secret of SECRETS) expect(everythingOf(error)).not.toContain(secret);
    });

    it('says a refused token failed authentication without echoing it', async () => {
      const url = await serve({ cert: pki.serverCert, key: pki.serverKey, authorization: 'Bearer another' });
      const error = await dfFailureOf(call({ url, caFile: pki.ca, auth: { token: TOKEN } }));
      expect(error.message).toContain(`HTTP 401: authentication failed (check ${prefix}_TOKEN)`);
      for (const secret of SECRETS) expect(everythingOf(error)).not.toContain(secret);
    });

    it('says nothing listens at an unreachable address', async () => {
      const error = await dfFailureOf(call({ url: 'https://127.0.0.1:1', caFile: pki.ca, auth: { token: TOKEN } }));
      expect(error).toMatchObject({ code: 'RAS_UNREACHABLE', retryable: true });
      expect(error.message).toContain('connection refused');
      for (const secret of SECRETS) expect(everythingOf(error)).not.toContain(secret);
    });
  });

  it('masks credentials written into a service URL in its errors', async () => {
    const error = await dfFailureOf(new KafkaConnectClient(`https://${USER}:${PASSWORD}@127.0.0.1:1`, 3000, []).info());
    expect(error.message).toContain(`https://${USER}:***@127.0.0.1:1`);
    expect(everythingOf(error)).not.toContain(PASSWORD);
  });

  it('reports each service down in /health with the cause in plain words, and logs it without a secret', async () => {
    const untrusted = await serve({ cert: pki.untrustedCert, key: pki.untrustedKey });
    const wrongPassword = await serve({
      cert: pki.serverCert,
      key: pki.serverKey,
      authorization: basic(USER, 'other'),
    });
    const up = await serve({ cert: pki.serverCert, key: pki.serverKey, authorization: `Bearer ${TOKEN}` });
    const check = createHealthCheck({
      kafkaConnect: {
        target: untrusted,
        probe: () => new KafkaConnectClient({ url: untrusted, caFile: pki.ca, auth: { token: TOKEN } }).info(),
      },
      schemaRegistry: {
        target: wrongPassword,
        probe: () =>
          new SchemaRegistryClient({
            url: wrongPassword,
            caFile: pki.ca,
            auth: { username: USER, password: PASSWORD },
          }).globalConfig(),
      },
      flink: { target: 'https://127.0.0.1:1', probe: () => new FlinkClient({ url: 'https://127.0.0.1:1' }).overview() },
      flinkSqlGateway: {
        target: up,
        probe: () => new SqlGatewayClient({ url: up, caFile: pki.ca, auth: { token: TOKEN } }).info(),
      },
    });
    const report = await check();
    expect(report.status).toBe('down');
    expect(report.dependencies.kafkaConnect.error).toContain('TLS: certificate signed by an unknown authority');
    expect(report.dependencies.schemaRegistry.error).toContain(
      'HTTP 401: authentication failed (check SCHEMA_REGISTRY_USERNAME/SCHEMA_REGISTRY_PASSWORD)',
    );
    expect(report.dependencies.flink.error).toContain('connection refused');
    expect(report.dependencies.flinkSqlGateway.status).toBe('up');
    const logged = await loggedDuring(async () => logUnreachable(report));
    expect(logged).toContain('kafkaConnect is out of reach');
    expect(logged).toContain('TLS: certificate signed by an unknown authority');
    expect(logged).toContain('HTTP 401: authentication failed');
    expect(logged).not.toContain('flinkSqlGateway is out of reach');
    for (const secret of SECRETS) expect(JSON.stringify(report) + logged).not.toContain(secret);
  });
});
