import { loadConfig } from '../../src/config';
import { ServiceError, type Client } from '@temporalio/client';
import { MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { createApp, ApiDeps } from '../../src/api/app';
import type { HealthReport } from '../../src/health';
import { readinessOf } from '../../src/readiness';
import type { InstalledRepository } from '../../src/repository/installed-repository';
import type { TaskRepository } from '../../src/repository/task-repository';
import type { TaskLockRepository } from '../../src/repository/task-lock-repository';
import type { KafkaAdmin } from '../../src/ras/kafka';
import type { SchemaRegistryClient } from '../../src/ras/schema-registry';
import type { StatusHistoryRepository } from '../../src/repository/status-history-repository';
import type { SyncRecordRepository } from '../../src/repository/sync-record-repository';
import type { MetaRepository } from '../../src/repository/meta-repository';
import type { LogLineRepository } from '../../src/repository/log-line-repository';
import type { AuditRepository } from '../../src/repository/audit-repository';
import type { AuditEntry } from '../../src/domain/audit';
import type { VersionRepository } from '../../src/repository/version-repository';
import type { WebhookRepository } from '../../src/repository/webhook-repository';
import type { WebhookDeliveryRepository } from '../../src/repository/webhook-delivery-repository';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { KafkaConnectClient } from '../../src/ras/kafka-connect';
import type { FlinkClient } from '../../src/ras/flink';
import { SecretKeys } from '../../src/domain/secrets';
import { DfError } from '../../src/domain/errors';
import type { TransformAddInput } from '../../src/domain/transform-input';
import { storeUnavailable, type Store } from '../../src/repository/mongo';

function report(status: 'up' | 'down'): HealthReport {
  return {
    status,
    checkedAt: new Date().toISOString(),
    dependencies: { store: { status, latencyMs: 1, target: 'mongodb://x' } },
  };
}

/** A fake of the audit trail: keeps the entries in memory, settled with the status their request got. */
function auditFake(): AuditRepository & { entries: AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    entries,
    record: async (entry: AuditEntry) => {
      if (!entries.some((e) => e.id === entry.id)) entries.push(entry);
    },
    settle: async (id: string, status: number) => {
      const entry = entries.find((e) => e.id === id);
      if (entry && entry.status === undefined) entry.status = status;
    },
  } as unknown as AuditRepository & { entries: AuditEntry[] };
}

/** A fake of the process's store: only its verdict on a failure, as the real one gives it for a store that answered. */
const storeFake = { unavailable: (error: unknown) => storeUnavailable(error) } as unknown as Store;

function app(overrides: Partial<ApiDeps> = {}) {
  return createApp({
    temporal: {} as Client, // routes under test here never reach Temporal
    taskQueue: 'q',
    namespace: 'default',
    temporalUiUrl: 'http://ui',
    syncWaitMs: 10,
    installed: {} as InstalledRepository,
    tasks: {} as TaskRepository,
    taskLocks: {} as TaskLockRepository,
    statusHistory: {} as StatusHistoryRepository,
    versions: {} as VersionRepository,
    syncRecords: {} as SyncRecordRepository,
    meta: {} as MetaRepository,
    kafkaConnect: {} as KafkaConnectClient,
    flink: {} as FlinkClient,
    schemaRegistry: {} as SchemaRegistryClient,
    kafka: {} as KafkaAdmin,
    store: storeFake,
    // A FAKE plan check that accepts every plan: specs of the check pass their own.
    checkTransformPlan: async () => undefined,
    uploadDir: '/nonexistent',
    resultDir: '/nonexistent',
    logLines: {} as LogLineRepository,
    audit: auditFake(),
    webhooks: {} as WebhookRepository,
    webhookDeliveries: {} as WebhookDeliveryRepository,
    webhookHosts: ['*'],
    logStore: { maxLines: 0, maxAgeMs: 60_000 },
    reachPolicy: loadConfig({ DF_DEV_MODE: 'true' }).reach,
    access: {
      tokens: [],
      corsOrigins: ['*'],
      allowedHosts: ['localhost'],
      maxConnections: 0,
      bodyLimitBytes: 1024 * 1024,
      listMaxAgeMs: 0,
      maxInFlight: 0,
      maxUploads: 0,
    },
    secretKeys: new SecretKeys(),
    health: async () => report('up'),
    readiness: async () => readinessOf(report('up')),
    ...overrides,
  });
}

