import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { connectRest } from '../support/connect-rest';

const portOf = (app: DfApp) => Number(new URL(app.baseUrl).port);

/** Sends raw bytes on a new connection and answers everything the server wrote before it closed. */
function rawExchange(port: number, request: string): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      got += chunk;
    });
    socket.on('error', () => undefined); // a reset after (or instead of) an answer: what was read is the answer
    socket.on('close', () => resolve(got));
  });
}

/** An HTTP/1.1 answer read off a socket: its status and JSON body. */
function parseAnswer(raw: string): { status: number; body: unknown } {
  const [head, ...rest] = raw.split('\r\n\r\n');
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: JSON.parse(rest.join('\r\n\r\n')) };
}

/** A connection holding its place: one request answered, then kept open (keep-alive). */
function heldConnection(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () =>
      socket.write('GET /api/console-config HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
    );
    socket.setEncoding('utf8');
    socket.once('data', (chunk: string) =>
      chunk.startsWith('HTTP/1.1 200') ? resolve(socket) : reject(new Error(chunk)),
    );
    socket.once('error', reject);
  });
}

const jarForm = () => {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0])]), 'job.jar');
  return form;
};

/**
 * The API's edge on the real stack: which web pages and host names it answers, who may run code,
 * how large a body may be, what an Idempotency-Key binds, and that every refusal, Node's own
 * included, is a JSON error that names what is wrong.
 */
describe('the API in open mode (no tokens, default settings)', () => {
  let app: DfApp;
  let dir: string;
  let id: string;
  const connect = () => connectRest(app.config);
  const connectBody = (taskId: string) => ({
    id: taskId,
    name: 'edge spec',
    connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
    connectorConfig: { file: path.join(dir, 'in.txt'), topic: uniqueName('it-edges') },
  });

  beforeAll(async () => {
    app = await startDfApp('edges');
    dir = await dataTempDir(app, 'df-it-edges-');
    await fs.writeFile(path.join(dir, 'in.txt'), 'one\n');
    id = uniqueName('edge');
    const added = await app.api.post('/ps', connectBody(id));
    expect(added.status).toBe(201);
  });
  afterAll(async () => {
    if (app) await app.api.delete(`/ps/${id}`);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('gives a cross-origin preflight no Access-Control-Allow-Origin', async () => {
    const res = await app.api.options('/ps', {
      headers: {
        Origin: 'https://evil.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a request naming another host (DNS rebinding) with JSON naming DF_ALLOWED_HOSTS, creating nothing', async () => {
    const other = uniqueName('rebind');
    const res = await app.api.post('/ps', connectBody(other), { headers: { Host: 'evil.example:8080' } });
    expect(res.status).toBe(403);
    expect(res.data).toEqual({
      error: {
        code: 'HOST_NOT_ALLOWED',
        message: expect.stringContaining('DF_ALLOWED_HOSTS'),
        details: { host: 'evil.example:8080', setting: 'DF_ALLOWED_HOSTS' },
      },
      message: expect.stringContaining('DF_ALLOWED_HOSTS'),
    });
    expect(await app.services.tasks.get(other)).toBeUndefined();
    expect((await connect().get(`/connectors/${other}`)).status).toBe(404);
  });

  it('refuses a jar upload form posted by a page of another origin, storing nothing', async () => {
    // The data directory is shared with other specs' uploads: what counts is that this one adds none.
    const uploadsBefore = await fs.readdir(app.config.transforms.uploadDir).catch(() => []);
    const res = await app.api.post('/uploaded_files', jarForm(), { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.data.error).toMatchObject({
      code: 'ORIGIN_NOT_ALLOWED',
      details: { origin: 'https://evil.example', setting: 'DF_CORS_ORIGINS' },
    });
    expect(await fs.readdir(app.config.transforms.uploadDir).catch(() => [])).toEqual(uploadsBefore);
  });

  it('gives a JSON body over DF_BODY_LIMIT 413 on a path ending in uploaded_files that is not the upload route', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(app.config.api.bodyLimitBytes + 1) });
    const res = await app.api.put('/ps/uploaded_files', body, { headers: { 'Content-Type': 'application/json' } });
    expect(res.status).toBe(413);
    expect(res.data).toEqual({
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: expect.any(String),
        details: { limitBytes: app.config.api.bodyLimitBytes },
      },
      message: expect.any(String),
    });
  });

  it('refuses an Idempotency-Key sent again with another body (422) without applying it, and answers the same body with the first run', async () => {
    const headers = { 'Idempotency-Key': uniqueName('key') };
    const first = await app.api.patch(`/ps/${id}`, { description: 'first' }, { headers });
    expect(first.status).toBe(200);
    const reused = await app.api.patch(`/ps/${id}`, { description: 'second' }, { headers });
    expect(reused.status).toBe(422);
    expect(reused.data).toEqual({
      error: {
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: expect.stringContaining('Idempotency-Key'),
        details: expect.objectContaining({ header: 'Idempotency-Key' }),
      },
      message: expect.stringContaining('Idempotency-Key'),
    });
    expect((await app.services.tasks.get(id))?.description).toBe('first');
    const repeated = await app.api.patch(`/ps/${id}`, { description: 'first' }, { headers });
    expect(repeated.status).toBe(200);
    expect(repeated.headers['x-df-run-id']).toBe(first.headers['x-df-run-id']);
    expect(repeated.data).toEqual(first.data);
  });

  it('refuses status DESTROY in an update, naming the field and DELETE, and leaves the connect running', async () => {
    const current = (await app.api.get(`/ps/${id}`)).data;
    const res = await app.api.put(`/ps/${id}`, { ...current, status: 'DESTROY' });
    expect(res.status).toBe(400);
    expect(res.data.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining(`DELETE /api/df/ps/${id}`),
      details: { fields: { status: [expect.stringContaining('DELETE')] } },
    });
    expect((await app.api.get(`/ps/${id}`)).status).toBe(200);
    expect((await connect().get(`/connectors/${id}`)).status).toBe(200);
  });

  it('answers 404, 405 and 415 with details', async () => {
    const notFound = await app.api.get('/nope');
    expect([notFound.status, notFound.data]).toEqual([
      404,
      {
        error: { code: 'NOT_FOUND', message: expect.any(String), details: { method: 'GET', path: '/api/df/nope' } },
        message: 'no route for GET /api/df/nope',
      },
    ]);
    const notAllowed = await app.api.patch('/ps', {});
    expect(notAllowed.status).toBe(405);
    expect(notAllowed.headers.allow).toBe('GET, POST, HEAD');
    expect(notAllowed.data.error).toMatchObject({
      code: 'METHOD_NOT_ALLOWED',
      details: { method: 'PATCH', path: '/api/df/ps', allowed: ['GET', 'POST', 'HEAD'] },
    });
    const wrongType = await app.api.post('/ps', 'name=x', { headers: { 'Content-Type': 'text/plain' } });
    expect(wrongType.status).toBe(415);
    expect(wrongType.data.error).toMatchObject({
      details: { contentType: 'text/plain', expected: 'application/json' },
    });
  });

  it('answers a request Node cannot parse with a JSON 400', async () => {
    const answer = parseAnswer(await rawExchange(portOf(app), 'GARBAGE IN\r\n\r\n'));
    expect(answer).toEqual({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION_FAILED',
          message: expect.stringContaining('malformed HTTP request'),
          details: { reason: expect.any(String) },
        },
        message: expect.stringContaining('malformed HTTP request'),
      },
    });
  });

  it("answers headers over Node's limit with a JSON 431", async () => {
    const answer = parseAnswer(
      await rawExchange(
        portOf(app),
        `GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(32 * 1024)}\r\n\r\n`,
      ),
    );
    expect(answer).toEqual({
      status: 431,
      body: {
        error: {
          code: 'PAYLOAD_TOO_LARGE',
          message: expect.stringContaining('headers'),
          details: { limitBytes: expect.any(Number) },
        },
        message: expect.stringContaining('headers'),
      },
    });
  });
});

