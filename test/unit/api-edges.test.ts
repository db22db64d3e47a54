import type { Client } from '@temporalio/client';
import { createApp, ApiDeps } from '../../src/api/app';
import { hostNameOf, isAllowedHost } from '../../src/api/allowed-hosts';
import { isUploadRoute } from '../../src/api/body-limit';
import { canonicalJson, fingerprint } from '../../src/api/idempotency';
import { methodsAt } from '../../src/api/route-methods';
import { clientErrorOf, rawErrorResponse } from '../../src/api/server-limits';
import { ConfigError, loadConfig } from '../../src/config';
import { refuseRemovalStatus } from '../../src/domain/task-input';
import type { ApiSettings } from '../../src/config';
import { storeUnavailable, type Store } from '../../src/repository/mongo';

/** The API shell with nothing behind it: the edge refuses or lets through before any route runs. */
/** A fake of the process's store: only its verdict on a failure, as the real one gives it for a store that answered. */
const storeFake = { unavailable: (error: unknown) => storeUnavailable(error) } as unknown as Store;

function app(access: Partial<ApiSettings> = {}) {
  return createApp({
    temporal: {} as Client,
    taskQueue: 'q',
    namespace: 'default',
    temporalUiUrl: 'http://127.0.0.1:8233',
    syncWaitMs: 10,
    store: storeFake,
    uploadDir: '/nonexistent',
    access: {
      tokens: [],
      corsOrigins: [],
      allowedHosts: ['localhost'],
      maxConnections: 0,
      bodyLimitBytes: 1 << 20,
      listMaxAgeMs: 0,
      maxInFlight: 0,
      ...access,
    },
    health: async () => ({ status: 'up', checkedAt: '', dependencies: {} }),
    readiness: async () => ({ status: 'ready', checkedAt: '', dependencies: {} }),
  } as unknown as ApiDeps);
}

