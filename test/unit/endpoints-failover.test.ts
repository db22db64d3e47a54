import http from 'node:http';
import { AddressInfo } from 'node:net';
import { createConnectActivities, type ConnectDeps } from '../../activities/connect';
import { createHealthCheck } from '../../src/health';
import { endpointsShown } from '../../src/ras/endpoints';
import { KafkaConnectClient } from '../../src/ras/kafka-connect';
import { SchemaRegistryClient } from '../../src/ras/schema-registry';
import { dfFailureOf } from '../support/df-failure';

interface FakeServer {
  url: string;
  /** Requests that reached it, as "METHOD path". */
  requests: string[];
  close: () => Promise<void>;
}

function listen(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<FakeServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        requests,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

/** A fake Connect worker: answers every request with the status and body its caller gives. */
function fakeWorker(answer: (req: http.IncomingMessage) => { status: number; body: unknown }): Promise<FakeServer> {
  return listen((req, res) => {
    req.resume();
    req.on('end', () => {
      const { status, body } = answer(req);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  });
}

/** A fake worker that dies under each request: takes it, then closes the socket without an answer. */
function fakeSocketCloser(): Promise<FakeServer> {
  return listen((req) => {
    req.resume();
    req.on('end', () => req.socket.destroy());
  });
}

/** An address nothing listens at (a port taken, then freed). */
async function closedPort(): Promise<string> {
  const server = await listen(() => undefined);
  await server.close();
  return server.url;
}

const info = { version: '4.1.0', commit: 'c', kafka_cluster_id: 'k' };

describe('a service with several URLs (KAFKA_CONNECT_URL=a,b)', () => {
  const servers: FakeServer[] = [];
  const serve = async (server: Promise<FakeServer>) => {
    const s = await server;
    servers.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('sends a request that cannot reach the first URL to the second at once, and answers from there', async () => {
    const down = await closedPort();
    const worker = await serve(fakeWorker(() => ({ status: 200, body: info })));
    const connect = new KafkaConnectClient({ url: down, alternateUrls: [worker.url] });
    await expect(connect.info()).resolves.toEqual(info);
    expect(worker.requests).toEqual(['GET /']);
    expect(connect.endpoints.current).toBe(worker.url);
  });

  it('stays on the URL that answers: later requests go there alone', async () => {
    const dying = await serve(fakeSocketCloser());
    const worker = await serve(fakeWorker(() => ({ status: 200, body: [] })));
    const connect = new KafkaConnectClient({ url: dying.url, alternateUrls: [worker.url] });
    await connect.listConnectors();
    await connect.listConnectors();
    await connect.listConnectors();
    expect(dying.requests).toEqual(['GET /connectors']);
    expect(worker.requests).toHaveLength(3);
  });

  it('sends nothing elsewhere while the first URL answers', async () => {
    const first = await serve(fakeWorker(() => ({ status: 200, body: [] })));
    const second = await serve(fakeWorker(() => ({ status: 200, body: [] })));
    const connect = new KafkaConnectClient({ url: first.url, alternateUrls: [second.url] });
    await connect.listConnectors();
    await connect.listConnectors();
    expect(first.requests).toHaveLength(2);
    expect(second.requests).toEqual([]);
  });

  it('moves on when the URL in use gives no answer in time', async () => {
    const hanging = await serve(listen(() => undefined));
    const worker = await serve(fakeWorker(() => ({ status: 200, body: info })));
    const connect = new KafkaConnectClient({ url: hanging.url, alternateUrls: [worker.url] }, 300);
    await expect(connect.info()).resolves.toEqual(info);
    expect(connect.endpoints.current).toBe(worker.url);
  });

  it.each([
    [500, 'RAS_SERVER_ERROR', { error_code: 500, message: 'Request timed out' }],
    [400, 'RAS_CLIENT_ERROR', { error_code: 400, message: 'Connector configuration is invalid' }],
    [404, 'RAS_CLIENT_ERROR', { error_code: 404, message: 'Connector x not found' }],
  ])('takes an HTTP %s answer as the answer: no other URL is asked', async (status, code, body) => {
    const first = await serve(fakeWorker(() => ({ status, body })));
    const second = await serve(fakeWorker(() => ({ status: 200, body: [] })));
    const connect = new KafkaConnectClient({ url: first.url, alternateUrls: [second.url] }, undefined, []);
    const error = await dfFailureOf(connect.listConnectors());
    expect(error.code).toBe(code);
    expect(error.message).toContain(body.message);
    expect(second.requests).toEqual([]);
    expect(connect.endpoints.current).toBe(first.url);
  });

  it('names every URL it tried, each with its reason, when none can be reached', async () => {
    const down = await closedPort();
    const dying = await serve(fakeSocketCloser());
    const connect = new KafkaConnectClient({ url: down, alternateUrls: [dying.url] });
    const error = await dfFailureOf(connect.listConnectors());
    expect(error).toMatchObject({ code: 'RAS_UNREACHABLE', retryable: true, httpStatus: 503 });
    expect(error.message).toBe(
      `kafka-connect unreachable at ${down}/connectors: connection refused: nothing listens at that address; ` +
        `at ${dying.url}/connectors: the service closed the connection`,
    );
    expect(error.details).toMatchObject({ triedUrls: [`${down}/connectors`, `${dying.url}/connectors`] });
  });

  it('moves one step when several requests fail on the same URL at once', async () => {
    const down = await closedPort();
    const second = await serve(fakeWorker(() => ({ status: 200, body: [] })));
    const third = await serve(fakeWorker(() => ({ status: 200, body: [] })));
    const connect = new KafkaConnectClient({ url: down, alternateUrls: [second.url, third.url] });
    await Promise.all(Array.from({ length: 5 }, () => connect.listConnectors()));
    expect(second.requests).toHaveLength(5);
    expect(third.requests).toEqual([]);
    expect(connect.endpoints.current).toBe(second.url);
  });

  it('sends the same body and credentials to the next URL', async () => {
    const down = await closedPort();
    const seen: { auth?: string; body: string }[] = [];
    const worker = await serve(
      listen((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          seen.push({ auth: req.headers.authorization, body });
          res.writeHead(201, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ name: 'c1', config: { a: '1' }, tasks: [] }));
        });
      }),
    );
    const connect = new KafkaConnectClient({
      url: down,
      alternateUrls: [worker.url],
      auth: { username: 'df', password: 'pw' },
    });
    await connect.createConnector('c1', { a: '1' });
    expect(seen).toEqual([
      {
        auth: `Basic ${Buffer.from('df:pw').toString('base64')}`,
        body: JSON.stringify({ name: 'c1', config: { a: '1' } }),
      },
    ]);
  });

  it('fails the registry over the same way', async () => {
    const down = await closedPort();
    const registry = await serve(fakeWorker(() => ({ status: 200, body: { compatibilityLevel: 'BACKWARD' } })));
    const client = new SchemaRegistryClient({ url: down, alternateUrls: [registry.url] });
    await expect(client.globalConfig()).resolves.toEqual({ compatibilityLevel: 'BACKWARD' });
    expect(client.endpoints.current).toBe(registry.url);
  });

  it('creates a connector once when the first worker took the create and died before answering', async () => {
    // The create landed on the first worker: the second answers 409 and holds the same config.
    const config = { 'connector.class': 'FileStreamSource', name: 'c1', cuid: 'c1' };
    const dying = await serve(fakeSocketCloser());
    const worker = await serve(
      fakeWorker((req) =>
        req.method === 'POST'
          ? { status: 409, body: { error_code: 409, message: 'Connector c1 already exists' } }
          : { status: 200, body: { name: 'c1', config, tasks: [] } },
      ),
    );
    const kafkaConnect = new KafkaConnectClient({ url: dying.url, alternateUrls: [worker.url] });
    // Only the Kafka Connect client takes part in createConnector.
    const activities = createConnectActivities({ kafkaConnect } as ConnectDeps);
    await expect(activities.createConnector('c1', config)).resolves.toEqual({ created: false });
    expect(dying.requests).toEqual(['POST /connectors']);
    expect(worker.requests).toEqual(['POST /connectors', 'GET /connectors/c1']);
  });

  it('shows in /health the URL in use and every URL configured', async () => {
    const down = await closedPort();
    const worker = await serve(fakeWorker(() => ({ status: 200, body: info })));
    const connect = new KafkaConnectClient({ url: down, alternateUrls: [worker.url] });
    const check = createHealthCheck({
      kafkaConnect: { target: () => endpointsShown(connect.endpoints), probe: () => connect.info() },
    });
    expect((await check()).dependencies.kafkaConnect).toMatchObject({
      status: 'up',
      target: worker.url,
      targets: [down, worker.url],
    });
  });

  it('shows one target alone for a service with one URL', () => {
    expect(endpointsShown(new KafkaConnectClient('http://connect:8083').endpoints)).toEqual({
      target: 'http://connect:8083',
    });
  });
});
