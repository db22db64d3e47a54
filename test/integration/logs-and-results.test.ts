import { DfApp, startDfApp } from '../support/df-app';
import { produce } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

interface LogRowBody {
  id: string;
  timestamp: string;
  level: string;
  taskId: string;
  message: string;
  process: string;
  method?: string;
}

/**
 * GET /logs, /logs/:id and GET /tr/:id/result on the real stack: a batch SQL transform's add and
 * run leave log lines that name it (written to the store by the worker), and its finished result
 * can be previewed.
 */
describe('Task log lines and batch result preview', () => {
  let app: DfApp;
  let id: string;

  beforeAll(async () => {
    app = await startDfApp('logs_results');
    const topicIn = uniqueName('it-logs-in');
    await app.services.kafka.ensureTopic(topicIn, 1, 1);
    await produce(
      app.config.kafkaBrokers,
      topicIn,
      [1, 2, 3, 4, 5].map((n) => ({ id: `r${n}`, amount: n })),
    );
    id = uniqueName('batch-logs');
    const res = await app.api.post('/tr', {
      id,
      name: 'Amounts over one',
      connectorType: 'TRANSFORM_BATCH_FLINK_SQL',
      connectorConfig: {
        topic_in: topicIn,
        format: 'json',
        columns_in: 'id STRING, amount INT',
        trans_sql: `SELECT id, amount FROM \`${topicIn}\` WHERE amount > 1`,
      },
    });
    // 202 when the first Flink job after a start outlasts DF_SYNC_WAIT_MS: the task is then awaited below.
    expect([201, 202]).toContain(res.status);
    await eventually(
      'batch FINISHED',
      async () => {
        const t = (await app.api.get(`/tr/${id}`)).data;
        if (t.status === 'FAILED') throw new Error(`batch failed: ${t.statusReason}`);
        return t.status === 'FINISHED' ? t : undefined;
      },
      120000,
    );
  }, 180000);

  afterAll(async () => {
    if (id) await app?.api.delete(`/tr/${id}`, { params: { mode: 'cancel' } });
    await app?.close();
  });

  it("GET /logs/:id gives the lines of the task's operation, written by the worker, newest first", async () => {
    const rows = await eventually('the add steps in the log', async () => {
      const res = await app.api.get(`/logs/${id}`);
      const lines = res.data as LogRowBody[];
      // The batch watcher counts the rows last: its line is there once the add's are.
      return lines.some((l) => l.method === 'countResultRows') ? res : undefined;
    });
    expect(rows.status).toBe(200);
    const lines = rows.data as LogRowBody[];
    expect(Number(rows.headers['x-total-count'])).toBeGreaterThanOrEqual(lines.length);
    expect(lines.every((l) => l.taskId === id)).toBe(true);
    expect(lines).toContainEqual(
      expect.objectContaining({
        taskId: id,
        level: 'INFO',
        message: 'activity completed',
        method: 'prepareTransformAdd',
        process: expect.stringMatching(/^worker@/),
      }),
    );
    // Named by the run's task even where the activity's argument is something else (the result path).
    expect(lines).toContainEqual(expect.objectContaining({ taskId: id, method: 'countResultRows' }));
    const times = lines.map((l) => l.timestamp);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('GET /logs speaks the list protocol: _sort, _order, _start/_end, q, X-Total-Count', async () => {
    const all = await app.api.get('/logs', { params: { q: 'activity completed', _end: 1000 } });
    expect(all.status).toBe(200);
    const total = Number(all.headers['x-total-count']);
    expect(total).toBeGreaterThanOrEqual(3);
    expect((all.data as LogRowBody[]).every((l) => /activity completed/i.test(l.message))).toBe(true);

    const page = await app.api.get('/logs', {
      params: { q: 'ACTIVITY', _sort: 'timestamp', _order: 'ASC', _start: 1, _end: 3 },
    });
    expect(page.status).toBe(200);
    expect(Number(page.headers['x-total-count'])).toBe(total);
    const oldestFirst = (
      await app.api.get('/logs', { params: { q: 'activity', _sort: 'timestamp', _order: 'ASC', _end: 3 } })
    ).data as LogRowBody[];
    expect((page.data as LogRowBody[]).map((l) => l.id)).toEqual(oldestFirst.slice(1, 3).map((l) => l.id));

    const byMethod = (await app.api.get('/logs', { params: { _sort: 'method', _order: 'ASC', _end: 1000 } }))
      .data as LogRowBody[];
    const methods = byMethod.map((l) => l.method ?? '');
    expect(methods.filter(Boolean)).toEqual([...methods.filter(Boolean)].sort());
  });

  it('refuses a bad list query with 400 naming the parameter', async () => {
    const badSort = await app.api.get('/logs', { params: { _sort: 'nosuchfield' } });
    expect(badSort.status).toBe(400);
    expect(badSort.data.error.details.fields._sort).toBeDefined();
    const badOrder = await app.api.get(`/logs/${id}`, { params: { _order: 'UP' } });
    expect(badOrder.status).toBe(400);
    expect(badOrder.data.error.details.fields._order).toBeDefined();
    const badRange = await app.api.get('/logs', { params: { _start: 5, _end: 2 } });
    expect(badRange.status).toBe(400);
    expect(badRange.data.error.details.fields._end).toBeDefined();
  });

  it('answers an id with no lines with an empty list (lines outlive tasks), and a malformed id with 400', async () => {
    const none = await app.api.get(`/logs/${uniqueName('never-seen')}`);
    expect(none.status).toBe(200);
    expect(none.data).toEqual([]);
    expect(none.headers['x-total-count']).toBe('0');
    const bad = await app.api.get(`/logs/${encodeURIComponent('no spaces allowed')}`);
    expect(bad.status).toBe(400);
  });

  it("GET /tr/:id/result gives the first rows of the finished batch result, and the result's row count", async () => {
    const res = await app.api.get(`/tr/${id}/result`, { params: { limit: 2 } });
    expect(res.status).toBe(200);
    expect(res.headers['x-total-count']).toBe('4');
    expect(res.data).toHaveLength(2);
    for (const row of res.data)
      expect(row).toEqual({ id: expect.stringMatching(/^r[2-5]$/), amount: expect.any(Number) });
    const all = await app.api.get(`/tr/${id}/result`);
    expect((all.data as { id: string }[]).map((r) => r.id).sort()).toEqual(['r2', 'r3', 'r4', 'r5']);
  });

  it('refuses a preview with a limit out of bounds (400), of an unknown task (404), of a transform with no result (409)', async () => {
    for (const limit of ['0', '1001', 'many']) {
      const res = await app.api.get(`/tr/${id}/result`, { params: { limit } });
      expect(res.status).toBe(400);
      expect(res.data.error.details.fields.limit).toBeDefined();
    }
    expect((await app.api.get(`/tr/${uniqueName('no-such')}/result`)).status).toBe(404);

    const streaming = uniqueName('streaming');
    await app.services.tasks.insert(
      {
        id: streaming,
        taskSeq: '1',
        name: 'A streaming transform',
        description: '',
        connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
        connectorCategory: 'TRANSFORM',
        connectUid: streaming,
        status: 'RUNNING',
        connectorConfig: {},
        jobConfig: null,
      },
      { workflowId: 'seed', runId: 'seed', type: 'seed' },
      new Date(),
    );
    const refused = await app.api.get(`/tr/${streaming}/result`);
    expect(refused.status).toBe(409);
    expect(refused.data.error.message).toMatch(/only TRANSFORM_BATCH_FLINK_SQL/);
    await app.services.tasks.remove(streaming);
  });
});