describe('API exposure settings', () => {
  it('allows no browser origin and answers to localhost and the bind address by default', () => {
    expect(loadConfig({ DF_DEV_MODE: 'true' }).api).toMatchObject({
      corsOrigins: [],
      allowedHosts: ['localhost', '127.0.0.1'],
      maxConnections: 1000,
    });
    expect(loadConfig({ DF_DEV_MODE: 'true', DF_HOST: 'df.internal' }).api.allowedHosts).toEqual([
      'localhost',
      'df.internal',
    ]);
  });

  it('reads DF_CORS_ORIGINS, DF_ALLOWED_HOSTS and DF_MAX_CONNECTIONS', () => {
    const api = loadConfig({
      DF_DEV_MODE: 'true',
      DF_CORS_ORIGINS: 'https://ops.example.com/',
      DF_ALLOWED_HOSTS: 'DF.Example.com, df-api',
      DF_MAX_CONNECTIONS: '0',
    }).api;
    expect(api).toMatchObject({
      corsOrigins: ['https://ops.example.com'],
      allowedHosts: ['df.example.com', 'df-api'],
      maxConnections: 0,
    });
    expect(loadConfig({ DF_DEV_MODE: 'true', DF_ALLOWED_HOSTS: '*' }).api.allowedHosts).toEqual(['*']);
  });

  it('refuses a host given with a scheme or port, naming the variable', () => {
    expect(() => loadConfig({ DF_DEV_MODE: 'true', DF_ALLOWED_HOSTS: 'http://df.example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ DF_DEV_MODE: 'true', DF_ALLOWED_HOSTS: 'df.example.com:8080' })).toThrow(
      /DF_ALLOWED_HOSTS/,
    );
  });
});

describe('Host check (DNS rebinding)', () => {
  it('reads the name of a Host header, IPv6 and port included', () => {
    expect(hostNameOf('LocalHost:8080')).toBe('localhost');
    expect(hostNameOf('[::1]:8080')).toBe('[::1]');
    expect(hostNameOf('df.example.com.')).toBe('df.example.com');
  });

  it('takes the listed names and any IP literal, and refuses other names', () => {
    expect(isAllowedHost('localhost:8080', ['localhost'])).toBe(true);
    expect(isAllowedHost('10.1.2.3:8080', ['localhost'])).toBe(true);
    expect(isAllowedHost('[::1]:8080', ['localhost'])).toBe(true);
    expect(isAllowedHost('evil.example:8080', ['localhost'])).toBe(false);
    expect(isAllowedHost(undefined, ['localhost'])).toBe(false);
    expect(isAllowedHost('evil.example', ['*'])).toBe(true);
  });

  it('refuses a request for another host name with 403 naming DF_ALLOWED_HOSTS', async () => {
    const res = await app().request('http://evil.example/api/df/ps', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: {
        code: 'HOST_NOT_ALLOWED',
        message: expect.stringContaining('DF_ALLOWED_HOSTS'),
        details: { host: 'evil.example', setting: 'DF_ALLOWED_HOSTS' },
      },
      message: expect.stringContaining('DF_ALLOWED_HOSTS'),
    });
  });
});

describe('cross-origin access', () => {
  const preflight = {
    method: 'OPTIONS',
    headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
  };

  it('answers no CORS headers by default', async () => {
    const res = await app().request('/api/df/ps', preflight);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('answers CORS for the origins DF_CORS_ORIGINS lists, and for any with *', async () => {
    expect(
      (await app({ corsOrigins: ['https://evil.example'] }).request('/api/df/ps', preflight)).headers.get(
        'access-control-allow-origin',
      ),
    ).toBe('https://evil.example');
    expect(
      (await app({ corsOrigins: ['*'] }).request('/api/df/ps', preflight)).headers.get('access-control-allow-origin'),
    ).toBe('*');
  });

  it('lets the Temporal UI call the codec from its own origin, and nothing else', async () => {
    const from = (path: string) =>
      app().request(path, {
        method: 'OPTIONS',
        headers: { Origin: 'http://127.0.0.1:8233', 'Access-Control-Request-Method': 'POST' },
      });
    expect((await from('/api/codec/decode')).headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    expect((await from('/api/df/ps')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a change asked for by a page of another origin before it runs, naming DF_CORS_ORIGINS', async () => {
    const res = await app().request('/api/df/ps/c1/restart', {
      method: 'POST',
      headers: { Origin: 'https://evil.example' },
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({
      error: {
        code: 'ORIGIN_NOT_ALLOWED',
        message: expect.stringContaining('DF_CORS_ORIGINS'),
        details: { origin: 'https://evil.example', setting: 'DF_CORS_ORIGINS' },
      },
      message: expect.stringContaining('DF_CORS_ORIGINS'),
    });
  });

  it("lets the console's own page change things (same origin)", async () => {
    const byHost = await app().request('http://localhost/api/df/ps', {
      method: 'POST',
      headers: { Origin: 'http://localhost', 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(byHost.status).toBe(400); // past the origin check: the body is what is wrong
    const byFetchMetadata = await app().request('http://localhost/api/df/ps', {
      method: 'POST',
      headers: {
        Origin: 'https://df.example.com',
        'Sec-Fetch-Site': 'same-origin',
        'Content-Type': 'application/json',
      },
      body: '{}',
    });
    expect(byFetchMetadata.status).toBe(400);
  });
});

describe('error answers of the edge', () => {
  it('answers a method a path does not take 405 with Allow and details', async () => {
    const res = await app().request('/api/df/ps', { method: 'PATCH' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, POST, HEAD');
    expect(await res.json()).toEqual({
      error: {
        code: 'METHOD_NOT_ALLOWED',
        message: expect.any(String),
        details: { method: 'PATCH', path: '/api/df/ps', allowed: ['GET', 'POST', 'HEAD'] },
      },
      message: expect.stringContaining('PATCH is not allowed'),
    });
  });

  it('knows the methods of parameterised paths', () => {
    expect(methodsAt('/api/df/ps/abc').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'PATCH', 'PUT']);
    expect(methodsAt('/api/df/nope')).toEqual([]);
  });

  it('answers a wrong Content-Type 415 naming the type expected', async () => {
    const res = await app().request('/api/df/ps', {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { contentType: 'text/plain', expected: 'application/json' } },
    });
  });

  it("writes Node's own refusals in the error shape", () => {
    expect(clientErrorOf('HPE_HEADER_OVERFLOW')).toMatchObject({ httpStatus: 431, code: 'PAYLOAD_TOO_LARGE' });
    expect(clientErrorOf('ERR_HTTP_REQUEST_TIMEOUT')).toMatchObject({ httpStatus: 408, code: 'TIMEOUT' });
    expect(clientErrorOf('HPE_INVALID_METHOD')).toMatchObject({
      httpStatus: 400,
      code: 'VALIDATION_FAILED',
      details: { reason: 'HPE_INVALID_METHOD' },
    });
    const raw = rawErrorResponse(clientErrorOf('HPE_INVALID_METHOD'));
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(head).toContain(`Content-Length: ${Buffer.byteLength(body)}`);
    expect(JSON.parse(body)).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'malformed HTTP request (HPE_INVALID_METHOD)',
        details: { reason: 'HPE_INVALID_METHOD' },
      },
      message: 'malformed HTTP request (HPE_INVALID_METHOD)',
    });
  });
});

describe('body limit by route', () => {
  it('gives the upload limit to the jar upload route only', () => {
    expect(isUploadRoute('POST', '/api/df/uploaded_files')).toBe(true);
    expect(isUploadRoute('PUT', '/api/df/ps/uploaded_files')).toBe(false);
    expect(isUploadRoute('POST', '/api/df/tr/uploaded_files')).toBe(false);
    expect(isUploadRoute('PUT', '/api/df/uploaded_files')).toBe(false);
  });
});

describe('request fingerprint of an Idempotency-Key', () => {
  it('writes one JSON document one way, whatever the order of its keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"x":2,"y":1}]},"b":1}',
    );
  });

  it('is the same for the same request and differs for another method, path, query or body', () => {
    const base = fingerprint('PUT', '/api/df/ps/c1', { a: '1' }, '{"name":"x","connectorConfig":{"k":"v","j":"w"}}');
    expect(
      fingerprint('PUT', '/api/df/ps/c1', { a: '1' }, '{ "connectorConfig": {"j":"w","k":"v"}, "name": "x" }'),
    ).toBe(base);
    expect(
      fingerprint('PATCH', '/api/df/ps/c1', { a: '1' }, '{"name":"x","connectorConfig":{"k":"v","j":"w"}}'),
    ).not.toBe(base);
    expect(
      fingerprint('PUT', '/api/df/ps/c2', { a: '1' }, '{"name":"x","connectorConfig":{"k":"v","j":"w"}}'),
    ).not.toBe(base);
    expect(
      fingerprint('PUT', '/api/df/ps/c1', { a: '2' }, '{"name":"x","connectorConfig":{"k":"v","j":"w"}}'),
    ).not.toBe(base);
    expect(
      fingerprint('PUT', '/api/df/ps/c1', { a: '1' }, '{"name":"y","connectorConfig":{"k":"v","j":"w"}}'),
    ).not.toBe(base);
  });
});

describe('status words of an update', () => {
  it('refuses DESTROY, naming the field and DELETE', () => {
    expect(() => refuseRemovalStatus('destroy', '/api/df/ps/c1')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        message: expect.stringContaining('DELETE /api/df/ps/c1'),
        details: { fields: { status: [expect.stringContaining('DELETE /api/df/ps/c1')] } },
      }),
    );
  });

  it('leaves every other status alone', () => {
    for (const status of ['RUNNING', 'PAUSE', 'FAILED', undefined, 3])
      expect(() => refuseRemovalStatus(status, '/api/df/ps/c1')).not.toThrow();
  });
});
