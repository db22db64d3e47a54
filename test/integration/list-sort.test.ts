import { DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';

/**
 * `_sort` of the lists the original UI sorts by its columns, on the real store and registry: any
 * field a row can have, nested ones dotted; 400 naming a field no row can have.
 */
describe('_sort by any field of a row (/schema, /hist, status history)', () => {
  let app: DfApp;
  const prefix = uniqueName('sorted');
  const cuid = uniqueName('hist');
  const historyOf = uniqueName('hist-task');

  beforeAll(async () => {
    app = await startDfApp('list_sort');
    // Records as the metadata sink connector writes them (one file: Start, then End).
    await app.services.store.db.collection(app.config.metadata.collection).insertMany(
      [
        ['a.json', 300, '2026-03-01T10:00:00Z'],
        ['b.json', 100, '2026-01-01T10:00:00Z'],
        ['c.json', 200, '2026-02-01T10:00:00Z'],
      ].flatMap(([file_name, file_size, last_modified_timestamp], i) =>
        ['Start', 'End'].map((status, k) => ({
          cuid,
          file_name,
          file_size,
          last_modified_timestamp,
          current_timemillis: 1_700_000_000_000 + i * 1000 + k * 10,
          status,
        })),
      ),
    );
    await app.services.statusHistory.append([
      { taskId: historyOf, from: 'UNASSIGNED', to: 'RUNNING', at: Date.parse('2026-01-01T00:00:00Z'), event: 'status' },
      { taskId: historyOf, from: 'RUNNING', to: 'FAILED', at: Date.parse('2026-01-02T00:00:00Z'), event: 'status' },
      { taskId: historyOf, from: 'FAILED', to: 'RUNNING', at: Date.parse('2026-01-03T00:00:00Z'), event: 'restart' },
    ]);
  });
  afterAll(async () => {
    await app?.close();
  });

  it("sorts the topic list by the schema's own fields (schema.name, schema.type)", async () => {
    const record = (name: string) => ({ type: 'record', name, fields: [{ name: 'id', type: 'string' }] });
    for (const [suffix, name] of [
      ['1', 'Zebra'],
      ['2', 'apple'],
      ['3', 'Mango'],
    ]) {
      const res = await app.api.post('/schema', { id: `${prefix}_${suffix}`, schema: record(name) });
      expect(res.status).toBe(201);
    }
    const list = async (params: Record<string, string>) => {
      const res = await app.api.get('/schema', { params: { q: prefix, ...params } });
      expect(res.status).toBe(200);
      return res.data.map((row: { schema: { name: string } }) => row.schema.name);
    };
    expect(await list({ _sort: 'schema.name', _order: 'ASC' })).toEqual(['apple', 'Mango', 'Zebra']);
    expect(await list({ _sort: 'schema.name', _order: 'DESC' })).toEqual(['Zebra', 'Mango', 'apple']);
    expect(await list({ _sort: 'schema.type', _order: 'ASC' })).toHaveLength(3);
  });

  it('refuses a _sort field no schema row can have, naming it', async () => {
    const res = await app.api.get('/schema', { params: { _sort: 'schema_name' } });
    expect(res.status).toBe(400);
    expect(res.data.error.details.fields._sort).toEqual([expect.stringMatching(/^no row has a field schema_name;/)]);
    expect(res.data.message).toMatch(/_sort: no row has a field schema_name/);
  });

  it("sorts the processing history by any of its columns, in the original's _sortField/_sortDir too", async () => {
    const files = async (params: Record<string, string>) => {
      const res = await app.api.get('/hist', { params: { q: cuid, ...params } });
      expect(res.status).toBe(200);
      return res.data.map((row: { file_name: string }) => row.file_name);
    };
    expect(await files({ _sort: 'last_modified_timestamp', _order: 'DESC' })).toEqual(['a.json', 'c.json', 'b.json']);
    expect(await files({ _sortField: 'file_size', _sortDir: 'ASC' })).toEqual(['b.json', 'c.json', 'a.json']);
    expect(await files({ _sort: 'process_milliseconds', _order: 'ASC' })).toHaveLength(3);
    const refused = await app.api.get('/hist', { params: { _sort: 'modified' } });
    expect(refused.status).toBe(400);
    expect(refused.data.error.details.fields._sort).toEqual([expect.stringMatching(/^no row has a field modified;/)]);
  });

  it("sorts a task's status history by another of its fields, newest first by default", async () => {
    const events = async (params: Record<string, string>) => {
      const res = await app.api.get(`/status/${historyOf}/history`, { params });
      expect(res.status).toBe(200);
      return res.data.map((row: { to: string; event: string }) => `${row.event}:${row.to}`);
    };
    expect(await events({})).toEqual(['restart:RUNNING', 'status:FAILED', 'status:RUNNING']);
    expect(await events({ _sort: 'to', _order: 'ASC' })).toEqual([
      'status:FAILED',
      'status:RUNNING',
      'restart:RUNNING',
    ]);
    const refused = await app.api.get(`/status/${historyOf}/history`, { params: { _sort: 'when' } });
    expect(refused.status).toBe(400);
    expect(refused.data.error.details.fields._sort).toEqual([expect.stringMatching(/^no row has a field when;/)]);
  });
});
