import { createApp, ApiDeps } from '../../src/api/app';
import { isAdminOnlyPath, isOpenPath, isReadRequest } from '../../src/api/auth';
import { API_OPERATIONS } from '../../src/api/openapi/catalogue';
import { openApiPath } from '../../src/api/openapi/document';
import type { Client } from '@temporalio/client';
import { ApiContract } from '../support/api-contract';
import { storeUnavailable, type Store } from '../../src/repository/mongo';

/** The API shell with nothing behind it: these specs read only the document and the static docs. */
/** A fake of the process's store: only its verdict on a failure, as the real one gives it for a store that answered. */
const storeFake = { unavailable: (error: unknown) => storeUnavailable(error) } as unknown as Store;

function app() {
  return createApp({
    temporal: {} as Client,
    taskQueue: 'q',
    namespace: 'default',
    temporalUiUrl: 'http://ui',
    syncWaitMs: 10,
    store: storeFake,
    uploadDir: '/nonexistent',
    access: {
      tokens: [],
      corsOrigins: ['*'],
      allowedHosts: ['localhost'],
      maxConnections: 0,
      bodyLimitBytes: 1 << 20,
      listMaxAgeMs: 0,
      maxInFlight: 0,
      maxUploads: 0,
    },
    health: async () => ({ status: 'up', checkedAt: '', dependencies: {} }),
    readiness: async () => ({ status: 'ready', checkedAt: '', dependencies: {} }),
  } as unknown as ApiDeps);
}

