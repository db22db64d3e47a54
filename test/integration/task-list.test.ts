import { DF_STATUSES, DfStatus } from '../../src/domain/status';
import { TASK_ROW_SHAPE, TaskListQuery } from '../../src/domain/task-query';
import { TaskListView } from '../../src/repository/task-list-view';
import { DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

/**
 * The json-server list protocol over df_processor, on 200+ tasks in the real store: sorting,
 * paging both ways, search and status filter, with X-Total-Count telling the whole match count.
 */
describe('GET /ps and /processor: lists admin UIs can page through', () => {
  let app: DfApp;
  const CONNECTS = 210;
  const TRANSFORMS = 15;
  const statusOf = (i: number): DfStatus => (['RUNNING', 'PAUSED', 'FAILED'] as const)[i % 3];
  const idOf = (i: number) => `c${String(i).padStart(3, '0')}`;

  beforeAll(async () => {
    // An admin UI served from another origin reads lists: this deployment allows any origin.
    app = await startDfApp('task_list', { DF_CORS_ORIGINS: '*' });
    const op = { workflowId: 'seed', runId: 'seed', type: 'seed' };
    const at = new Date('2026-01-01T00:00:00Z');
    for (let i = 0; i < CONNECTS; i++) {
      await app.services.tasks.insert(
        {
          id: idOf(i),
          taskSeq: '1',
          name: `Connect ${String(CONNECTS - i).padStart(3, '0')}${i === 7 ? ' (orders.v2) [$where]' : ''}`,
          description: i % 10 === 0 ? 'Reads the Orders feed' : 'plain',
          connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
          connectorCategory: 'CONNECT',
          connectUid: idOf(i),
          status: statusOf(i),
          connectorConfig: { 'tasks.max': '1' },
          jobConfig: null,
        },
        op,
        at,
      );
    }
    for (let i = 0; i < TRANSFORMS; i++) {
      await app.services.tasks.insert(
        {
          id: `t${i}`,
          taskSeq: '1',
          name: `Transform ${i}`,
          description: 'orders sql',
          connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
          connectorCategory: 'TRANSFORM',
          connectUid: `t${i}`,
          status: 'RUNNING',
          // Input topics run the other way round from the ids; every third has no job id yet.
          connectorConfig: { topic_in: `in-${String(TRANSFORMS - i).padStart(2, '0')}` },
          jobConfig: i % 3 === 0 ? null : { flink_job_id: `job-${i}` },
        },
        op,
        at,
      );
    }
  }, 120000);
  afterAll(async () => {
    await app?.close();
  });

  it('lists every task on /processor and only connects on /ps, totals in X-Total-Count', async () => {
    const all = await app.api.get('/processor');
    expect(all.headers['x-total-count']).toBe(String(CONNECTS + TRANSFORMS));
    expect(all.data).toHaveLength(CONNECTS + TRANSFORMS);
    const connects = await app.api.get('/ps');
    expect(connects.headers['x-total-count']).toBe(String(CONNECTS));
    expect(connects.data.every((t: { connectorCategory: string }) => t.connectorCategory === 'CONNECT')).toBe(true);
  });

  it('pages with _start/_end and sorts with _sort/_order', async () => {
    const res = await app.api.get('/ps', { params: { _sort: 'name', _order: 'DESC', _start: 10, _end: 20 } });
    expect(res.status).toBe(200);
    expect(res.headers['x-total-count']).toBe(String(CONNECTS));
    // Names run "Connect 210" (c000) down to "Connect 001" (c209); DESC by name starts at c000.
    expect(res.data.map((t: { id: string }) => t.id)).toEqual(Array.from({ length: 10 }, (_, k) => idOf(10 + k)));
  });

  it('pages with _page/_perPage (ng-admin) the same way', async () => {
    const res = await app.api.get('/ps', { params: { _sort: 'id', _order: 'ASC', _page: 3, _perPage: 25 } });
    expect(res.data.map((t: { id: string }) => t.id)).toEqual(Array.from({ length: 25 }, (_, k) => idOf(50 + k)));
  });

  it('walks all pages without repeating or skipping a task', async () => {
    const seen: string[] = [];
    for (let start = 0; start < CONNECTS; start += 50) {
      const { data } = await app.api.get('/ps', {
        params: { _sort: 'status', _order: 'ASC', _start: start, _end: start + 50 },
      });
      seen.push(...data.map((t: { id: string }) => t.id));
    }
    expect(new Set(seen).size).toBe(CONNECTS);
  });

  it('filters by status (one or several) and counts the matches', async () => {
    const paused = await app.api.get('/ps', { params: { status: 'PAUSED' } });
    expect(paused.headers['x-total-count']).toBe(String(CONNECTS / 3));
    expect(new Set(paused.data.map((t: { status: string }) => t.status))).toEqual(new Set(['PAUSED']));
    const two = await app.api.get('/ps?status=paused&status=FAILED');
    expect(two.headers['x-total-count']).toBe(String((2 * CONNECTS) / 3));
  });

  it('searches q over id, name, description and type, case-insensitively and literally', async () => {
    const byDescription = await app.api.get('/ps', { params: { q: 'orders FEED' } });
    expect(byDescription.headers['x-total-count']).toBe(String(CONNECTS / 10));
    const byId = await app.api.get('/ps', { params: { q: 'c20', _start: 0, _end: 100 } });
    expect(
      byId.data
        .map((t: { id: string }) => t.id)
        .sort()
        .join(' '),
    ).toEqual(['c200', 'c201', 'c202', 'c203', 'c204', 'c205', 'c206', 'c207', 'c208', 'c209'].sort().join(' '));
    // Regex and operator characters are matched as text, never interpreted.
    const literal = await app.api.get('/ps', { params: { q: '(orders.v2) [$where]' } });
    expect(literal.data.map((t: { id: string }) => t.id)).toEqual(['c007']);
    expect((await app.api.get('/ps', { params: { q: '.*' } })).headers['x-total-count']).toBe('0');
    const combined = await app.api.get('/processor', { params: { q: 'orders', status: 'RUNNING' } });
    expect(combined.headers['x-total-count']).toBe(String(TRANSFORMS + 7)); // c000,c030,...,c180 are RUNNING and match
  });

  it('refuses unknown sort fields, orders, statuses and bad paging with 400 naming the parameter', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ _sort: 'nope' }, '_sort'],
      [{ _sort: 'connectorConfig.' }, '_sort'],
      [{ _sortField: 'name.first' }, '_sortField'],
      [{ _order: 'UP' }, '_order'],
      [{ status: 'SLEEPING' }, 'status'],
      [{ _start: '-1' }, '_start'],
      [{ _start: '20', _end: '10' }, '_end'],
    ];
    for (const [params, field] of cases) {
      const res = await app.api.get('/ps', { params });
      expect({ params, status: res.status }).toEqual({ params, status: 400 });
      expect(Object.keys(res.data.error.details.fields)).toContain(field);
    }
    expect(DF_STATUSES).toContain('RWE');
  });

  it('sorts by a nested field, a config key in either spelling, missing values first', async () => {
    const byTopic = await app.api.get('/tr', { params: { _sort: 'connectorConfig.topic_in', _order: 'ASC' } });
    expect(byTopic.status).toBe(200);
    expect(byTopic.data.map((t: { id: string }) => t.id)).toEqual(
      Array.from({ length: TRANSFORMS }, (_, k) => `t${TRANSFORMS - 1 - k}`),
    );
    // Transforms without a job id come first ascending (t0, t3, …), then by the job ids' text.
    const byJob = await app.api.get('/tr', { params: { _sort: 'jobConfig.flink_job_id', _order: 'ASC' } });
    const withoutJob = byJob.data.filter((t: { jobConfig: unknown }) => t.jobConfig === null);
    expect(byJob.data.slice(0, withoutJob.length)).toEqual(withoutJob);
    expect(withoutJob.map((t: { id: string }) => t.id)).toEqual(['t0', 't12', 't3', 't6', 't9']);
    const spellings = await Promise.all(
      ['connectorConfig.tasks.max', 'connectorConfig.tasks_max'].map((field) =>
        app.api.get('/ps', { params: { _sort: field, _order: 'DESC', _start: 0, _end: 5 } }),
      ),
    );
    expect(spellings.map((r) => r.status)).toEqual([200, 200]);
    expect(spellings[1].data).toEqual(spellings[0].data);
    const byOperation = await app.api.get('/ps', { params: { _sortField: 'lastOperation.type', _sortDir: 'DESC' } });
    expect(byOperation.status).toBe(200);
  });

  it('refuses a _sort field no task can have with 400 naming it, in the message json-server clients show', async () => {
    const res = await app.api.get('/ps', { params: { _sort: 'schema.name', _order: 'ASC' } });
    expect(res.status).toBe(400);
    expect(res.data.error.details.fields._sort).toEqual([
      expect.stringMatching(/^no row has a field schema\.name; sortable: id, /),
    ]);
    expect(res.data.message).toMatch(/^invalid list query; _sort: no row has a field schema\.name/);
  });

  it('exposes X-Total-Count to browsers through CORS', async () => {
    const res = await app.api.get('/ps', { headers: { Origin: 'http://admin.example' } });
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['access-control-expose-headers']).toMatch(/X-Total-Count/);
  });

  it('serves from its snapshot exactly the page the store query gives, for every sort, order, filter and page', async () => {
    const view = new TaskListView(app.services.tasks, { maxAgeMs: 60_000, maxStaleMs: 60_000 });
    const queries: TaskListQuery[] = [];
    const nested = [
      'connectorConfig.topic_in',
      'connectorConfig.tasks.max',
      'connectorConfig.tasks_max',
      'jobConfig.flink_job_id',
      'lastOperation.workflowId',
      'connectorConfig',
    ];
    for (const sort of [...TASK_ROW_SHAPE.fields, ...nested]) {
      for (const order of ['ASC', 'DESC'] as const) queries.push({ sort, order, skip: 5, limit: 20 });
    }
    queries.push({ category: 'TRANSFORM', sort: 'connectorConfig.topic_in', order: 'ASC', skip: 0, limit: 100 });
    queries.push({ category: 'TRANSFORM', sort: 'jobConfig.flink_job_id', order: 'DESC', skip: 3, limit: 5 });
    queries.push(
      { category: 'CONNECT', statuses: ['RUNNING', 'FAILED'], sort: 'name', order: 'DESC', skip: 30, limit: 25 },
      { category: 'TRANSFORM', sort: 'id', order: 'ASC', skip: 0, limit: 100 },
      { q: 'ORDERS', sort: 'description', order: 'ASC', skip: 0, limit: 50 },
      { q: '(orders.v2) [$where]', sort: 'id', order: 'ASC', skip: 0, limit: 5 },
      { statuses: ['STOPPED'], sort: 'id', order: 'ASC', skip: 0, limit: 5 },
      { sort: 'id', order: 'ASC', skip: 220, limit: 50 },
    );
    for (const query of queries) {
      const [fromView, fromStore] = await Promise.all([view.list(query), app.services.tasks.list(query)]);
      expect({ query, ids: fromView.items.map((t) => t.id), total: fromView.total }).toEqual({
        query,
        ids: fromStore.items.map((t) => t.id),
        total: fromStore.total,
      });
      expect(fromView.items).toEqual(fromStore.items);
    }
  });

  it('shows a change made through the API in the very next list, and says how old a list is', async () => {
    const before = await app.api.get('/ps', { params: { status: 'STOPPED' } });
    expect(before.headers['x-total-count']).toBe('0');
    expect(Number(before.headers['x-df-list-age'])).toBeGreaterThanOrEqual(0);
    // A change the API did not make (another process) shows once the snapshot is older than DF_LIST_MAX_AGE (1 s).
    await app.services.tasks.recordStatus('c001', 'STOPPED', 'stopped elsewhere', new Date());
    await eventually(
      "the other process's change in the list",
      async () =>
        (await app.api.get('/ps', { params: { status: 'STOPPED' } })).headers['x-total-count'] === '1' || undefined,
      10_000,
    );
    // A change through the API shows at once: a delete, then the list.
    const id = uniqueName('gone');
    await app.services.tasks.insert(
      {
        id,
        taskSeq: '1',
        name: 'to be deleted',
        description: 'plain',
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorCategory: 'CONNECT',
        connectUid: id,
        status: 'RUNNING',
        connectorConfig: { 'tasks.max': '1' },
        jobConfig: null,
      },
      { workflowId: 'seed', runId: 'seed', type: 'seed' },
      new Date(),
    );
    await eventually(
      'the new task in the list',
      async () => (await app.api.get('/ps', { params: { q: id } })).data.length === 1 || undefined,
      10_000,
    );
    const deleted = await app.api.delete(`/ps/${id}`);
    expect({ status: deleted.status, body: deleted.data }).toMatchObject({ status: 200 });
    expect((await app.api.get('/ps', { params: { q: id } })).data).toEqual([]);
  });
});
