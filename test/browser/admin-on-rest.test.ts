import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { collectPageErrors, launchChromium } from '../support/chromium';
import { connectRest } from '../support/connect-rest';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

type RestType = 'GET_LIST' | 'GET_ONE' | 'GET_MANY_REFERENCE' | 'CREATE' | 'UPDATE' | 'DELETE';
interface RestParams {
  id?: string;
  data?: object;
  target?: string;
  pagination?: { page: number; perPage: number };
  sort?: { field: string; order: 'ASC' | 'DESC' };
  filter?: Record<string, string>;
}
type Outcome = { data: unknown; total?: number } | { error: { message: string; status: number } };
type RestClient = (type: RestType, resource: string, params: RestParams) => Promise<Outcome>;

/** A record as the UI holds it: the fields the API gave. */
interface TaskRecord {
  id: string;
  name: string;
  description: string;
  status: string;
  keySpelling?: string;
  connectorConfig: Record<string, string>;
  [field: string]: unknown;
}

/**
 * admin-on-rest's json-server REST client (its `jsonServerRestClient` and `fetchJson`), written
 * down from their documented conventions and installed in the page as `restClient`. It runs on the
 * browser's fetch, so the page's origin, CORS and preflights are the browser's own. Outcomes cross
 * back to the test as data: a thrown Error would lose its status.
 */
function installRestClient(apiUrl: string): void {
  const query = (params: Record<string, unknown>) =>
    Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
  // fetchJson: Accept and Content-Type on every request; a refusal's message is json.message, else the status text.
  const httpClient = async (url: string, options: { method?: string; body?: string } = {}) => {
    const response = await fetch(url, {
      ...options,
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    });
    const text = await response.text();
    let json: { message?: string; id?: string } | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (response.status < 200 || response.status >= 300)
      throw Object.assign(new Error((json && json.message) || response.statusText), { status: response.status });
    return { headers: response.headers, json };
  };
  const client = async (type: RestType, resource: string, params: RestParams) => {
    switch (type) {
      case 'GET_LIST':
      case 'GET_MANY_REFERENCE': {
        const { page, perPage } = params.pagination ?? { page: 1, perPage: 10 };
        const { field, order } = params.sort ?? { field: 'id', order: 'DESC' };
        const reference = type === 'GET_MANY_REFERENCE' ? { [params.target ?? 'id']: params.id } : {};
        const { headers, json } = await httpClient(
          `${apiUrl}/${resource}?${query({
            ...params.filter,
            ...reference,
            _sort: field,
            _order: order,
            _start: (page - 1) * perPage,
            _end: page * perPage,
          })}`,
        );
        const total = headers.get('x-total-count');
        if (total === null) throw new Error('The X-Total-Count header is missing in the HTTP Response.');
        return { data: json, total: parseInt(total.split('/').pop() ?? '', 10) };
      }
      case 'GET_ONE':
        return { data: (await httpClient(`${apiUrl}/${resource}/${params.id}`)).json };
      case 'CREATE': {
        const { json } = await httpClient(`${apiUrl}/${resource}`, {
          method: 'POST',
          body: JSON.stringify(params.data),
        });
        return { data: { ...params.data, id: json?.id } };
      }
      case 'UPDATE':
        return {
          data: (
            await httpClient(`${apiUrl}/${resource}/${params.id}`, { method: 'PUT', body: JSON.stringify(params.data) })
          ).json,
        };
      case 'DELETE':
        return { data: (await httpClient(`${apiUrl}/${resource}/${params.id}`, { method: 'DELETE' })).json };
      default:
        throw new Error(`admin-on-rest has no request type ${String(type)}`);
    }
  };
  const restClient: RestClient = (type, resource, params) =>
    client(type, resource, params).catch((e: Error & { status?: number }) => ({
      error: { message: e.message, status: e.status ?? 0 },
    }));
  (globalThis as unknown as { restClient: RestClient }).restClient = restClient;
}

/**
 * The original DataFibers admin UI's calls, made the way it makes them: an admin-on-rest
 * json-server client in a real (headless) Chromium, on a page of another origin (the UI was served
 * apart from its API) that DF_CORS_ORIGINS lets in, against DF on the real stack. Lists page and
 * sort with _start/_end/_sort/_order and read X-Total-Count, adds without id take the id from the
 * answer, records read back are edited and PUT whole, the Connect list's buttons PUT the record with
 * a status verb, the tabs read /status, /s2p, /s2t, /avroconsumer and /logs by `?id=`, and a
 * refusal shows the API's `message`.
 */