/** Routes that serve files for people, not API operations. */
const NOT_API = [/^\/$/, /^\/console\//, /^\/api\/docs/, /^\/api\/openapi\.json$/];

type Doc = {
  openapi: string;
  servers?: unknown[];
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: { name: string; in: string }[];
        requestBody?: unknown;
        responses: Record<string, unknown>;
        security: unknown[];
      }
    >
  >;
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
    const served = app()
      .routes.filter(
        (r) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method) && !NOT_API.some((p) => p.test(r.path)),
      )
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

  it('holds a schema of its own in every component, never only a $ref', () => {
    const components = Object.entries(doc.components.schemas);
    expect(components.length).toBeGreaterThanOrEqual(15);
    for (const [id, schema] of components)
      expect(`${id}: ${Object.keys(schema as object).join(',')}`).not.toMatch(/: \$ref$/);
  });

  it('dereferences to a finite document: every $ref resolves, none leads back to itself', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    const full = dereference(doc);
    expect(JSON.stringify(full)).not.toContain('"$ref"');
  });

  it('says something in every schema an answer or a request body has, and in every component', () => {
    const full = dereference(doc) as Doc;
    const said: [string, unknown][] = Object.entries(full.components.schemas).map(([id, schema]) => [
      `component ${id}`,
      schema,
    ]);
    for (const [path, ops] of Object.entries(full.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const bodies = { ...(op.requestBody ? { request: op.requestBody } : {}), ...op.responses } as Record<
          string,
          { content?: Record<string, { schema: unknown }> }
        >;
        for (const [key, answer] of Object.entries(bodies)) {
          for (const [type, media] of Object.entries(answer.content ?? {}))
            said.push([`${method} ${path} ${key} ${type}`, media.schema]);
        }
      }
    }
    expect(said.length).toBeGreaterThan(100);
    expect(said.filter(([, schema]) => isTrivial(schema)).map(([where]) => where)).toEqual([]);
  });

  it('lists 412 (a stale If-Match) on every operation that takes If-Match', () => {
    const withIfMatch = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => (op.parameters ?? []).some((p) => p.name === 'If-Match'))
        .map(([m, op]) => [`${m} ${path}`, op] as const),
    );
    expect(withIfMatch.length).toBe(6);
    for (const [, op] of withIfMatch) expect(Object.keys(op.responses)).toContain('412');
  });

  it("passes the Redocly linter's recommended rules", async () => {
    const { createConfig, lintFromString } = redocly();
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    const found = problems
      .filter((p) => !WAIVED_LINT.some((w) => w.rule === p.ruleId && p.location.some((l) => w.at.test(l.pointer))))
      .map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`);
    expect(found).toEqual([]);
  });

  it('describes request bodies with the schemas the routes validate with', () => {
    const body = (
      doc.paths['/api/df/ps'].post.requestBody as {
        content: Record<string, { schema: { required: string[]; properties: Record<string, unknown> } }>;
      }
    ).content['application/json'].schema;
    expect(body.required).toEqual(['name']);
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining(['id', 'name', 'connectorConfig', 'autoRestart']),
    );
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
          if (Number(status) >= 400 && status !== '503')
            expect(JSON.stringify(answer)).toContain('#/components/schemas/Error');
        }
      }
    }
  });

  it('documents the access the auth middleware enforces', () => {
    for (const op of API_OPERATIONS) {
      const path = op.path.replace(/:(\w+)/g, 'x');
      const method = op.method.toUpperCase();
      const enforced =
        isOpenPath(path) && method === 'GET'
          ? 'open'
          : isReadRequest(method, path) && !isAdminOnlyPath(path)
            ? 'viewer'
            : 'admin';
      expect(`${op.method} ${op.path}: ${enforced}`).toBe(`${op.method} ${op.path}: ${op.access}`);
    }
  });

  it('keeps the catalogue free of duplicates', () => {
    const keys = API_OPERATIONS.map((o) => `${o.method} ${o.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('The OpenAPI document as the checker of answers (ApiContract)', () => {
  const contract = new ApiContract();
  const task = {
    id: 'a',
    taskSeq: '1',
    name: 'a',
    description: '',
    connectorType: 'x',
    connectorCategory: 'CONNECT',
    connectUid: 'a',
    status: 'RUNNING',
    connectorConfig: {},
    jobConfig: null,
    createdAt: '',
    updatedAt: '',
    statusAt: '',
    revision: 1,
  };
  const refusal = {
    error: {
      code: 'CONFLICT',
      message: 'task a is at revision 2, not 1',
      details: { revision: 2, expectedRevision: 1 },
    },
    message: 'task a is at revision 2, not 1',
  };

  it('passes an answer with a documented status and a body its schema accepts', () => {
    expect(
      contract.check({
        method: 'GET',
        url: 'http://df/api/df/ps/a',
        status: 200,
        contentType: 'application/json',
        body: task,
      }),
    ).toEqual([]);
    expect(
      contract.check({
        method: 'PUT',
        url: '/api/df/ps/a',
        status: 412,
        contentType: 'application/json; charset=UTF-8',
        body: refusal,
      }),
    ).toEqual([]);
  });

  it('refuses a status the operation does not document', () => {
    expect(
      contract.check({
        method: 'GET',
        url: '/api/df/ps/a',
        status: 418,
        contentType: 'application/json',
        body: refusal,
      }),
    ).toEqual([expect.objectContaining({ check: 'status-documented' })]);
  });

  it('refuses a body its schema does not accept, naming the field', () => {
    const breaches = contract.check({
      method: 'GET',
      url: '/api/df/ps/a',
      status: 200,
      contentType: 'application/json',
      body: { ...task, revision: '1' },
    });
    expect(breaches).toEqual([{ check: 'schema', message: expect.stringContaining('body/revision must be integer') }]);
  });

  it('refuses another content type than the documented one', () => {
    expect(
      contract.check({ method: 'GET', url: '/api/df/ps/a', status: 200, contentType: 'text/html', body: '<p>' }),
    ).toEqual([expect.objectContaining({ check: 'content-type' })]);
  });

  it('holds a request outside the document to the "no such route" refusal, or auth\'s', () => {
    expect(
      contract.check({
        method: 'GET',
        url: '/api/df/nothing',
        status: 404,
        contentType: 'application/json',
        body: { error: { code: 'NOT_FOUND', message: 'no route', details: {} }, message: 'no route' },
      }),
    ).toEqual([]);
    expect(
      contract.check({
        method: 'PUT',
        url: '/api/df/ps',
        status: 401,
        contentType: 'application/json',
        body: { error: { code: 'UNAUTHORIZED', message: 'token', details: {} }, message: 'token' },
      }),
    ).toEqual([]);
    expect(
      contract.check({ method: 'GET', url: '/api/df/nothing', status: 200, contentType: 'application/json', body: {} }),
    ).toEqual([expect.objectContaining({ check: 'status-documented' })]);
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

/** What this spec uses of @redocly/openapi-core (1.x: CommonJS, which jest loads as it is). */
interface RedoclyLint {
  createConfig(config: { extends: string[] }): Promise<unknown>;
  lintFromString(options: {
    source: string;
    absoluteRef: string;
    config: unknown;
  }): Promise<{ ruleId: string; severity: string; message: string; location: { pointer: string }[] }[]>;
}
const redocly = () => require('@redocly/openapi-core') as RedoclyLint;

/** Where the document breaks a lint rule on purpose, and why. */
const WAIVED_LINT: { rule: string; at: RegExp; why: string }[] = [
  {
    rule: 'operation-2xx-response',
    at: /^#\/paths\/~1api~1df~1schema~1\{subject\}\/delete/,
    why: 'it exists to say subjects are append-only: it only refuses (405)',
  },
  {
    rule: 'operation-4xx-response',
    at: /^#\/paths\/(~1health|~1livez|~1readyz|~1api~1console-config)\/get/,
    why: 'open reads that take no input: nothing to refuse',
  },
];

/** The document with every local $ref replaced by what it points at; a $ref that leads back to itself throws. */
function dereference(root: unknown): unknown {
  const at = (pointer: string): unknown =>
    pointer
      .replace(/^#\//, '')
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], root);
  const walk = (node: unknown, trail: string[]): unknown => {
    if (Array.isArray(node)) return node.map((n) => walk(n, trail));
    if (!node || typeof node !== 'object') return node;
    const { $ref, ...siblings } = node as Record<string, unknown>;
    if (typeof $ref === 'string') {
      if (trail.includes($ref)) throw new Error(`$ref ${$ref} leads back to itself: ${[...trail, $ref].join(' -> ')}`);
      const target = at($ref);
      if (target === undefined) throw new Error(`$ref ${$ref} resolves to nothing`);
      return { ...(walk(target, [...trail, $ref]) as object), ...(walk(siblings, trail) as object) };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, trail)]));
  };
  return walk(root, []);
}

/** A schema that accepts anything, or an object schema that names nothing of what it holds. */
function isTrivial(schema: unknown): boolean {
  if (!schema || typeof schema !== 'object') return true;
  const s = schema as Record<string, unknown>;
  if (['anyOf', 'oneOf', 'allOf', 'enum', 'const'].some((k) => k in s)) return false;
  if (!('type' in s)) return true;
  if (s.type === 'object')
    return Object.keys((s.properties as object | undefined) ?? {}).length === 0 && !s.additionalProperties;
  if (s.type === 'array') return isTrivial(s.items);
  return false;
}
