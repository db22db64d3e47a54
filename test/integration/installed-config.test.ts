import { execFileSync } from 'node:child_process';
import axios from 'axios';
import { Config, loadConfig } from '../../src/config';
import { startApi, RunningApi } from '../../src/api-server';
import { openServices, Services } from '../../src/services';
import { startWorker, RunningWorker } from '../../src/worker-runner';
import { connectTemporal, TemporalClient } from '../../src/temporal/client';
import { workflowIds } from '../../src/protocol/workflow-ids';
import { INSTALLED_COLLECTION } from '../../src/repository/installed-repository';
import { temporalCliPath, uniqueName } from '../support/stack';

/**
 * GET /api/df/config end to end: the API starts workflow installedList on the real Temporal
 * server, the worker's activities read the real Kafka Connect and write df_installed in the real
 * store, and the run is visible to `temporal workflow list`.
 */
describe('GET /api/df/config (Installed L) on the real stack', () => {
  let config: Config;
  let services: Services;
  let worker: RunningWorker;
  let api: RunningApi;
  let temporal: TemporalClient;
  let base: string;

  beforeAll(async () => {
    config = {
      ...loadConfig({
        ...process.env,
        MONGO_DB: uniqueName('it_installed'),
        DF_TASK_QUEUE: uniqueName('it-installed'),
        DF_SYNC_INTERVAL: '0',
        DF_STARTUP_SYNC: 'false',
      }),
      port: 0,
    };
    services = await openServices(config);
    worker = await startWorker(config, services);
    api = await startApi(config, services);
    temporal = await connectTemporal(config.temporal.connection, config.temporal.namespace);
    base = `http://127.0.0.1:${api.port}`;
  });

  afterAll(async () => {
    await api?.close();
    await worker?.shutdown();
    await services?.store.db.dropDatabase();
    await services?.close();
    await temporal?.close();
  });

  it('answers the installed connector plugins, with class, type and version', async () => {
    const res = await axios.get(`${base}/api/df/config`);
    expect(res.status).toBe(200);
    expect(res.data).toEqual(
      expect.arrayContaining([
        {
          class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          type: 'source',
          version: expect.any(String),
        },
        { class: 'com.mongodb.kafka.connect.MongoSinkConnector', type: 'sink', version: expect.any(String) },
      ]),
    );
    expect(res.headers['x-total-count']).toBe(String(res.data.length));
    expect(res.headers['x-df-workflow-id']).toBe(workflowIds.installedList(config.temporal.taskQueue));
  });

  it('keeps the catalogue in df_installed, one document per class, however often it is asked', async () => {
    await axios.get(`${base}/api/df/config`);
    const { data } = await axios.get(`${base}/api/df/config`);
    const docs = await services.store.db.collection(INSTALLED_COLLECTION).find({ available: true }).toArray();
    expect(docs.map((d) => d.class).sort()).toEqual(data.map((p: { class: string }) => p.class).sort());
    expect(await services.store.db.collection(INSTALLED_COLLECTION).countDocuments()).toBe(data.length);
  });

  it('leaves a Completed installedList run in Temporal, listed by the CLI', async () => {
    const res = await axios.get(`${base}/api/df/config`);
    const runId = res.headers['x-df-run-id'];
    const description = await temporal.client.workflow
      .getHandle(workflowIds.installedList(config.temporal.taskQueue), runId)
      .describe();
    expect(description.status.name).toBe('COMPLETED');
    expect(description.type).toBe('installedList');
    expect(description.taskQueue).toBe(config.temporal.taskQueue);
    const listed = execFileSync(
      temporalCliPath(),
      [
        'workflow',
        'list',
        '--address',
        config.temporal.address,
        '--namespace',
        config.temporal.namespace,
        '--query',
        `WorkflowType='installedList' AND TaskQueue='${config.temporal.taskQueue}'`,
        '--output',
        'json',
      ],
      { encoding: 'utf8' },
    );
    const runs = JSON.parse(listed) as { execution: { runId: string }; status: string }[];
    expect(runs.find((r) => r.execution.runId === runId)?.status).toMatch(/COMPLETED/);
  });

  it('reports every dependency up on /health', async () => {
    const res = await axios.get(`${base}/health`);
    expect(res.status).toBe(200);
    expect(Object.keys(res.data.dependencies).sort()).toEqual([
      'flink',
      'flinkSqlGateway',
      'kafka',
      'kafkaConnect',
      'schemaRegistry',
      'store',
      'temporal',
    ]);
  });

  it('answers /health 503 naming the dependency that is down', async () => {
    const broken = { ...config, kafkaConnectUrl: 'http://127.0.0.1:1', kafkaConnectUrls: ['http://127.0.0.1:1'] };
    const brokenServices = await openServices(broken);
    const brokenApi = await startApi({ ...broken, port: 0 }, brokenServices);
    try {
      const res = await axios.get(`http://127.0.0.1:${brokenApi.port}/health`, { validateStatus: () => true });
      expect(res.status).toBe(503);
      expect(res.data.dependencies.kafkaConnect).toMatchObject({ status: 'down', target: 'http://127.0.0.1:1' });
      expect(res.data.dependencies.store.status).toBe('up');
    } finally {
      await brokenApi.close();
      await brokenServices.close();
    }
  });
});