describe('the original admin UI: an admin-on-rest client against DF', () => {
  const tag = uniqueName('aor');
  const subject = uniqueName('aor_quotes');
  let app: DfApp;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let uiServer: http.Server;
  let dir: string;
  const tasks: { alpha?: TaskRecord; beta?: TaskRecord; quotes?: TaskRecord } = {};
  const task = (key: keyof typeof tasks): TaskRecord => {
    const t = tasks[key];
    if (!t) throw new Error(`connect ${key} was not created`);
    return t;
  };

  const send = (type: RestType, resource: string, params: RestParams): Promise<Outcome> =>
    page.evaluate(([t, r, p]) => (globalThis as unknown as { restClient: RestClient }).restClient(t, r, p), [
      type,
      resource,
      params,
    ] as const);
  /** What the UI's data provider resolves with; a refusal fails the spec with the API's message. */
  const rest = async <T>(
    type: RestType,
    resource: string,
    params: RestParams,
  ): Promise<{ data: T; total?: number }> => {
    const outcome = await send(type, resource, params);
    if ('error' in outcome) throw new Error(`${type} ${resource}: ${outcome.error.status} ${outcome.error.message}`);
    return outcome as { data: T; total?: number };
  };
  /** The error the UI shows for a refused call. */
  const refusal = async (type: RestType, resource: string, params: RestParams) => {
    const outcome = await send(type, resource, params);
    if (!('error' in outcome)) throw new Error(`${type} ${resource} was not refused`);
    return outcome.error;
  };
  const readTask = async (id: string) => (await rest<TaskRecord>('GET_ONE', 'ps', { id })).data;
  const statusOf = (id: string, status: string) =>
    eventually(`${id} ${status}`, async () => ((await readTask(id)).status === status ? true : undefined), 90000, 1000);

  beforeAll(async () => {
    dir = await dataTempDir({ config: loadConfig() }, 'df-aor-');
    await fs.writeFile(path.join(dir, 'lines.txt'), 'alpha\nbeta\ngamma\n');
    // The UI's own origin: a blank page on another port, as the original served its UI apart from the API.
    uiServer = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>DataFibers admin</title>');
    });
    await new Promise<void>((resolve) => uiServer.listen(0, '127.0.0.1', resolve));
    const uiOrigin = `http://127.0.0.1:${(uiServer.address() as AddressInfo).port}`;
    const [started, launched] = await Promise.allSettled([
      startDfApp('admin_on_rest', {
        DF_CORS_ORIGINS: uiOrigin,
        // Changes answer within the wait (not 202), as the UI expects the record back.
        DF_SYNC_WAIT_MS: '180000',
        DF_SYNC_INTERVAL: '2s',
      }),
      launchChromium(),
    ]);
    // Whichever started is kept for afterAll to close, even when the other failed.
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    page = await (await browser.newContext()).newPage();
    pageErrors = collectPageErrors(page);
    await page.goto(`${uiOrigin}/`);
    await page.evaluate(installRestClient, app.baseUrl);
  });

  afterAll(async () => {
    await browser?.close();
    if (app) {
      const { quotes, ...connects } = tasks;
      if (quotes) await app.api.delete(`/tr/${quotes.id}`).catch(() => undefined);
      for (const t of Object.values(connects)) if (t) await app.api.delete(`/ps/${t.id}`).catch(() => undefined);
      await app.close();
    }
    uiServer?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('CREATE without an id: POST /ps keeps the form fields and takes the id from the answer', async () => {
    for (const key of ['alpha', 'beta'] as const) {
      const form = {
        taskSeq: 1,
        name: `AOR ${key}`,
        description: `lines of ${tag}`,
        connectorCategory: 'source',
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { tasks_max: 1, file: path.join(dir, 'lines.txt'), topic: `${key}_${tag}` },
      };
      const { data } = await rest<TaskRecord>('CREATE', 'ps', { data: form });
      expect(data).toEqual({ ...form, id: expect.stringMatching(new RegExp(`^aor-${key}-[0-9a-f]{16}$`, 'i')) });
      tasks[key] = data;
    }
    for (const key of ['alpha', 'beta'] as const) await statusOf(task(key).id, 'RUNNING');
  });

  it('GET_LIST pages and sorts by _start/_end/_sort/_order, the total read from X-Total-Count', async () => {
    const names = async (
      resource: string,
      pageNo: number,
      sort: RestParams['sort'],
      filter: Record<string, string>,
    ) => {
      const { data, total } = await rest<TaskRecord[]>('GET_LIST', resource, {
        pagination: { page: pageNo, perPage: 1 },
        sort,
        filter,
      });
      return { names: data.map((t) => t.name), total };
    };
    const byName = { field: 'name', order: 'ASC' } as const;
    expect(await names('ps', 1, byName, { q: tag })).toEqual({ names: ['AOR alpha'], total: 2 });
    expect(await names('ps', 2, byName, { q: tag })).toEqual({ names: ['AOR beta'], total: 2 });
    expect(await names('ps', 1, { field: 'name', order: 'DESC' }, { q: tag })).toEqual({
      names: ['AOR beta'],
      total: 2,
    });
    // The Connect list's default filter, and a sort on a config key in the UI's spelling.
    expect(
      await names('ps', 1, { field: 'connectorConfig.topic', order: 'DESC' }, { q: tag, status: 'RUNNING' }),
    ).toEqual({ names: ['AOR beta'], total: 2 });
    expect(await names('tr', 1, byName, { q: tag })).toEqual({ names: [], total: 0 });
  });

  it('UPDATE PUTs a record read back, edited in the "_" spelling it was read in or in the "." one', async () => {
    const { id } = task('alpha');
    const read = await readTask(id);
    expect(read).toMatchObject({ keySpelling: 'underscore', connectorConfig: { tasks_max: '1' } });
    const { data: edited } = await rest<TaskRecord>('UPDATE', 'ps', {
      id,
      data: { ...read, description: `edited, ${tag}`, connectorConfig: { ...read.connectorConfig, batch_size: '50' } },
    });
    expect(edited).toMatchObject({ id, description: `edited, ${tag}`, connectorConfig: { batch_size: '50' } });

    const again = await readTask(id);
    const { data: dotted } = await rest<TaskRecord>('UPDATE', 'ps', {
      id,
      data: { ...again, connectorConfig: { ...again.connectorConfig, 'batch.size': '60' } },
    });
    expect(dotted.connectorConfig.batch_size).toBe('60');
    expect((await connectRest(app.config).get(`/connectors/${id}/config`)).data).toMatchObject({ 'batch.size': '60' });
  });

  it("PUTs the record with the Connect list buttons' status verbs: PAUSE, RESUME, RESTART", async () => {
    const { id } = task('alpha');
    for (const [verb, after] of [
      ['PAUSE', 'PAUSED'],
      ['RESUME', 'RUNNING'],
      ['RESTART', 'RUNNING'],
    ] as const) {
      const record = await readTask(id);
      const { data } = await rest<TaskRecord>('UPDATE', 'ps', { id, data: { ...record, status: verb } });
      expect(data.id).toBe(id);
      await statusOf(id, after);
    }
    // Kafka Connect shows RESTARTING for a moment after a restart, then RUNNING.
    const state = async () => (await connectRest(app.config).get(`/connectors/${id}/status`)).data.connector.state;
    await eventually(
      'the connector RUNNING in Kafka Connect',
      async () => ((await state()) === 'RUNNING' ? true : undefined),
      60000,
      500,
    );
  });

  it("reads the State tab's rows from /status?id=", async () => {
    const { id } = task('alpha');
    // The RESTART before this leaves the connector RESTARTING for a moment, as the UI would show it.
    const { data, total } = await eventually(
      `${id} running again`,
      async () => {
        const res = await rest<Record<string, unknown>[]>('GET_MANY_REFERENCE', 'status', {
          target: 'id',
          id,
          pagination: { page: 1, perPage: 25 },
          sort: { field: 'id', order: 'DESC' },
        });
        return res.data[0]?.taskState === 'RUNNING' ? res : undefined;
      },
      60000,
      500,
    );
    expect(total).toBe(1);
    expect(data[0]).toMatchObject({
      id: `${id}_0`,
      jobId: id,
      subTaskId: expect.anything(),
      dfTaskState: 'RUNNING',
      taskState: 'RUNNING',
      state: 'RUNNING',
    });
  });

  it("reads a topic's tabs by ?id=: partitions (/s2p), tasks related (/s2t), the data preview (/avroconsumer)", async () => {
    const topic = task('alpha').connectorConfig.topic;
    const tab = <T>(resource: string) =>
      rest<T[]>('GET_MANY_REFERENCE', resource, {
        target: 'id',
        id: topic,
        pagination: { page: 1, perPage: 25 },
        sort: { field: 'id', order: 'ASC' },
      });
    const partitions = await tab<Record<string, unknown>>('s2p');
    expect(partitions.total).toBe(1);
    expect(partitions.data[0]).toMatchObject({ id: `${topic}-0`, partitionNumber: 0, replicas: expect.any(String) });
    const related = await tab<TaskRecord>('s2t');
    expect(related.data.map((t) => t.id)).toEqual([task('alpha').id]);
    const preview = await eventually(
      "the file's three lines on the topic",
      async () => {
        const res = await tab<{ valueString: string }>('avroconsumer');
        return res.total === 3 ? res : undefined;
      },
      60000,
      1000,
    );
    expect(preview.data.map((r) => r.valueString).join(' ')).toMatch(/alpha.*beta.*gamma/s);
  });

  it('CREATE /schema makes a topic and its schema, named by the subject; the topic list and tabs show it', async () => {
    const form = {
      id: subject,
      partitions: 2,
      replicationFactor: 1,
      schema: { type: 'record', fields: [{ name: 'symbol', type: 'string' }] },
      compatibility: 'NONE',
    };
    expect((await rest<{ id: string }>('CREATE', 'schema', { data: form })).data).toEqual(form);
    const topics = await rest<{ id: string; schema: { name: string } }[]>('GET_LIST', 'schema', {
      pagination: { page: 1, perPage: 10 },
      sort: { field: 'id', order: 'ASC' },
      filter: { q: subject },
    });
    expect(topics.total).toBe(1);
    expect(topics.data[0]).toMatchObject({ id: subject, schema: { name: subject } });
    const partitions = await rest<unknown[]>('GET_MANY_REFERENCE', 's2p', {
      target: 'id',
      id: subject,
      pagination: { page: 1, perPage: 25 },
      sort: { field: 'partitionNumber', order: 'ASC' },
    });
    expect(partitions.total).toBe(2);
  });

  it("runs SQL on that topic from the transform form, and reads the running job's State tab rows", async () => {
    const form = {
      name: 'Quotes, symbols only',
      description: `SQLA2A, ${tag}`,
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: {
        topic_in: subject,
        topic_out: `${subject}_symbols`,
        trans_sql: `SELECT symbol FROM \`${subject}\``,
      },
    };
    const { data: created } = await rest<TaskRecord>('CREATE', 'tr', { data: form });
    expect(created.id).toEqual(expect.any(String));
    const read = (await rest<TaskRecord & { jobConfig: { flink_job_id: string } }>('GET_ONE', 'tr', { id: created.id }))
      .data;
    tasks.quotes = read;
    expect(read.jobConfig.flink_job_id).toMatch(/^[0-9a-f]{32}$/);
    // One row per Flink job vertex: the vertex state in `status` (the UI's column), Flink's job id in `jobId`.
    const rows = await eventually(
      'every vertex of the job RUNNING',
      async () => {
        const res = await rest<Record<string, unknown>[]>('GET_MANY_REFERENCE', 'status', {
          target: 'id',
          id: created.id,
          pagination: { page: 1, perPage: 25 },
          sort: { field: 'id', order: 'ASC' },
        });
        return res.total && res.data.every((r) => r.status === 'RUNNING') ? res : undefined;
      },
      90000,
      1000,
    );
    expect(rows.data[0]).toMatchObject({
      id: `${created.id}_0`,
      taskId: created.id,
      jobId: read.jobConfig.flink_job_id,
      subTaskId: expect.any(String),
      taskState: 'RUNNING',
      state: 'RUNNING',
      status: 'RUNNING',
      name: expect.any(String),
    });
  }, 240_000); // the first SQL job after Flink starts may take most of DF_SYNC_WAIT_MS to submit

  it("lists log lines, and reads a task's lines from /logs/:id", async () => {
    const { id } = task('alpha');
    const lines = await eventually(
      `log lines of ${id}`,
      async () => {
        const { data } = await rest<{ taskId: string }[]>('GET_ONE', 'logs', { id });
        return data.length > 0 ? data : undefined;
      },
      60000,
      1000,
    );
    expect(lines.every((l) => l.taskId === id)).toBe(true);
    const { data, total } = await rest<Record<string, unknown>[]>('GET_LIST', 'logs', {
      pagination: { page: 1, perPage: 5 },
      sort: { field: 'timestamp', order: 'DESC' },
    });
    expect(total).toBeGreaterThanOrEqual(lines.length);
    expect(data[0]).toMatchObject({
      id: expect.any(String),
      timestamp: expect.any(String),
      level: expect.any(String),
      message: expect.any(String),
    });
  });

  it("shows the API's message of a refusal, and a refused add stores nothing", async () => {
    const missing = uniqueName('aor-missing');
    const notFound = await refusal('GET_ONE', 'ps', { id: missing });
    expect(notFound).toEqual({ status: 404, message: (await app.api.get(`/ps/${missing}`)).data.message });

    const bad = await refusal('CREATE', 'ps', {
      data: {
        name: 'No topic',
        description: `refused, ${tag}`,
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { tasks_max: 'many', file: path.join(dir, 'lines.txt'), topic: `refused_${tag}` },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/tasks/);
    const { total } = await rest<unknown[]>('GET_LIST', 'ps', { filter: { q: `refused, ${tag}` } });
    expect(total).toBe(0);
  });

  it('DELETE removes the connects', async () => {
    for (const key of ['alpha', 'beta'] as const) {
      const { id } = task(key);
      expect((await rest<{ deleted: boolean }>('DELETE', 'ps', { id })).data).toMatchObject({ id, deleted: true });
      expect((await refusal('GET_ONE', 'ps', { id })).status).toBe(404);
      delete tasks[key];
    }
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
