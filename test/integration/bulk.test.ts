import fs from 'node:fs/promises';
import path from 'node:path';
import { connectRest, ConnectRest } from '../support/connect-rest';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

interface BulkItemRow {
  id: string;
  state: string;
  message?: string;
  status?: string;
  workflowId?: string;
}
interface BulkRunRow {
  id: string;
  state: string;
  done?: boolean;
  cancelled?: boolean;
  counts?: Record<string, number>;
  items?: BulkItemRow[];
}

/**
 * Bulk actions on the real stack: twenty connects picked by a list filter are paused, one at a time
 * per lane, each through its own connectAction run; one whose connector was removed behind DF's back
 * fails alone with Kafka Connect's message while the others pause.
 */
describe('bulk actions on the real stack', () => {
  const tag = uniqueName('bulk');
  const ids = Array.from({ length: 20 }, (_, i) => `${tag}-${String(i).padStart(2, '0')}`);
  let app: DfApp;
  let connect: ConnectRest;
  let dir: string;

  /** Follows a bulk run started with POST /bulk to its end, through GET /bulk/:id. */
  const ended = (bulkId: string) =>
    eventually(
      `bulk run ${bulkId} ended`,
      async () => {
        const { data } = await app.api.get<BulkRunRow>(`/bulk/${bulkId}`);
        return data.state === 'RUNNING' ? undefined : data;
      },
      180_000,
      500,
    );

  beforeAll(async () => {
    app = await startDfApp('bulk', { DF_SYNC_WAIT_MS: '2000' });
    connect = connectRest(app.config);
    dir = await dataTempDir(app, 'df-it-bulk-');
    const file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, 'one\ntwo\n');
    for (const id of ids) {
      const res = await app.api.post('/ps', {
        id,
        name: id,
        description: `bulk spec ${tag}`,
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { file, topic: `${tag}-lines` },
      });
      expect([201, 202]).toContain(res.status);
    }
    await eventually(
      'every connect RUNNING',
      async () => {
        const { data } = await app.api.get(`/ps?q=${encodeURIComponent(tag)}&status=RUNNING`);
        return data.length === ids.length ? true : undefined;
      },
      120_000,
      1000,
    );
  }, 600_000);

  afterAll(async () => {
    if (app) {
      for (const id of ids) await app.api.delete(`/ps/${id}`).catch(() => undefined);
      await app.close();
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  }, 300_000);

  it('answers a dry run with the tasks a filter picks, and touches none', async () => {
    const res = await app.api.post('/bulk', { action: 'pause', filter: { q: tag, status: 'RUNNING' }, dryRun: true });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ dryRun: true, action: 'pause', total: 20, counts: { pending: 20 } });
    expect(res.data.items.map((i: BulkItemRow) => i.id)).toEqual(ids);
    const { data } = await app.api.get(`/ps?q=${encodeURIComponent(tag)}&status=RUNNING`);
    expect(data).toHaveLength(20);
  });

  it('pauses 20 connects picked by a filter; one whose connector is gone fails alone, with Connect’s message', async () => {
    const gone = ids[9];
    expect((await connect.delete(`/connectors/${gone}`)).status).toBe(204);
    const res = await app.api.post('/bulk', { action: 'pause', filter: { q: tag }, concurrency: 4 });
    expect([200, 202]).toContain(res.status);
    const run = await ended(res.data.id);
    expect(run).toMatchObject({ state: 'COMPLETED', done: true, cancelled: false });
    expect(run.counts).toMatchObject({ succeeded: 19, failed: 1 });
    const failed = run.items!.find((i) => i.state === 'failed');
    expect(failed).toMatchObject({ id: gone, message: expect.stringMatching(/Unknown connector/) });
    for (const item of run.items!.filter((i) => i.id !== gone)) {
      expect(item).toMatchObject({ state: 'succeeded', status: 'PAUSED' });
      const { data } = await connect.get(`/connectors/${item.id}/status`);
      expect(data.connector.state).toBe('PAUSED');
    }
    // Each item ran as the connect action's own run, findable by its id.
    const desc = await app.temporal.client.workflow.getHandle(run.items![0].workflowId!).describe();
    expect(desc.type).toBe('connectAction');
  });

  it('sets a config key on the connects named by id, each through its update, reaching Kafka Connect', async () => {
    const named = [ids[0], ids[1], ids[2]];
    const res = await app.api.post('/bulk', { action: 'set-config', ids: named, config: { 'batch.size': '321' } });
    const run = await ended(res.data.id);
    expect(run.counts).toMatchObject({ succeeded: 3 });
    for (const id of named) {
      const { data } = await connect.get(`/connectors/${id}/config`);
      expect(data['batch.size']).toBe('321');
    }
  });

  it('refuses a bad request with 400 naming the field, and starts nothing', async () => {
    const refusals = [
      [{ action: 'pause' }, 'ids'],
      [{ action: 'pause', ids: [ids[0]], filter: { q: tag } }, 'ids'],
      [{ action: 'explode', ids: [ids[0]] }, 'action'],
      [{ action: 'set-config', ids: [ids[0]] }, 'config'],
      [{ action: 'pause', filter: { status: 'SLEEPING' } }, 'filter.status'],
      [{ action: 'pause', ids: [ids[0]], concurrency: 500 }, 'concurrency'],
    ] as const;
    for (const [body, field] of refusals) {
      const res = await app.api.post('/bulk', body);
      expect(res.status).toBe(400);
      expect(res.data.error.details.fields).toHaveProperty([field]);
      expect(res.data.message).toEqual(expect.any(String));
    }
  });

  it('answers 404 for an unknown bulk run, and 409 to a cancel of one that ended', async () => {
    expect((await app.api.get(`/bulk/${uniqueName('nope')}`)).status).toBe(404);
    const res = await app.api.post('/bulk', { action: 'resume', ids: [ids[0]] });
    await ended(res.data.id);
    const cancel = await app.api.delete(`/bulk/${res.data.id}`);
    expect(cancel.status).toBe(409);
    expect(cancel.data.error.code).toBe('CONFLICT');
  });

  it('deletes the connects picked by a filter, connectors and records', async () => {
    const res = await app.api.post('/bulk', { action: 'delete', filter: { q: tag }, concurrency: 8 });
    const run = await ended(res.data.id);
    expect(run.counts).toMatchObject({ succeeded: 20 });
    const { data } = await app.api.get(`/ps?q=${encodeURIComponent(tag)}`);
    expect(data).toEqual([]);
    const { data: names } = await connect.get('/connectors');
    expect((names as string[]).filter((n) => n.startsWith(tag))).toEqual([]);
  });
});
