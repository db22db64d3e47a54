import http from 'node:http';
import type { AddressInfo } from 'node:net';
import stream from 'node:stream';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { requestBodyLimit } from '../../src/api/body-limit';
import { errorHandler } from '../../src/api/errors';
import { DfError } from '../../src/domain/errors';

const LIMIT = 64;
/** Kept-alive connections: the server's own Connection: close is then the only one. */
const agent = new http.Agent({ keepAlive: true });

/** One exchange over a real socket; `chunked` sends the body without a Content-Length. */
function exchange(
  port: number,
  path: string,
  body: string,
  chunked = false,
): Promise<{ status: number; connection?: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        port,
        path,
        method: 'POST',
        agent,
        headers: {
          'Content-Type': 'application/json',
          ...(chunked ? { 'Transfer-Encoding': 'chunked' } : { 'Content-Length': Buffer.byteLength(body) }),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: text }));
      },
    );
    req.on('error', reject);
    if (chunked) for (let i = 0; i < body.length; i += 16) req.write(body.slice(i, i + 16));
    else req.write(body);
    req.end();
  });
}

/**
 * The body limit on the Node server: a declared length is judged from the header, and the body is
 * then read directly from the socket, never through a web stream (hono's bodyLimit asks for one for
 * every request, which made every POST a full fetch Request).
 */
describe('the request body limit on the Node server', () => {
  let server: ServerType;
  let port: number;
  let toWeb: jest.SpyInstance;
  beforeAll(async () => {
    const app = new Hono();
    app.use('*', requestBodyLimit(LIMIT));
    app.post('/echo', async (c) => c.json({ got: await c.req.text() }));
    app.post('/refuse-after-reading', async (c) => {
      await c.req.text();
      throw new DfError('OVERLOADED', 'busy');
    });
    app.post('/refuse-unread', () => {
      throw new DfError('OVERLOADED', 'busy');
    });
    app.onError(errorHandler(() => undefined));
    server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    port = (server.address() as AddressInfo).port;
  });
  beforeEach(() => {
    toWeb = jest.spyOn(stream.Readable, 'toWeb');
  });
  afterEach(() => toWeb.mockRestore());
  afterAll(async () => {
    agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('takes a body within a declared length and reads it directly', async () => {
    const answer = await exchange(port, '/echo', '{"name":"small"}');
    expect(answer).toMatchObject({ status: 200, body: JSON.stringify({ got: '{"name":"small"}' }) });
    expect(toWeb).not.toHaveBeenCalled();
  });

  it('refuses a declared length over the limit with 413 before reading anything, closing the connection', async () => {
    const answer = await exchange(port, '/echo', JSON.stringify({ name: 'x'.repeat(LIMIT) }));
    expect(answer.status).toBe(413);
    expect(answer.connection).toBe('close');
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: LIMIT } },
    });
  });

  it('counts a chunked body as it arrives: within the limit it is taken, past it refused with 413', async () => {
    expect(await exchange(port, '/echo', '{"name":"small"}', true)).toMatchObject({
      status: 200,
      body: JSON.stringify({ got: '{"name":"small"}' }),
    });
    const over = await exchange(port, '/echo', JSON.stringify({ name: 'x'.repeat(LIMIT) }), true);
    expect(over.status).toBe(413);
  });

  it('keeps the connection of an error answered after the body was read, and closes it when the body was left unread', async () => {
    const read = await exchange(port, '/refuse-after-reading', '{"name":"small"}');
    expect(read.status).toBe(503);
    expect(read.connection).not.toBe('close');
    expect(toWeb).not.toHaveBeenCalled();
    const unread = await exchange(port, '/refuse-unread', '{"name":"small"}');
    expect(unread.status).toBe(503);
    expect(unread.connection).toBe('close');
  });
});
