import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * FAKE Kafka Connect and FAKE Flink REST servers, for benchmarks that need more connectors and jobs
 * than the real services on this machine can hold. They answer the paths DF calls with the real
 * APIs' payload shapes (Kafka Connect 3.x REST, Flink 1.x/2.x REST), after a configurable latency,
 * and count every call so a benchmark can say how many round trips an operation made.
 * Never used by the product or its integration tests.
 */

export type ConnectorState = 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'UNASSIGNED';
export type JobState = 'RUNNING' | 'FINISHED' | 'FAILED' | 'CANCELED' | 'CREATED';

interface FakeConnector {
  config: Record<string, string>;
  state: ConnectorState;
  tasksMax: number;
}

interface FakeJob {
  jid: string;
  name: string;
  state: JobState;
  start: number;
}

export interface FakeRasOptions {
  /** Added to every answer, in ms (a loopback call to the real service costs about this much). */
  latencyMs: number;
  /** Connectors (named fake-connector-<i>, RUNNING) and jobs present from the start. */
  connectors?: number;
  jobs?: number;
  /** State of connector i at the start (default RUNNING). */
  connectorState?: (i: number) => ConnectorState;
}

export interface FakeRas {
  connectUrl: string;
  flinkUrl: string;
  /** Calls since the last reset, counted per "METHOD /path-pattern". */
  totalCalls(): number;
  resetCalls(): void;
  setConnectorState(name: string, state: ConnectorState): void;
  setJobState(jid: string, state: JobState): void;
  close(): Promise<void>;
}

const PLUGINS = [
  { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '3.9.1' },
  { class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '3.9.1' },
];

const WORKER_ID = '127.0.0.1:8083';

/** A job id as Flink writes them: 32 hex digits. */
export function fakeJobId(i: number): string {
  return i.toString(16).padStart(32, '0');
}

export function fakeConnectorName(i: number): string {
  return `fake-connector-${i}`;
}

function connectorStatus(name: string, c: FakeConnector) {
  const taskState =
    c.state === 'STOPPED'
      ? []
      : Array.from({ length: c.tasksMax }, (_, id) => ({
          id,
          state: c.state,
          worker_id: WORKER_ID,
          version: '3.9.1',
          ...(c.state === 'FAILED'
            ? { trace: 'org.apache.kafka.connect.errors.ConnectException: fake failure\n\tat Fake.run(Fake.java:1)' }
            : {}),
        }));
  return {
    name,
    connector: { state: c.state, worker_id: WORKER_ID, version: '3.9.1' },
    tasks: taskState,
    type: 'source',
  };
}

function connectorInfo(name: string, c: FakeConnector) {
  return {
    name,
    config: { ...c.config, name },
    tasks: Array.from({ length: c.tasksMax }, (_, task) => ({ connector: name, task })),
    type: 'source',
  };
}

function validation(connectorClass: string, config: Record<string, string>) {
  const keys = [...new Set(['connector.class', 'name', 'tasks.max', ...Object.keys(config)])];
  const configs = keys.map((key, order) => {
    const value = key === 'connector.class' ? connectorClass : (config[key] ?? null);
    const errors =
      key === 'tasks.max' && value !== null && !/^\d+$/.test(value)
        ? [`Invalid value ${value} for configuration tasks.max: Not a number of type INT`]
        : [];
    return {
      definition: {
        name: key,
        type: key === 'tasks.max' ? 'INT' : 'STRING',
        required: key === 'connector.class',
        default_value: key === 'tasks.max' ? '1' : null,
        importance: 'HIGH',
        documentation: '',
        group: 'Common',
        width: 'MEDIUM',
        display_name: key,
        dependents: [],
        order,
        order_in_group: order,
      },
      value: { name: key, value, recommended_values: [], errors, visible: true },
    };
  });
  return {
    name: connectorClass,
    error_count: configs.reduce((n, c) => n + c.value.errors.length, 0),
    groups: ['Common'],
    configs,
  };
}

