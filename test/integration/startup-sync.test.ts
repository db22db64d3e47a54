import fs from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { produce } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { startupSync } from '../../workflows/startup-sync';

/**
 * Startup and metadata sync on the real stack: a worker that starts imports what Kafka Connect
 * runs, reports drift, and puts the metadata pipeline (schema, topic, MongoDB sink connector) in
 * place; records produced to the metadata topic come back through GET /hist.
 */
describe('startup sync and metadata sync', () => {
  let app: DfApp;
  let dir: string;
  const metaConnector = uniqueName('it_meta_sink');
  const metaTopic = uniqueName('it_df_meta');
  const external = uniqueName('ext-source');
  const connectors = [metaConnector, external];
  const connect = () => engineHttp(app.config, 'kafkaConnect');
  const startupWorkflowId = () => `df-startup-sync-${app.config.temporal.taskQueue}`;

  beforeAll(async () => {
    dir = await dataTempDir({ config: loadConfig() }, 'df-it-startup-');
    app = await startDfApp('startup_sync', {
      DF_STARTUP_SYNC: 'true',
      DF_META_CONNECTOR: metaConnector,
      DF_META_TOPIC: metaTopic,
    });
  });

  afterAll(async () => {
    for (const name of connectors) await connect().delete(`/connectors/${name}`);
    await engineHttp(app.config, 'schemaRegistry')
      .delete(`/subjects/${metaTopic}`)
      .catch(() => undefined);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs once when the worker starts: the metadata schema, topic and sink connector are in place, the sink recorded as INTERNAL', async () => {
    const result = await app.temporal.client.workflow.getHandle(startupWorkflowId()).result();
    expect(result.metadata).toMatchObject({
      schema: { subject: metaTopic, created: true },
      sink: { connector: metaConnector, created: true },
    });
    const sink = (await connect().get(`/connectors/${metaConnector}`)).data;
    expect(sink.config).toMatchObject({
      'connector.class': 'com.mongodb.kafka.connect.MongoSinkConnector',
      topics: metaTopic,
      database: app.config.mongo.db,
      collection: 'df_meta',
    });
    const task = (await app.api.get(`/processor/${metaConnector}`)).data;
    expect(task).toMatchObject({
      connectorCategory: 'INTERNAL',
      connectorType: 'INTERNAL_METADATA_COLLECT',
      connectUid: metaConnector,
    });
    const registered = await app.services.schemaRegistry.version(metaTopic);
    expect(JSON.parse(registered?.schema ?? '{}')).toMatchObject({ type: 'record', name: 'df_meta' });
  });

  it('a record produced to the metadata topic arrives through the sink connector and shows in /hist', async () => {
    const cuid = uniqueName('task');
    await produce(app.config.kafkaBrokers, metaTopic, [
      {
        cuid,
        file_name: 'a.json',
        file_size: 42,
        current_timemillis: 1_700_000_000_000,
        status: 'Start',
        topic_sent: 't',
        schema_subject: 's',
      },
      {
        cuid,
        file_name: 'a.json',
        file_size: 42,
        current_timemillis: 1_700_000_000_750,
        status: 'End',
        topic_sent: 't',
        schema_subject: 's',
      },
    ]);
    const rows = await eventually(
      'both records in /hist',
      async () => {
        const res = await app.api.get('/hist', { params: { q: cuid } });
        return res.data.length === 1 && res.data[0].records === 2 ? res : undefined;
      },
      60_000,
      500,
    );
    expect(rows.headers['x-total-count']).toBe('1');
    expect(rows.data[0]).toMatchObject({
      id: `${cuid}a.json`,
      cuid,
      file_name: 'a.json',
      file_size: 42,
      start_time: 1_700_000_000_000,
      end_time: 1_700_000_000_750,
      process_milliseconds: 750,
      status: 'End',
      topic_sent: 't',
      schema_subject: 's',
    });
  });

  it('run again (as from the CLI): imports a connector created directly in Kafka Connect, reports drift, deletes and changes nothing', async () => {
    const file = path.join(dir, 'ext.txt');
    await fs.writeFile(file, 'x\n');
    const extConfig = {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      file,
      topic: uniqueName('it-ext'),
      'tasks.max': '1',
    };
    expect((await connect().put(`/connectors/${external}/config`, extConfig)).status).toBe(201);

    const own = uniqueName('own');
    connectors.push(own);
    const ownFile = path.join(dir, 'own.txt');
    await fs.writeFile(ownFile, 'y\n');
    expect(
      (
        await app.api.post('/ps', {
          id: own,
          name: own,
          connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
          connectorConfig: { file: ownFile, topic: uniqueName('it-own') },
        })
      ).status,
    ).toBe(201);
    const changed = { ...(await connect().get(`/connectors/${own}/config`)).data, 'tasks.max': '2' };
    expect((await connect().put(`/connectors/${own}/config`, changed)).status).toBe(200);

    const gone = uniqueName('gone');
    connectors.push(gone);
    await fs.writeFile(path.join(dir, 'gone.txt'), 'z\n');
    expect(
      (
        await app.api.post('/ps', {
          id: gone,
          name: gone,
          connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
          connectorConfig: { file: path.join(dir, 'gone.txt'), topic: uniqueName('it-gone') },
        })
      ).status,
    ).toBe(201);
    expect((await connect().delete(`/connectors/${gone}`)).status).toBe(204);

    // Other specs add and delete their own connectors meanwhile: judge only this spec's.
    const ours = async () =>
      ((await connect().get('/connectors')).data as string[]).filter((n) => connectors.includes(n)).sort();
    const before = await ours();
    expect(before).toEqual([external, metaConnector, own].sort());
    const result = await app.temporal.client.workflow.execute(startupSync, {
      taskQueue: app.config.temporal.taskQueue,
      workflowId: startupWorkflowId(),
    });

    expect(result.imported).toContain(external);
    expect(result.metadata).toMatchObject({ sink: { created: false, updated: false } });
    const imported = (await app.api.get(`/ps/${external}`)).data;
    expect(imported).toMatchObject({
      id: external,
      connectUid: external,
      connectorCategory: 'CONNECT',
      imported: true,
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
    });
    expect(imported.connectorConfig).toMatchObject(extConfig);

    const drift = (await app.api.get('/drift')).data;
    expect(drift.workflowId).toBe(startupWorkflowId());
    const mine = <T extends { id: string }>(entries: T[]) => entries.filter((e) => connectors.includes(e.id));
    expect(mine(drift.configDrift)).toEqual([
      {
        id: own,
        connectUid: own,
        imported: false,
        differences: [expect.objectContaining({ key: 'tasks.max', live: '2' })],
      },
    ]);
    expect(mine(drift.missingInConnect)).toEqual([expect.objectContaining({ id: gone, connectUid: gone })]);
    // The status refresh of the same run: the connector gone from Connect is LOST.
    expect((await app.api.get(`/ps/${gone}`)).data.status).toBe('LOST');

    expect(await ours()).toEqual(before);
    expect((await connect().get(`/connectors/${own}/config`)).data['tasks.max']).toBe('2');
    expect((await app.api.get(`/ps/${own}`)).data.connectorConfig['tasks.max']).not.toBe('2');
  });
});
