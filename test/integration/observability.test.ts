import axios from 'axios';
import { MongoClient } from 'mongodb';
import { loadConfig } from '../../src/config';
import { connectTemporal } from '../../src/temporal/client';
import { BuiltService, freePort, runBuiltService } from '../support/built-service';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { statusSync } from '../../workflows/status-sync';

/**
 * The built service as operators run it, with tokens set: its JSON log lines carry request, workflow
 * and task ids and never a secret; /metrics serves the API's, the operations' and the Temporal
 * worker's metrics in Prometheus format.
 */
const ADMIN = `admin-${uniqueName('tok')}-0123456789`;
const VIEWER = `viewer-${uniqueName('tok')}-0123456789`;
const PASSWORD = `pw-${uniqueName('secret')}`;

describe('logs and metrics of the service process', () => {
  const db = uniqueName('it_observe');
  const id = uniqueName('observed');
  let service: BuiltService;
  let base: string;
  const taskQueue = uniqueName('it-observe');
  const as = (token: string) => ({ headers: { Authorization: `Bearer ${token}` }, validateStatus: () => true });
  const lines = () =>
    service
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    base = `http://127.0.0.1:${port}`;
    service = runBuiltService({
      DF_PORT: String(port),
      MONGO_DB: db,
      DF_TASK_QUEUE: taskQueue,
      DF_SYNC_INTERVAL: '0',
      DF_STARTUP_SYNC: 'false',
      DF_API_TOKENS: `${ADMIN}:admin,${VIEWER}:viewer`,
      DF_WORKER_METRICS: `127.0.0.1:${metricsPort}`,
    });
    await eventually('the service to serve', async () => (await axios.get(`${base}/health`)).status, 60000);
  });

  afterAll(async () => {
    service?.child.kill('SIGTERM');
    const client = await MongoClient.connect(loadConfig().mongo.url);
    await client.db(db).dropDatabase();
    await client.close();
  });

  it('runs an operation refused by Kafka Connect, a read and an unauthenticated call', async () => {
    const refused = await axios.post(
      `${base}/api/df/ps`,
      {
        id,
        name: 'observed',
        connectorConfig: {
          'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          topic: 'x',
          'tasks.max': 'abc',
          'connection.password': PASSWORD,
        },
      },
      as(ADMIN),
    );
    expect(refused.status).toBe(400);
    expect((await axios.get(`${base}/api/df/ps`, as(VIEWER))).status).toBe(200);
    expect((await axios.delete(`${base}/api/df/ps/${id}`, as(VIEWER))).status).toBe(403);
    expect((await axios.get(`${base}/api/df/ps`, { validateStatus: () => true })).status).toBe(401);
  });

  it('serves Prometheus metrics: API requests by route, operations by type and outcome, the Temporal worker', async () => {
    expect((await axios.get(`${base}/metrics`, { validateStatus: () => true })).status).toBe(401);
    const text = await eventually(
      'the worker to export the failed connectAdd',
      async () => {
        const res = await axios.get<string>(`${base}/metrics`, { ...as(VIEWER), responseType: 'text' });
        if (
          !/df_operations\S*\{[^}]*outcome="failed"[^}]*type="connectAdd"|df_operations\S*\{[^}]*type="connectAdd"[^}]*outcome="failed"/.test(
            res.data,
          )
        )
          throw new Error('not yet');
        return res.data;
      },
      30000,
    );
    expect(
      res(text, 'df_api_requests_total', { method: 'GET', route: '/api/df/ps', status: '200' }),
    ).toBeGreaterThanOrEqual(1);
    expect(res(text, 'df_api_requests_total', { method: 'POST', route: '/api/df/ps', status: '400' })).toBe(1);
    expect(res(text, 'df_api_operations_total', { type: 'connectAdd', outcome: 'failed' })).toBe(1);
    expect(text).toMatch(/df_api_request_duration_seconds_bucket\{[^}]*route="\/api\/df\/ps"/);
    expect(text).toMatch(/^temporal_\w*(worker|poll|slots|workflow_task)\w*/m); // the SDK's own worker metrics
  });

  it('exports each status sync round: its duration, the tasks it looked at and changed', async () => {
    const temporal = await connectTemporal(loadConfig().temporal.connection, loadConfig().temporal.namespace);
    try {
      await temporal.client.workflow.execute(statusSync, { taskQueue, workflowId: uniqueName('it-observe-sync') });
    } finally {
      await temporal.close();
    }
    const text = await eventually(
      'the round in the worker metrics',
      async () => {
        const res = await axios.get<string>(`${base}/metrics`, { ...as(VIEWER), responseType: 'text' });
        if (!/df_sync_round_duration\w*_count/.test(res.data)) throw new Error('not yet');
        return res.data;
      },
      30000,
    );
    expect(text).toMatch(/^\w*df_sync_changed_tasks\w*( |\{)/m);
    expect(text).toMatch(/^\w*df_sync_tasks\w*( |\{)/m);
  });

  it('logs JSON lines naming the request, and the workflow and task of each activity; no secret appears', async () => {
    const failed = await eventually(
      'the activity failure line',
      async () => {
        const line = lines().find((l) => l.msg === 'activity failed' && l.taskId === id);
        if (!line) throw new Error('not yet');
        return line;
      },
      10000,
    );
    expect(failed).toMatchObject({
      level: 'warn',
      workflowId: `df-connect-add-${id}`,
      activity: expect.any(String),
      runId: expect.any(String),
    });
    const request = lines().find((l) => l.msg === 'request' && l.method === 'POST' && l.path === '/api/df/ps');
    expect(request).toMatchObject({ status: 400, requestId: expect.any(String), workflowId: `df-connect-add-${id}` });
    expect(lines().find((l) => l.msg === 'request' && l.method === 'DELETE')).toMatchObject({
      taskId: id,
      status: 403,
    });
    expect(service.output()).not.toContain(PASSWORD);
    expect(service.output()).not.toContain(ADMIN);
    expect(service.output()).not.toContain(VIEWER);
  });

  it("keeps the task's lines in the store for GET /logs/:id, from the worker and the API, no secret in them", async () => {
    const rows = await eventually(
      "the task's lines in the log store",
      async () => {
        const res = await axios.get(`${base}/api/df/logs/${id}`, as(VIEWER));
        const found = res.data as { message: string; level: string; process: string; method?: string }[];
        if (!found.some((r) => r.message === 'activity failed') || !found.some((r) => r.method?.startsWith('DELETE ')))
          throw new Error('not yet');
        return found;
      },
      30000,
    );
    expect(rows).toContainEqual(
      expect.objectContaining({
        level: 'WARN',
        message: 'activity failed',
        process: expect.stringMatching(/^worker@/),
      }),
    );
    expect(rows).toContainEqual(
      expect.objectContaining({ method: `DELETE /api/df/ps/${id}`, process: expect.stringMatching(/^api@/) }),
    );
    const client = await MongoClient.connect(loadConfig().mongo.url);
    try {
      const stored = JSON.stringify(await client.db(db).collection('df_log').find({}).toArray());
      expect(stored).toContain(id);
      for (const secret of [PASSWORD, ADMIN, VIEWER]) expect(stored).not.toContain(secret);
    } finally {
      await client.close();
    }
  });
});

/** The value of one sample, found by name and labels (in any order). */
function res(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.lastIndexOf('}'));
    const have = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return Number.NaN;
}