function jobSummary(j: FakeJob) {
  const ended = j.state === 'FINISHED' || j.state === 'FAILED' || j.state === 'CANCELED';
  const n = (s: string) => (j.state === s ? 2 : 0);
  return {
    jid: j.jid,
    name: j.name,
    state: j.state,
    'start-time': j.start,
    'end-time': ended ? j.start + 1000 : -1,
    duration: 1000,
    'last-modification': j.start,
    tasks: {
      total: 2,
      created: 0,
      scheduled: 0,
      deploying: 0,
      running: n('RUNNING'),
      finished: n('FINISHED'),
      canceling: 0,
      canceled: n('CANCELED'),
      failed: n('FAILED'),
      reconciling: 0,
      initializing: 0,
    },
  };
}

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

type Answer = [number, unknown?];

function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
}

export async function startFakeRas(options: FakeRasOptions): Promise<FakeRas> {
  const connectors = new Map<string, FakeConnector>();
  const jobs = new Map<string, FakeJob>();
  const calls = new Map<string, number>();
  const now = Date.now();
  for (let i = 0; i < (options.connectors ?? 0); i++) {
    connectors.set(fakeConnectorName(i), {
      config: { 'connector.class': PLUGINS[0].class, 'tasks.max': '1', file: `/tmp/fake-${i}`, topic: `fake-${i}` },
      state: options.connectorState?.(i) ?? 'RUNNING',
      tasksMax: 1,
    });
  }
  for (let i = 0; i < (options.jobs ?? 0); i++)
    jobs.set(fakeJobId(i), { jid: fakeJobId(i), name: `fake-job-${i}`, state: 'RUNNING', start: now });

  const count = (key: string) => calls.set(key, (calls.get(key) ?? 0) + 1);
  const notFound = (what: string): Answer => [404, { error_code: 404, message: `${what} not found` }];

  async function connectAnswer(
    method: string,
    parts: string[],
    query: URLSearchParams,
    req: http.IncomingMessage,
  ): Promise<Answer> {
    const [head, name, sub, sub2] = parts;
    if (parts.length === 0) {
      count('GET /');
      return [200, { version: '3.9.1-fake', commit: 'fake', kafka_cluster_id: 'fake-cluster' }];
    }
    if (head === 'connector-plugins') {
      if (method === 'GET') {
        count('GET /connector-plugins');
        return [200, PLUGINS];
      }
      count('PUT /connector-plugins/:class/config/validate');
      return [200, validation(decodeURIComponent(name), (await readBody(req)) as Record<string, string>)];
    }
    if (head !== 'connectors') return notFound('path');
    if (!name) {
      if (method === 'POST') {
        count('POST /connectors');
        const body = (await readBody(req)) as { name: string; config: Record<string, string> };
        if (connectors.has(body.name))
          return [409, { error_code: 409, message: `Connector ${body.name} already exists` }];
        const c: FakeConnector = {
          config: body.config,
          state: 'RUNNING',
          tasksMax: Number(body.config['tasks.max'] ?? 1) || 1,
        };
        connectors.set(body.name, c);
        return [201, connectorInfo(body.name, c)];
      }
      const expand = query.getAll('expand');
      if (expand.length === 0) {
        count('GET /connectors');
        return [200, [...connectors.keys()]];
      }
      count('GET /connectors?expand');
      const all: Record<string, unknown> = {};
      for (const [n, c] of connectors)
        all[n] = {
          ...(expand.includes('status') ? { status: connectorStatus(n, c) } : {}),
          ...(expand.includes('info') ? { info: connectorInfo(n, c) } : {}),
        };
      return [200, all];
    }
    const id = decodeURIComponent(name);
    const c = connectors.get(id);
    if (method === 'PUT' && sub === 'config') {
      count('PUT /connectors/:name/config');
      const config = (await readBody(req)) as Record<string, string>;
      const created = !c;
      connectors.set(id, { config, state: c?.state ?? 'RUNNING', tasksMax: Number(config['tasks.max'] ?? 1) || 1 });
      return [created ? 201 : 200, connectorInfo(id, connectors.get(id) as FakeConnector)];
    }
    count(`${method} /connectors/:name${sub ? `/${sub}` : ''}${sub2 ? `/${sub2}` : ''}`);
    if (!c) return notFound(`Connector ${id}`);
    if (method === 'GET' && !sub) return [200, connectorInfo(id, c)];
    if (method === 'GET' && sub === 'status') return [200, connectorStatus(id, c)];
    if (method === 'DELETE' && !sub) {
      connectors.delete(id);
      return [204];
    }
    if (method === 'PUT' && sub === 'pause') {
      c.state = 'PAUSED';
      return [202];
    }
    if (method === 'PUT' && sub === 'resume') {
      c.state = 'RUNNING';
      return [202];
    }
    if (method === 'PUT' && sub === 'stop') {
      c.state = 'STOPPED';
      return [204];
    }
    if (method === 'POST' && sub === 'restart') {
      c.state = 'RUNNING';
      return [204];
    }
    return notFound('path');
  }

  function flinkAnswer(method: string, parts: string[]): Answer {
    const [head, jid, sub] = parts;
    if (head === 'overview') {
      count('GET /overview');
      return [
        200,
        {
          taskmanagers: 1,
          'slots-total': 4,
          'slots-available': 4,
          'jobs-running': jobs.size,
          'flink-version': '1.20-fake',
        },
      ];
    }
    if (head !== 'jobs') return [404, { errors: ['Not found.'] }];
    if (jid === 'overview') {
      count('GET /jobs/overview');
      return [200, { jobs: [...jobs.values()].map(jobSummary) }];
    }
    count(`${method} /jobs/:jid${sub ? `/${sub}` : ''}`);
    const job = jobs.get(jid);
    if (!job) return [404, { errors: [`Job ${jid} not found`] }];
    if (sub === 'exceptions')
      return [
        200,
        {
          'root-exception': job.state === 'FAILED' ? 'java.lang.RuntimeException: fake failure' : null,
          'all-exceptions': [],
          truncated: false,
        },
      ];
    return [
      200,
      {
        ...jobSummary(job),
        vertices: [],
        'status-counts': jobSummary(job).tasks,
        plan: { jid, name: job.name, nodes: [] },
      },
    ];
  }

  function serve(
    answer: (
      method: string,
      parts: string[],
      query: URLSearchParams,
      req: http.IncomingMessage,
    ) => Answer | Promise<Answer>,
  ): http.Server {
    return http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const parts = url.pathname.split('/').filter((p) => p.length > 0);
      Promise.resolve(answer(req.method ?? 'GET', parts, url.searchParams, req))
        .then(async ([status, body]) => {
          if (options.latencyMs > 0) await new Promise((r) => setTimeout(r, options.latencyMs));
          res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
          res.end(body === undefined ? undefined : JSON.stringify(body));
        })
        .catch((error: unknown) => {
          res.writeHead(500, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ error_code: 500, message: String(error) }));
        });
    });
  }

  const connectServer = serve(connectAnswer);
  const flinkServer = serve((m, p) => flinkAnswer(m, p));
  connectServer.keepAliveTimeout = 60_000;
  flinkServer.keepAliveTimeout = 60_000;
  const [connectUrl, flinkUrl] = await Promise.all([listen(connectServer), listen(flinkServer)]);
  return {
    connectUrl,
    flinkUrl,
    totalCalls: () => [...calls.values()].reduce((a, b) => a + b, 0),
    resetCalls: () => calls.clear(),
    setConnectorState(name, state) {
      const c = connectors.get(name);
      if (c) c.state = state;
    },
    setJobState(jid, state) {
      const j = jobs.get(jid);
      if (j) j.state = state;
    },
    close: () =>
      Promise.all(
        [connectServer, flinkServer].map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      ).then(() => undefined),
  };
}