describe('HTTP API shell', () => {
  it('answers /health 200 when all dependencies are up', async () => {
    const res = await app().request('/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'up' });
  });

  it('answers /health 503 when one is down', async () => {
    const res = await app({ health: async () => report('down') }).request('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'down', dependencies: { store: { status: 'down' } } });
  });

  it('answers /livez 200 without asking any dependency', async () => {
    const res = await app({
      health: () => Promise.reject(new Error('not to be called')),
      readiness: () => Promise.reject(new Error('not to be called')),
    }).request('/livez');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when the needed dependencies are up, 503 naming the one that is not and why', async () => {
    const ready = await app().request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', dependencies: { store: { status: 'up' } } });
    const notReady = await app({
      readiness: async () =>
        readinessOf({
          status: 'down',
          checkedAt: new Date().toISOString(),
          dependencies: {
            temporal: { status: 'up', latencyMs: 1, target: '127.0.0.1:7233' },
            store: { status: 'down', latencyMs: 1, target: 'mongodb://x', error: 'connection refused' },
          },
        }),
    }).request('/readyz');
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({
      status: 'not-ready',
      reason: 'store: connection refused',
      dependencies: { store: { status: 'down', error: 'connection refused' } },
    });
  });

  it('answers unknown routes 404 in the error shape', async () => {
    const res = await app().request('/api/df/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        code: 'NOT_FOUND',
        message: 'no route for GET /api/df/nope',
        details: { method: 'GET', path: '/api/df/nope' },
      },
      message: 'no route for GET /api/df/nope',
    });
  });

  it('answers 503 with Retry-After, not 500, while the store does not answer', async () => {
    const away = new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', {
      type: 'Unknown',
      servers: new Map(),
    } as never);
    const res = await app({
      tasks: {
        get: async () => {
          throw away;
        },
      } as unknown as TaskRepository,
    }).request('/api/df/ps/c1');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({
      error: { code: 'STORE_ERROR', message: expect.stringContaining('ECONNREFUSED') },
    });
  });

  it('answers 503, not 500, for a read caught by the reconnect of a stuck store client', async () => {
    const closed = new MongoTopologyClosedError();
    const res = await app({
      tasks: {
        get: async () => {
          throw closed;
        },
      } as unknown as TaskRepository,
    }).request('/api/df/ps/c1');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'STORE_ERROR' } });
  });

  it('answers 503 with Retry-After, not 500, while Temporal does not answer', async () => {
    const unavailable = Object.assign(new Error('14 UNAVAILABLE: tcp connect error'), { code: 14 });
    const temporal = {
      workflow: {
        getHandle: () => ({
          describe: async () => {
            throw new ServiceError('Failed to query workflow', { cause: unavailable });
          },
        }),
      },
    } as unknown as Client;
    const res = await app({ temporal }).request('/api/df/ops/df-connect-add-c1');
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    expect(await res.json()).toMatchObject({ error: { code: 'TEMPORAL_UNAVAILABLE' } });
  });

  it('refuses an operation past DF_MAX_IN_FLIGHT with 503 OVERLOADED and Retry-After, starting nothing, and takes the next once one is answered', async () => {
    let starts = 0;
    let finish: (task: object) => void = () => undefined;
    // A FAKE Temporal client: the first run's outcome is held back until the spec lets it finish.
    const temporal = {
      workflow: {
        startUpdateWithStart: async (
          _update: unknown,
          options: { startWorkflowOperation: { options: { workflowId: string } } },
        ) => {
          starts++;
          const result =
            starts === 1
              ? new Promise<object>((resolve) => {
                  finish = resolve;
                })
              : Promise.resolve({ id: 'c2', status: 'RUNNING' });
          return {
            workflowId: options.startWorkflowOperation.options.workflowId,
            workflowRunId: `run-${starts}`,
            result: () => result,
          };
        },
      },
      connection: { withAbortSignal: (_signal: AbortSignal, fn: () => Promise<unknown>) => fn() },
    } as unknown as Client;
    const api = app({
      temporal,
      syncWaitMs: 5000,
      access: {
        tokens: [],
        corsOrigins: ['*'],
        allowedHosts: ['localhost'],
        maxConnections: 0,
        bodyLimitBytes: 1024 * 1024,
        listMaxAgeMs: 0,
        maxInFlight: 1,
        maxUploads: 0,
      },
    });
    const add = (id: string) =>
      api.request('/api/df/ps', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          id,
          name: id,
          connectorConfig: {
            'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
            file: `${loadConfig({ DF_DEV_MODE: 'true' }).reach.pathRoots[0]}/x`,
            topic: 't',
          },
        }),
      });
    const first = add('c1');
    await new Promise((r) => setTimeout(r, 50));
    const refused = await add('c2');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(await refused.json()).toMatchObject({ error: { code: 'OVERLOADED', details: { inFlight: 1, limit: 1 } } });
    expect(starts).toBe(1);
    finish({ id: 'c1', status: 'RUNNING' });
    expect((await first).status).toBe(201);
    expect((await add('c2')).status).toBe(201);
    expect(starts).toBe(2);
  });

  it('puts who asked on each run it starts and in the audit, with the status the request was answered', async () => {
    const starts: { memo?: Record<string, unknown>; typedSearchAttributes?: unknown }[] = [];
    const temporal = {
      workflow: {
        startUpdateWithStart: async (
          _update: unknown,
          options: { startWorkflowOperation: { options: { workflowId: string; memo?: Record<string, unknown> } } },
        ) => {
          starts.push(options.startWorkflowOperation.options);
          return {
            workflowId: options.startWorkflowOperation.options.workflowId,
            workflowRunId: `run-${starts.length}`,
            result: async () => ({ id: 'c1', status: 'RUNNING' }),
          };
        },
      },
      connection: { withAbortSignal: (_signal: AbortSignal, fn: () => Promise<unknown>) => fn() },
    } as unknown as Client;
    const audit = auditFake();
    const res = await app({ temporal, audit }).request('/api/df/ps', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Request-Id': 'req-1' },
      body: JSON.stringify({
        id: 'c1',
        name: 'c1',
        connectorConfig: {
          'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          file: `${loadConfig({ DF_DEV_MODE: 'true' }).reach.pathRoots[0]}/x`,
          topic: 't',
        },
      }),
    });
    expect(res.status).toBe(201);
    // No socket behind an in-process request: the address is unknown, never made up.
    const requester = { actor: 'anonymous', role: 'admin', requestId: 'req-1', clientAddress: 'unknown' };
    expect(starts[0].memo).toEqual({ dfAudit: requester });
    expect(JSON.stringify(starts[0].typedSearchAttributes)).toContain('anonymous');
    expect(audit.entries).toEqual([
      {
        id: 'df-connect-add-c1:run-1',
        at: expect.any(String),
        ...requester,
        taskId: 'c1',
        category: 'CONNECT',
        operation: 'connectAdd',
        workflowId: 'df-connect-add-c1',
        runId: 'run-1',
        method: 'POST',
        path: '/api/df/ps',
        status: 201,
      },
    ]);
    // Refused before any run (bad input): no entry.
    const bad = await app({ temporal, audit }).request('/api/df/ps', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(bad.status).toBe(400);
    expect(audit.entries).toHaveLength(1);
  });

  // Answers Schemathesis once got as 5xx (test/fuzz/api.fuzz.ts): each is the caller's mistake.
  it('refuses a malformed multipart upload with 400, not a crash', async () => {
    for (const [contentType, body] of [
      ['multipart/form-data', 'garbage'],
      ['multipart/form-data; boundary=abc', '--abc\r\nbroken'],
    ]) {
      const res = await app().request('/api/df/uploaded_files', {
        method: 'POST',
        headers: { 'Content-Type': contentType },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: 'VALIDATION_FAILED', details: { fields: { file: expect.any(Array) } } },
      });
    }
  });

  it('refuses an operation status query with a run id that is not a UUID before asking Temporal', async () => {
    const res = await app().request('/api/df/ops/%5B1?runId=-Infinity');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { details: { fields: { runId: ['expected a UUID'] } } } });
  });

  it('refuses a bad query of a list held in memory with 400 naming it, before asking the RAS or the store', async () => {
    // Every dependency here is an empty object: a route that asked one first would answer 500.
    const asked = {
      '/api/df/schema?_order=sideways': '_order',
      '/api/df/s2p/orders?_sort=nope': '_sort',
      '/api/df/s2t/orders?_start=-1': '_start',
      '/api/df/avroconsumer/orders?_perPage=0': '_perPage',
      '/api/df/hist?_end=x': '_end',
      '/api/df/webhooks?q[$regex]=a': 'q[$regex]',
    };
    for (const [path, field] of Object.entries(asked)) {
      const res = await app().request(path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
      expect(await res.json()).toMatchObject({
        error: { code: 'VALIDATION_FAILED', details: { fields: { [field]: [expect.any(String)] } } },
      });
    }
  });

  it('answers the form of a connector class Kafka Connect does not have with 404, not its 500', async () => {
    // A FAKE Kafka Connect answering as the real one does: validate of an unknown class is a 500.
    const fake = http.createServer((req, res) => {
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.startsWith('/connector-plugins?')) {
        res.end(
          JSON.stringify([
            { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '4' },
          ]),
        );
      } else {
        res.statusCode = 500;
        res.end(
          JSON.stringify({
            error_code: 500,
            message: 'Failed to find any class that implements Connector and which name matches b',
          }),
        );
      }
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    try {
      const kafkaConnect = new KafkaConnectClient(`http://127.0.0.1:${(fake.address() as AddressInfo).port}`);
      for (const [method, path] of [
        ['GET', '/api/df/config/b/fields'],
        ['POST', '/api/df/config/b/validate'],
      ]) {
        // Any class may be asked about here: the point is Connect's answer for one it lacks.
        const res = await app({
          kafkaConnect,
          reachPolicy: { ...loadConfig({ DF_DEV_MODE: 'true' }).reach, connectorClasses: ['*'] },
        }).request(path, {
          method,
          headers: { 'Content-Type': 'application/json' },
          body: method === 'POST' ? '{"connectorConfig":{}}' : undefined,
        });
        expect(res.status).toBe(404);
        expect(await res.json()).toMatchObject({
          error: { code: 'NOT_FOUND', message: 'connector class b is not installed in Kafka Connect' },
        });
      }
    } finally {
      fake.close();
    }
  });

  it("checks a transform's plan without a workflow: ok, or 400 listing Flink's problems at their lines", async () => {
    const checked: TransformAddInput[] = [];
    const sqla2a = {
      name: 'Doubling',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: { topic_in: 'in', topic_out: 'out', trans_sql: 'SELECT id FROM `in`' },
    };
    const post = (deps: Partial<ApiDeps>, body: unknown) =>
      app({ temporal: {} as Client, ...deps }).request('/api/df/tr/check', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const accepted = await post({ checkTransformPlan: async (input) => void checked.push(input) }, sqla2a);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ ok: true });
    expect(checked[0]).toMatchObject({
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: sqla2a.connectorConfig,
    });

    // A FAKE Flink refusal, as checkTransformPlan throws it.
    const problem = { field: 'connectorConfig.trans_sql', line: 1, column: 8, message: "Column 'id' not found" };
    const refused = await post(
      {
        checkTransformPlan: async () => {
          throw new DfError('VALIDATION_FAILED', 'Flink refused the SQL', {
            details: { fields: { 'connectorConfig.trans_sql': [problem.message] }, problems: [problem] },
          });
        },
      },
      sqla2a,
    );
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: unknown }).error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { problems: [problem] },
    });

    // Input refused before Flink is asked: each field's message is a problem without a line.
    const bad = await post(
      { checkTransformPlan: () => Promise.reject(new Error('not to be called')) },
      { ...sqla2a, connectorConfig: { topic_in: 'in', topic_out: 'out' } },
    );
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { details: { problems: unknown } } }).error.details.problems).toEqual([
      { field: 'connectorConfig.trans_sql', message: expect.any(String) },
    ]);
  });

  it('exposes X-Total-Count to browsers', async () => {
    const res = await app().request('/health', { headers: { Origin: 'http://console.example' } });
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Total-Count');
  });
});

