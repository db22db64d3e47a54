import http from 'node:http';
import { AddressInfo } from 'node:net';
import axios from 'axios';
import { conformingClient, holdAnswersFrom } from '../support/contract-client';

/** A fake API that answers whatever status and body the test sets, as JSON. */
function fakeApi() {
  let answer = { status: 200, body: {} as unknown };
  const server = http.createServer((_req, res) => {
    res.writeHead(answer.status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(answer.body));
  });
  return {
    answer: (status: number, body: unknown) => {
      answer = { status, body };
    },
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
      ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('test clients held to the OpenAPI document', () => {
  const api = fakeApi();
  let origin: string;
  beforeAll(async () => {
    origin = await api.listen();
  });
  afterAll(() => api.close());

  it('pass a documented answer, error statuses included', async () => {
    api.answer(404, {
      error: { code: 'NOT_FOUND', message: 'no task with id a', details: {} },
      message: 'no task with id a',
    });
    expect((await conformingClient(`${origin}/api/df`).get('/ps/a')).status).toBe(404);
  });

  it('reject an undocumented status, naming method, path and status', async () => {
    api.answer(418, { error: { code: 'TEAPOT', message: 'no' } });
    await expect(conformingClient(`${origin}/api/df`).get('/ps/a')).rejects.toThrow(
      /^GET \/api\/df\/ps\/a answered 418, against the OpenAPI document: \[status-documented\]/,
    );
  });

  it('reject a body the schema refuses, naming the field', async () => {
    api.answer(404, { error: { code: 'NOT_FOUND' }, message: 'no task' });
    await expect(conformingClient(`${origin}/api/df`).get('/ps/a')).rejects.toThrow(
      /\[schema\] body\/error must have required property 'message'/,
    );
  });

  it("hold axios's own calls to a held origin, refused statuses included, and no longer once released", async () => {
    const release = holdAnswersFrom(origin);
    api.answer(500, { error: { code: 'INTERNAL', message: 'internal error' } });
    await expect(axios.get(`${origin}/api/df/ps/a`)).rejects.toThrow(/answered 500, against the OpenAPI document/);
    release();
    await expect(axios.get(`${origin}/api/df/ps/a`)).rejects.toThrow('Request failed with status code 500');
  });
});
