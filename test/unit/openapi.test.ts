import { createApp, ApiDeps } from '../../src/api/app';
import { isOpenPath, isReadRequest } from '../../src/api/auth';
import { API_OPERATIONS } from '../../src/api/openapi/catalogue';
import { openApiPath } from '../../src/api/openapi/document';
import type { Client } from '@temporalio/client';

/** The API shell with nothing behind it: these specs read only the document and the static docs. */
function app() {
  return createApp({
    temporal: {} as Client, taskQueue: 'q', namespace: 'default', temporalUiUrl: 'http://ui', syncWaitMs: 10, uploadDir: '/nonexistent',
    access: { tokens: [], corsOrigins: ['*'], allowedHosts: ['localhost'], maxConnections: 0, bodyLimitBytes: 1 << 20, listMaxAgeMs: 0, maxInFlight: 0, maxUploads: 0 },
    health: async () => ({ status: 'up', checkedAt: '', dependencies: {} }),
  } as unknown as ApiDeps);
}

/** Routes that serve files for people, not API operations. */
const NOT_API = [/^\/$/, /^\/console\//, /^\/api\/docs/, /^\/api\/openapi\.json$/];

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown; responses: Record<string, unknown>; security: unknown[] }>>;
  components: { schemas: Record<string, unknown> };
};

describe('OpenAPI 3.1 document at /api/openapi.json', () => {
  let doc: Doc;
  beforeAll(async () => {
    const res = await app().request('/api/openapi.json');
    expect(res.status).toBe(200);
    doc = (await res.json()) as Doc;
  });

  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every route the API serves, and serves every route it documents', () => {
    const served = app().routes
      .filter((r) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !NOT_API.some((p) => p.test(r.path)))
      .map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    // /metrics is mounted beside the app by the server, so it is documented without being a route here.
    expect(new Set(served)).toEqual(new Set(documented.filter((d) => d !== 'get /metrics')));
  });

  it('declares each path parameter', () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const op of Object.values(ops)) {
        expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(names);
      }
    }
  });

  it('resolves every $ref to a component', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) expect(doc.components.schemas[ref]).toBeDefined();
  });

  it('describes request bodies with the schemas the routes validate with', () => {
    const body = (doc.paths['/api/df/ps'].post.requestBody as { content: Record<string, { schema: { required: string[]; properties: Record<string, unknown> } }> })
      .content['application/json'].schema;
    expect(body.required).toEqual(['name']);
    expect(Object.keys(body.properties)).toEqual(expect.arrayContaining(['id', 'name', 'connectorConfig', 'autoRestart']));
  });

  it('says which calls need a token and which role', () => {
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(doc.paths['/api/df/ps'].get.security).toEqual([{ bearer: [] }]);
    expect((doc.paths['/api/df/ps'].post as unknown as Record<string, string>)['x-df-access']).toBe('admin');
    expect((doc.paths['/api/df/ps'].get as unknown as Record<string, string>)['x-df-access']).toBe('viewer');
  });

  it('lists the one error shape for every error answer', () => {
    for (const ops of Object.values(doc.paths)) {
      for (const op of Object.values(ops)) {
        for (const [status, answer] of Object.entries(op.responses)) {
          if (Number(status) >= 400 && status !== '503') expect(JSON.stringify(answer)).toContain('#/components/schemas/Error');
        }
      }
    }
  });

  it('documents the access the auth middleware enforces', () => {
    for (const op of API_OPERATIONS) {
      const path = op.path.replace(/:(\w+)/g, 'x');
      const method = op.method.toUpperCase();
      const enforced = isOpenPath(path) && method === 'GET' ? 'open' : isReadRequest(method, path) ? 'viewer' : 'admin';
      expect(`${op.method} ${op.path}: ${enforced}`).toBe(`${op.method} ${op.path}: ${op.access}`);
    }
  });

  it('keeps the catalogue free of duplicates', () => {
    const keys = API_OPERATIONS.map((o) => `${o.method} ${o.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('Swagger UI at /api/docs', () => {
  it('serves the page and its assets from the installed package, with no CDN', async () => {
    const page = await app().request('/api/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ['/api/docs/swagger-ui.css', '/api/docs/swagger-ui-bundle.js', '/api/docs/init.js']) {
      expect(html).toContain(asset);
      expect((await app().request(asset)).status).toBe(200);
    }
  });

  it('serves nothing else from the package folder', async () => {
    expect((await app().request('/api/docs/package.json')).status).toBe(404);
  });
});
