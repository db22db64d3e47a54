import fs from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { DF_ACTOR } from '../../src/protocol/search-attributes';
import type { AuditEntry } from '../../src/domain/audit';
import { connectRest } from '../support/connect-rest';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

/**
 * Every operation names who asked for it, on the real stack: the audit lists each one with the
 * caller's token name and role, its request id and client address; the run carries the same on
 * its memo and its DfActor search attribute; an open API's caller is `anonymous`.
 */
describe('audit: who asked for each operation', () => {
  const suffix = randomUUID().replace(/-/g, '').slice(0, 10);
  // Names unique to this run: DfActor is searched across the whole (shared) namespace.
  const ALICE = `alice-${suffix}`;
  const BOB = `bob-${suffix}`;
  const ALICE_TOKEN = `alice-token-${suffix}-0123456789`;
  const BOB_TOKEN = `bob-token-${suffix}-0123456789`;
  const VIEWER_TOKEN = `viewer-token-${suffix}-0123456789`;
  const id = uniqueName('audited');
  const refusedId = uniqueName('audited_open');
  const scaledId = uniqueName('audited_ops');
  let app: DfApp;
  let open: DfApp;
  let dir: string;
  /** The run each step started, by operation, from the answer's headers. */
  const runs: Record<string, { workflowId: string; runId: string; requestId: string }> = {};

  const as = (token: string, requestId?: string) => ({
    headers: { Authorization: `Bearer ${token}`, ...(requestId ? { 'X-Request-Id': requestId } : {}) },
  });
  const audit = async (params: Record<string, string>, token = ALICE_TOKEN) =>
    app.api.get<AuditEntry[]>('/audit', { ...as(token), params });

  beforeAll(async () => {
    app = await startDfApp('audit', {
      DF_API_TOKENS: `${ALICE_TOKEN}:admin:${ALICE},${BOB_TOKEN}:admin:${BOB},${VIEWER_TOKEN}:viewer`,
    });
    // The same store and worker, behind an API that runs open.
    open = await startDfApp(
      'audit_open',
      { MONGO_DB: app.config.mongo.db, DF_TASK_QUEUE: app.config.temporal.taskQueue, DF_API_TOKENS: '' },
      { worker: false },
    );
    dir = await dataTempDir(app, 'df-it-audit-');
    await fs.writeFile(path.join(dir, 'lines.txt'), 'alpha\n');
  });

  afterAll(async () => {
    await connectRest(app.config).delete(`/connectors/${id}`);
    await app?.api.delete(`/ps/${scaledId}`, as(ALICE_TOKEN)).catch(() => undefined);
    await open?.close();
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const step = (operation: string, requestId: string, res: { status: number; headers: Record<string, unknown> }) => {
    runs[operation] = {
      workflowId: String(res.headers['x-df-workflow-id']),
      runId: String(res.headers['x-df-run-id']),
      requestId,
    };
    return res.status;
  };

  it('runs an add, an update, an action and a delete of a connect, each as one of two tokens', async () => {
    const add = await app.api.post(
      '/ps',
      {
        id,
        name: 'Audited lines',
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { 'tasks.max': '1', file: path.join(dir, 'lines.txt'), topic: uniqueName('it-audit') },
      },
      as(ALICE_TOKEN, `add-${suffix}`),
    );
    expect(step('connectAdd', `add-${suffix}`, add)).toBe(201);
    const update = await app.api.patch(`/ps/${id}`, { description: 'audited' }, as(BOB_TOKEN, `update-${suffix}`));
    expect(step('connectUpdate', `update-${suffix}`, update)).toBe(200);
    const pause = await app.api.post(`/ps/${id}/pause`, undefined, as(ALICE_TOKEN, `pause-${suffix}`));
    expect(step('connectAction', `pause-${suffix}`, pause)).toBe(200);
    // Refused before any run: not an operation, so not in the audit.
    expect((await app.api.delete(`/ps/${id}`, as(VIEWER_TOKEN))).status).toBe(403);
    const remove = await app.api.delete(`/ps/${id}`, as(BOB_TOKEN, `delete-${suffix}`));
    expect(step('connectDelete', `delete-${suffix}`, remove)).toBe(200);
  });

  it("lists the task's operations newest first, each naming the token, its role, the request and the client", async () => {
    const res = await audit({ taskId: id });
    expect(res.status).toBe(200);
    expect(res.headers['x-total-count']).toBe('4');
    const expected = [
      ['connectDelete', BOB, 'DELETE', `/api/df/ps/${id}`, 200],
      ['connectAction', ALICE, 'POST', `/api/df/ps/${id}/pause`, 200],
      ['connectUpdate', BOB, 'PATCH', `/api/df/ps/${id}`, 200],
      ['connectAdd', ALICE, 'POST', '/api/df/ps', 201],
    ] as const;
    expect(res.data).toEqual(
      expected.map(([operation, actor, method, at, status]) => ({
        id: `${runs[operation].workflowId}:${runs[operation].runId}`,
        at: expect.any(String),
        actor,
        role: 'admin',
        requestId: runs[operation].requestId,
        clientAddress: '127.0.0.1',
        taskId: id,
        category: 'CONNECT',
        operation,
        workflowId: runs[operation].workflowId,
        runId: runs[operation].runId,
        method,
        path: at,
        status,
      })),
    );
  });

  it('filters by actor, operation and time range', async () => {
    const byBob = await audit({ actor: BOB });
    expect(byBob.data.map((e) => e.operation)).toEqual(['connectDelete', 'connectUpdate']);
    const pauses = await audit({ operation: 'connectAction', taskId: id });
    expect(pauses.data.map((e) => [e.actor, e.requestId])).toEqual([[ALICE, `pause-${suffix}`]]);
    const { data: all } = await audit({ taskId: id, _order: 'ASC' });
    const sinceUpdate = await audit({ taskId: id, from: all[1].at });
    expect(sinceUpdate.data.map((e) => e.operation)).toEqual(['connectDelete', 'connectAction', 'connectUpdate']);
    const untilUpdate = await audit({ taskId: id, to: all[1].at, _sort: 'at', _order: 'ASC' });
    expect(untilUpdate.data.map((e) => e.operation)).toEqual(['connectAdd', 'connectUpdate']);
    const before = await audit({ to: '2000-01-01' });
    expect(before.headers['x-total-count']).toBe('0');
  });

  it('refuses a bad filter with 400 naming it, and a viewer with 403', async () => {
    const bad = await audit({ from: 'yesterday' });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({
      error: { code: 'VALIDATION_FAILED', details: { fields: { from: [expect.stringContaining('ISO 8601')] } } },
    });
    const backwards = await audit({ from: '2026-12-06T21:00:00Z', to: '2026-12-06T20:00:00Z' });
    expect(backwards.status).toBe(400);
    expect(backwards.data).toMatchObject({ error: { details: { fields: { to: expect.any(Array) } } } });
    expect((await audit({}, VIEWER_TOKEN)).status).toBe(403);
  });

  it('puts who asked on the run: its memo and its DfActor search attribute', async () => {
    for (const [operation, actor] of [
      ['connectAdd', ALICE],
      ['connectDelete', BOB],
    ] as const) {
      const { workflowId, runId, requestId } = runs[operation];
      const described = await app.temporal.client.workflow.getHandle(workflowId, runId).describe();
      expect(described.memo?.dfAudit).toEqual({ actor, role: 'admin', requestId, clientAddress: '127.0.0.1' });
      expect(described.typedSearchAttributes.get(DF_ACTOR)).toBe(actor);
    }
    const bobsRuns = await eventually('the visibility store to list the runs by DfActor', async () => {
      const found: string[] = [];
      for await (const run of app.temporal.client.workflow.list({ query: `DfActor="${BOB}"` })) found.push(run.runId);
      return found.length === 2 ? found.sort() : undefined;
    });
    expect(bobsRuns).toEqual([runs.connectUpdate.runId, runs.connectDelete.runId].sort());
  });

  it('names the caller of an open API anonymous, with the status of an operation that failed', async () => {
    // Kafka Connect refuses the config: the run starts, then fails with Connect's 400.
    const refused = await open.api.post(
      '/ps',
      {
        id: refusedId,
        name: 'refused',
        connectorConfig: {
          'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          topic: 'x',
          'tasks.max': 'abc',
        },
      },
      { headers: { 'X-Request-Id': `open-${suffix}` } },
    );
    expect(refused.status).toBe(400);
    const workflowId = String(refused.headers['x-df-workflow-id']);
    const { data: entries } = await open.api.get<AuditEntry[]>('/audit', { params: { taskId: refusedId } });
    expect(entries).toEqual([
      expect.objectContaining({
        actor: 'anonymous',
        role: 'admin',
        requestId: `open-${suffix}`,
        clientAddress: '127.0.0.1',
        operation: 'connectAdd',
        workflowId,
        status: 400,
      }),
    ]);
    const described = await open.temporal.client.workflow.getHandle(workflowId, entries[0].runId).describe();
    expect(described.typedSearchAttributes.get(DF_ACTOR)).toBe('anonymous');
    expect(described.memo?.dfAudit).toMatchObject({ actor: 'anonymous', requestId: `open-${suffix}` });
  });

  it("names the token on an offsets change, a task restart, a rollback and a bulk run, whose items act for the bulk's caller", async () => {
    const file = path.join(dir, 'lines.txt');
    const add = await app.api.post(
      '/ps',
      {
        id: scaledId,
        name: 'Audited operations',
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { 'tasks.max': '1', file, topic: uniqueName('it-audit-ops') },
      },
      as(ALICE_TOKEN),
    );
    expect(add.status).toBe(201);
    const offsets = { offsets: [{ partition: { filename: file }, offset: { position: 0 } }] };
    expect((await app.api.patch(`/ps/${scaledId}/offsets`, offsets, as(BOB_TOKEN))).status).toBe(200);
    expect((await app.api.post(`/ps/${scaledId}/tasks/0/restart`, undefined, as(ALICE_TOKEN))).status).toBe(200);
    const edit = { connectorConfig: { 'tasks.max': '1', file, topic: uniqueName('it-audit-ops2') } };
    expect((await app.api.patch(`/ps/${scaledId}`, edit, as(ALICE_TOKEN))).status).toBe(200);
    expect((await app.api.post(`/ps/${scaledId}/rollback`, { version: 1 }, as(BOB_TOKEN))).status).toBe(200);
    const bulk = await app.api.post('/bulk', { action: 'pause', ids: [scaledId] }, as(ALICE_TOKEN));
    expect(bulk.status).toBe(200);

    const { data: entries } = await audit({ taskId: scaledId, _order: 'ASC' });
    expect(entries.map((e) => [e.operation, e.actor])).toEqual([
      ['connectAdd', ALICE],
      ['connectOffsets', BOB],
      ['connectTaskRestart', ALICE],
      ['connectUpdate', ALICE],
      ['connectRollback', BOB],
    ]);
    const { data: bulkRuns } = await audit({ operation: 'bulkRun', actor: ALICE });
    expect(bulkRuns).toEqual([expect.objectContaining({ method: 'POST', path: '/api/df/bulk', role: 'admin' })]);
    const item = (bulk.data as { items: { id: string; workflowId: string }[] }).items[0];
    const child = await app.temporal.client.workflow.getHandle(item.workflowId).describe();
    expect(child.memo?.dfAudit).toMatchObject({ actor: ALICE, role: 'admin' });
    expect(child.typedSearchAttributes.get(DF_ACTOR)).toBe(ALICE);
  });
});
