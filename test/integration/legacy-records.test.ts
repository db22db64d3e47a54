import { randomBytes } from 'node:crypto';
import axios from 'axios';
import type { Collection, Document } from 'mongodb';
import { connectRest } from '../support/connect-rest';
import { DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { startupSync } from '../../workflows/startup-sync';
import { statusSync } from '../../workflows/status-sync';

/**
 * Records the original DataFibers service wrote, put straight into the store: every list, read,
 * status sync, update and delete works on them without a 5xx, before the startup sync upgrades them
 * to DF's shape and after; the upgrade happens once and is in the drift report. A document that
 * cannot be read at all is left out of the lists, and its own read names it.
 */
describe('records the original service wrote', () => {
  let app: DfApp;
  let store: Collection<Document>;
  const metaConnector = uniqueName('it_legacy_meta');
  const metaTopic = uniqueName('it_legacy_meta');
  /** ObjectId-style ids, as the original generated: no connector or job anywhere has them. */
  const objectId = () => randomBytes(12).toString('hex');
  const flinkJobId = () => randomBytes(16).toString('hex');

  /** A connect as the original stored it: "_" for "." in its keys, no times, no revision. */
  const connect = (connectorType: string, status: string) => {
    const id = objectId();
    return {
      _id: id,
      taskSeq: '1',
      name: `legacy ${connectorType}`,
      connectUid: id,
      jobUid: null,
      connectorType,
      connectorCategory: 'CONNECT',
      description: 'written by the original service',
      status,
      udfUpload: null,
      jobConfig: null,
      connectorConfig: {
        connector_class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        tasks_max: '1',
        file: '/tmp/legacy.txt',
        topic: 'legacy',
        name: id,
        cuid: id,
      },
    };
  };
  /** A transform as the original stored it, with the Flink job it recorded or (not yet submitted) none. */
  const transform = (connectorType: string, status: string, withJob: boolean) => {
    const id = objectId();
    return {
      _id: id,
      taskSeq: '1',
      name: `legacy ${connectorType}`,
      connectUid: id,
      jobUid: 'NOT_ASSIGNED',
      connectorType,
      connectorCategory: 'TRANSFORM',
      description: 'written by the original service',
      status,
      udfUpload: null,
      jobConfig: withJob ? { flink_job_id: flinkJobId() } : null,
      connectorConfig: {
        topic_in: 'legacy_in',
        topic_out: 'legacy_out',
        trans_sql: 'SELECT * FROM legacy_in',
        group_id: 'df_trans_flink_group_id',
        cuid: id,
      },
    };
  };
  const connects = [
    connect('CONNECT_KAFKA_SOURCE', 'RUNNING'),
    connect('CONNECT_KAFKA_SOURCE', 'PAUSED'),
    connect('CONNECT_SOURCE_KAFKA_FlatFile', 'FAILED'),
    connect('CONNECT_KAFKA_SOURCE_AVRO', 'RUNNING'),
    connect('CONNECT_SOURCE_KAFKA_FlatFile', 'PAUSED'),
    connect('CONNECT_MONGODB_SINK', 'FAILED'),
  ];
  const transforms = [
    transform('TRANSFORM_FLINK_SQL_GENE', 'RUNNING', true),
    transform('TRANSFORM_EXCHANGE_FLINK_SQLA2A', 'PAUSED', true),
    transform('TRANSFORM_FLINK_UDF', 'FAILED', true),
    transform('TRANSFORM_EXCHANGE_FLINK_SQLA2A', 'RUNNING', false),
    transform('TRANSFORM_EXCHANGE_FLINK_Script', 'PAUSED', false),
    transform('TRANSFORM_FLINK_SQL_A2J', 'FAILED', false),
    // A kind DF cannot run (the original ran it on Spark through Livy): still read, synced and deleted.
    {
      ...transform('TRANSFORM_EXCHANGE_SPARK_SQL', 'RUNNING', false),
      jobConfig: { livy_session_id: '3', livy_statement_id: '7', livy_statement_state: 'running' },
    },
  ];
  const originals = [...connects, ...transforms];
  /** One document with an id no task can have, one whose fields have the wrong types. */
  const oddId = {
    _id: { not: 'a string' },
    name: 'odd',
    connectorType: 'CONNECT_KAFKA_SOURCE',
    status: 'RUNNING',
    connectorConfig: {},
  };
  const garbage = {
    _id: objectId(),
    name: 'garbage',
    connectorType: 42,
    status: ['RUNNING'],
    connectorConfig: 'not a map',
    jobConfig: 7,
  };

  const runStatusSync = () =>
    app.temporal.client.workflow.execute(statusSync, {
      taskQueue: app.config.temporal.taskQueue,
      workflowId: uniqueName('it-legacy-statusSync'),
    });
  const runStartupSync = () =>
    app.temporal.client.workflow.execute(startupSync, {
      taskQueue: app.config.temporal.taskQueue,
      workflowId: uniqueName('it-legacy-startupSync'),
    });
  const pathOf = (doc: { connectorCategory: string }) => (doc.connectorCategory === 'CONNECT' ? 'ps' : 'tr');

  /** Every list answers 200 with each record still there and the two bad documents left out (and counted). */
  async function expectListed(present: typeof originals): Promise<void> {
    for (const [path, expected] of [
      ['processor', present],
      ['ps', present.filter((d) => d.connectorCategory === 'CONNECT')],
      ['tr', present.filter((d) => d.connectorCategory === 'TRANSFORM')],
    ] as const) {
      const res = await app.api.get(`/${path}`, { params: { _end: 1000 } });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
      // The startup sync also imports what other deployments run in the shared Kafka Connect.
      const own = (res.data as { id: string; imported?: boolean; connectorCategory: string }[]).filter(
        (t) => !t.imported && t.connectorCategory !== 'INTERNAL',
      );
      expect(own.map((t) => t.id).sort()).toEqual(expected.map((d) => d._id).sort());
      expect(res.headers['x-df-unreadable-records']).toBe('2');
    }
  }

  /** Each record reads (through /processor and its own kind's path) as a DF task. */
  async function expectReadable(present: typeof originals): Promise<void> {
    for (const doc of present) {
      for (const path of ['processor', pathOf(doc)]) {
        const res = await app.api.get(`/${path}/${doc._id}`);
        expect({ id: doc._id, path, status: res.status }).toEqual({ id: doc._id, path, status: 200 });
        expect(res.data).toMatchObject({
          id: doc._id,
          connectorCategory: doc.connectorCategory,
          connectUid: doc._id,
          revision: expect.any(Number),
        });
        expect(Date.parse(res.data.createdAt)).toBe(parseInt(doc._id.slice(0, 8), 16) * 1000);
      }
    }
  }

  /** A status sync: what no engine has is LOST (a transform that ended stays as it ended). */
  async function expectSynced(present: typeof originals): Promise<void> {
    await runStatusSync();
    for (const doc of present) {
      const expected = doc.connectorCategory === 'TRANSFORM' && doc.status === 'FAILED' ? 'FAILED' : 'LOST';
      const res = await app.api.get(`/processor/${doc._id}`);
      expect({ id: doc._id, status: res.data.status }).toEqual({ id: doc._id, status: expected });
    }
  }

  async function expectDeleted(gone: typeof originals): Promise<void> {
    for (const doc of gone) {
      const res = await app.api.delete(`/${pathOf(doc)}/${doc._id}`);
      expect({ id: doc._id, status: res.status, body: res.data }).toEqual({
        id: doc._id,
        status: 200,
        body: expect.objectContaining({ id: doc._id, deleted: true }),
      });
      expect((await app.api.get(`/processor/${doc._id}`)).status).toBe(404);
    }
  }

  beforeAll(async () => {
    app = await startDfApp('legacy_records', { DF_META_CONNECTOR: metaConnector, DF_META_TOPIC: metaTopic });
    store = app.services.store.db.collection('df_processor');
    await store.insertMany([...originals, oddId, garbage] as Document[]);
  });

  afterAll(async () => {
    if (app) {
      await connectRest(app.config).delete(`/connectors/${metaConnector}`);
      await axios.delete(`${app.config.schemaRegistryUrl}/subjects/${metaTopic}`, { validateStatus: () => true });
    }
    await app?.close();
  });

  it('a dozen (and one) original records are listed, read, synced (LOST where no engine has them), updated and deleted as they are', async () => {
    await expectListed(originals);
    // Read as the original's UI reads them: its type names and its "_" key spelling, kept.
    expect((await app.api.get(`/ps/${connects[0]._id}`)).data).toMatchObject({
      connectorType: 'CONNECT_KAFKA_SOURCE',
      status: 'RUNNING',
      revision: 0,
      jobConfig: null,
      keySpelling: 'underscore',
      connectorConfig: {
        connector_class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        tasks_max: '1',
        file: '/tmp/legacy.txt',
      },
    });
    expect(
      (await app.api.get(`/ps/${connects[0]._id}`, { params: { keySpelling: 'dotted' } })).data.connectorConfig,
    ).toMatchObject({ 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', 'tasks.max': '1' });
    expect((await app.api.get(`/tr/${transforms[2]._id}`)).data).toMatchObject({
      connectorType: 'TRANSFORM_FLINK_UDF',
      status: 'FAILED',
      jobConfig: { flink_job_id: (transforms[2].jobConfig as { flink_job_id: string }).flink_job_id },
      connectorConfig: { topic_in: 'legacy_in', trans_sql: 'SELECT * FROM legacy_in' },
    });
    expect((await app.api.get(`/tr/${transforms[6]._id}`)).data).toMatchObject({
      connectorType: 'TRANSFORM_EXCHANGE_SPARK_SQL',
      jobConfig: { livy_session_id: '3' },
    });
    await expectReadable(originals);
    await expectSynced(originals);

    // As the console edits: If-Match with the revision it read (0 for a record DF never edited).
    const edited = await app.api.patch(
      `/ps/${connects[1]._id}`,
      { description: 'edited through DF' },
      { headers: { 'If-Match': '"0"' } },
    );
    expect(edited.status).toBe(200);
    expect(edited.data).toMatchObject({
      id: connects[1]._id,
      description: 'edited through DF',
      revision: 1,
      connectorType: 'CONNECT_KAFKA_SOURCE',
      keySpelling: 'underscore',
    });
    expect((await app.api.get(`/ps/${connects[1]._id}`)).data.connectorConfig).toEqual(
      expect.objectContaining({ connector_class: connects[1].connectorConfig.connector_class }),
    );

    await expectDeleted([connects[0], transforms[0], transforms[3]]);
  });

  it('a document that cannot be read is left out of every list, and its own read names it', async () => {
    const res = await app.api.get(`/processor/${garbage._id}`);
    expect(res.status).toBe(500);
    expect(res.data.error).toMatchObject({ code: 'UNREADABLE_RECORD', details: { id: garbage._id } });
    expect(res.data.error.message).toContain(garbage._id);
    expect(res.data.error.details.problems).toEqual(
      expect.arrayContaining([expect.stringContaining('connectorType'), expect.stringContaining('connectorConfig')]),
    );
    const removal = await app.api.delete(`/ps/${garbage._id}`);
    expect(removal.status).toBe(500);
    expect(removal.data.error.code).toBe('UNREADABLE_RECORD');
  });

  it('the startup sync upgrades the rest in place once, says so in the drift report, and they keep working', async () => {
    const remaining = originals.filter((d) => ![connects[0], transforms[0], transforms[3]].includes(d));
    const first = await runStartupSync();
    // connects[1] was upgraded by its edit already.
    const expectedUpgraded = remaining
      .filter((d) => d !== connects[1])
      .map((d) => d._id)
      .sort();
    expect(first.upgrade?.upgraded.map((u) => u.id).sort()).toEqual(expectedUpgraded);
    expect(first.upgrade?.unreadable.map((u) => u.id).sort()).toEqual([garbage._id, JSON.stringify(oddId._id)].sort());
    const changes = first.upgrade?.upgraded.find((u) => u.id === connects[3]._id)?.changes;
    expect(changes).toContain('2 connectorConfig key(s) spelled with "." as Kafka Connect runs them');
    expect(changes).not.toContainEqual(expect.stringContaining('connectorType'));

    const drift = (await app.api.get('/drift')).data;
    expect(drift.upgraded.map((u: { id: string }) => u.id).sort()).toEqual(expectedUpgraded);
    expect(drift.unreadable).toHaveLength(2);
    const raw = await store.findOne({ _id: connects[3]._id } as Document);
    expect(raw).toMatchObject({
      revision: 0,
      connectorType: 'CONNECT_KAFKA_SOURCE_AVRO',
      keySpelling: 'underscore',
      createdAt: expect.any(Date),
    });
    expect(raw?.upgradedFromOriginal).not.toHaveProperty('connectorType');
    expect((await app.api.get(`/ps/${connects[3]._id}`)).data).toMatchObject({
      connectorType: 'CONNECT_KAFKA_SOURCE_AVRO',
      connectorConfig: { connector_class: connects[3].connectorConfig.connector_class, tasks_max: '1' },
    });
    expect(Object.keys(raw?.connectorConfig ?? {})).toEqual(
      expect.arrayContaining(['connector%2Eclass', 'tasks%2Emax']),
    );

    const second = await runStartupSync();
    expect(second.upgrade?.upgraded).toEqual([]);
    expect((await app.api.get('/drift')).data.upgraded).toEqual([]);

    await expectListed(remaining);
    await expectReadable(remaining);
    await expectSynced(remaining);
    await expectDeleted(remaining);
  });
});