describe('the API with tokens and a CORS origin set', () => {
  const ADMIN = 'edges-admin-token-0123456789';
  const VIEWER = 'edges-viewer-token-0123456789';
  let app: DfApp;
  const asViewer = { Authorization: `Bearer ${VIEWER}` };

  beforeAll(async () => {
    app = await startDfApp(
      'edges_guarded',
      { DF_API_TOKENS: `${ADMIN}:admin,${VIEWER}:viewer`, DF_CORS_ORIGINS: 'https://ops.example' },
      { worker: false },
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers a preflight from a listed origin with that origin', async () => {
    const res = await app.api.options('/ps', {
      headers: {
        Origin: 'https://ops.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    expect(res.headers['access-control-allow-origin']).toBe('https://ops.example');
    expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/);
  });

  it('forbids a viewer to upload a jar or add a SQL transform, both of which run code', async () => {
    // The data directory is shared with other specs' uploads: what counts is that this one adds none.
    const uploadsBefore = await fs.readdir(app.config.transforms.uploadDir).catch(() => []);
    const upload = await app.api.post('/uploaded_files', jarForm(), { headers: asViewer });
    expect(upload.status).toBe(403);
    expect(upload.data.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('admin token') });
    const sql = await app.api.post(
      '/tr',
      {
        id: uniqueName('sql'),
        name: 'viewer sql',
        connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQL',
        connectorConfig: { trans_sql: 'SELECT 1' },
      },
      { headers: asViewer },
    );
    expect(sql.status).toBe(403);
    expect(sql.data.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('admin token') });
    expect(await fs.readdir(app.config.transforms.uploadDir).catch(() => [])).toEqual(uploadsBefore);
  });
});

describe('the API at its connection cap (DF_MAX_CONNECTIONS)', () => {
  let app: DfApp;

  beforeAll(async () => {
    app = await startDfApp('edges_capped', { DF_MAX_CONNECTIONS: '2' }, { worker: false });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('closes a connection beyond the cap without serving it, and serves again once one is closed', async () => {
    const held = [await heldConnection(portOf(app)), await heldConnection(portOf(app))];
    try {
      expect(await rawExchange(portOf(app), 'GET /api/console-config HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')).toBe('');
      held[0].destroy();
      await eventually(
        'a place to free up',
        async () => {
          const raw = await rawExchange(
            portOf(app),
            'GET /api/console-config HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
          );
          return raw.startsWith('HTTP/1.1 200') || undefined;
        },
        30000,
      );
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});