describe('API access: bearer tokens, CORS origins, body limit', () => {
  const ADMIN = 'admin-token-0123456789';
  const VIEWER = 'viewer-token-0123456789';
  const guarded = (overrides: Partial<ApiDeps> = {}) =>
    app({
      access: {
        tokens: [
          { token: ADMIN, role: 'admin', name: 'ops-admin' },
          { token: VIEWER, role: 'viewer', name: 'dashboard' },
        ],
        corsOrigins: ['https://ops.example.com'],
        allowedHosts: ['localhost'],
        maxConnections: 0,
        bodyLimitBytes: 2048,
        listMaxAgeMs: 0,
        maxInFlight: 0,
        maxUploads: 0,
      },
      tasks: { get: async () => undefined } as unknown as TaskRepository,
      ...overrides,
    });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('refuses a request without a token with 401 in the error shape and a WWW-Authenticate challenge', async () => {
    const res = await guarded().request('/api/df/ps/x');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="datafibers"');
    expect(await res.json()).toEqual({
      error: { code: 'UNAUTHORIZED', message: expect.stringContaining('bearer token'), details: {} },
      message: expect.stringContaining('bearer token'),
    });
  });

  it('refuses a token DF_API_TOKENS does not list', async () => {
    const res = await guarded().request('/api/df/ps/x', { headers: bearer('not-a-listed-token-at-all') });
    expect(res.status).toBe(401);
  });

  it('lets a viewer read', async () => {
    const res = await guarded().request('/api/df/ps/x', { headers: bearer(VIEWER) });
    expect(res.status).toBe(404); // past auth: the route answers that no such connect exists
  });

  it('forbids a viewer to change anything, naming the role needed', async () => {
    for (const [method, path] of [
      ['POST', '/api/df/ps'],
      ['PUT', '/api/df/ps/x'],
      ['DELETE', '/api/df/tr/x'],
      ['POST', '/api/df/ps/x/pause'],
    ]) {
      const res = await guarded().request(path, {
        method,
        headers: { ...bearer(VIEWER), 'Content-Type': 'application/json' },
        body: method === 'DELETE' ? undefined : '{}',
      });
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: unknown }).error).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining('admin token'),
      });
    }
  });

  it('lets an admin change (the request reaches validation)', async () => {
    const res = await guarded().request('/api/df/ps', {
      method: 'POST',
      headers: { ...bearer(ADMIN), 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });

  it('serves the audit to admins only: it tells who holds which token and where they call from', async () => {
    const asked: unknown[] = [];
    const audit = {
      list: async (query: unknown) => {
        asked.push(query);
        return { items: [], total: 0 };
      },
    } as unknown as AuditRepository;
    expect((await guarded({ audit }).request('/api/df/audit')).status).toBe(401);
    const viewer = await guarded({ audit }).request('/api/df/audit', { headers: bearer(VIEWER) });
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as { error: { message: string } }).error.message).toContain('needs an admin token');
    const admin = await guarded({ audit }).request('/api/df/audit?actor=ops&_start=0&_end=5', {
      headers: bearer(ADMIN),
    });
    expect(admin.status).toBe(200);
    expect(admin.headers.get('x-total-count')).toBe('0');
    expect(asked).toEqual([{ actor: 'ops', sort: 'at', order: 'DESC', skip: 0, limit: 5 }]);
  });

  it('refuses a bad audit filter with 400 naming it, before reading the store', async () => {
    const audit = {
      list: async () => {
        throw new Error('not to be called');
      },
    } as unknown as AuditRepository;
    const res = await guarded({ audit }).request('/api/df/audit?from=last-tuesday', { headers: bearer(ADMIN) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { fields: { from: [expect.stringContaining('ISO 8601')] } },
    });
  });

  it('decodes Temporal payloads at /api/codec only for an admin: they hold connector secrets', async () => {
    const body = JSON.stringify({
      payloads: [
        {
          metadata: { encoding: Buffer.from('json/plain').toString('base64') },
          data: Buffer.from('"x"').toString('base64'),
        },
      ],
    });
    const post = (headers: Record<string, string>) =>
      guarded().request('/api/codec/decode', {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body,
      });
    expect((await post({})).status).toBe(401);
    expect((await post(bearer(VIEWER))).status).toBe(403);
    const res = await post(bearer(ADMIN));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(body)); // no DF_PAYLOAD_KEY here: payloads pass as they are
  });

  it('takes a codec request without payloads (proto JSON leaves an empty list out, as for an update called without arguments)', async () => {
    const res = await guarded().request('/api/codec/decode', {
      method: 'POST',
      headers: { ...bearer(ADMIN), 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ payloads: [] });
  });

  it('refuses a codec request that is not payloads of base64, naming the field', async () => {
    const res = await guarded().request('/api/codec/decode', {
      method: 'POST',
      headers: { ...bearer(ADMIN), 'Content-Type': 'application/json' },
      body: JSON.stringify({ payloads: [{ data: 'not base64!' }] }),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain('payloads.0.data');
  });

  it('keeps /health, the probes, the console shell and the API description open', async () => {
    for (const path of ['/health', '/livez', '/readyz', '/api/console-config', '/api/openapi.json']) {
      expect((await guarded().request(path)).status).toBe(200);
    }
  });

  it('tells the console whether it must ask for a token', async () => {
    expect(await (await guarded().request('/api/console-config')).json()).toMatchObject({
      authRequired: true,
      temporalUiUrl: 'http://ui',
    });
    expect(await (await app().request('/api/console-config')).json()).toMatchObject({ authRequired: false });
  });

  it('allows only the configured browser origins', async () => {
    const allowed = await guarded().request('/health', { headers: { Origin: 'https://ops.example.com' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://ops.example.com');
    const other = await guarded().request('/health', { headers: { Origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers a CORS preflight without a token, allowing the Authorization header', async () => {
    const res = await guarded().request('/api/df/ps', {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://ops.example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
  });

  it('refuses a body over DF_BODY_LIMIT with 413 before reading it', async () => {
    const res = await guarded().request('/api/df/ps', {
      method: 'POST',
      headers: { ...bearer(ADMIN), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(4096) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({
      error: {
        code: 'PAYLOAD_TOO_LARGE',
        message: 'the request body is larger than 2048 bytes',
        details: { limitBytes: 2048 },
      },
      message: 'the request body is larger than 2048 bytes',
    });
  });
});
