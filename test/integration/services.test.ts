import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { Connection } from '@temporalio/client';
import { Kafka, logLevel } from 'kafkajs';
import { loadConfig } from '../../src/config';
import { FlinkClient } from '../../src/ras/flink';
import { KafkaAdmin } from '../../src/ras/kafka';
import { KafkaConnectClient } from '../../src/ras/kafka-connect';
import { SchemaRegistryClient } from '../../src/ras/schema-registry';
import { SqlGatewayClient } from '../../src/ras/sql-gateway';
import { connectStore, Store } from '../../src/repository/mongo';
import { connectRest } from '../support/connect-rest';
import { readTopic as readTopicOf } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

/** Each real service of the local stack, reached the way DataFibers reaches it. */
const config = loadConfig();
const kafka = new Kafka({ clientId: 'df-test', brokers: config.kafkaBrokers, logLevel: logLevel.NOTHING });

const readTopic = (topic: string, count: number) => readTopicOf(config.kafkaBrokers, topic, count);

describe('the local stack, service by service', () => {
  it('Temporal: serves the namespace with the DataFibers search attributes registered', async () => {
    const connection = await Connection.connect({ address: config.temporal.address });
    try {
      const ns = await connection.workflowService.describeNamespace({ namespace: config.temporal.namespace });
      expect(ns.namespaceInfo?.name).toBe(config.temporal.namespace);
      const attrs = await connection.operatorService.listSearchAttributes({ namespace: config.temporal.namespace });
      expect(Object.keys(attrs.customAttributes ?? {})).toEqual(
        expect.arrayContaining(['DfTaskId', 'DfOperation', 'DfCategory', 'DfActor']),
      );
    } finally {
      await connection.close();
    }
    const ui = await axios.get(config.temporal.uiUrl);
    expect(ui.status).toBe(200);
  });

  /** A store on a database of its own, dropped and closed after the spec's body. */
  async function withStore(body: (store: Store) => Promise<void>): Promise<void> {
    const store = await connectStore(config.mongo.url, uniqueName('it'));
    try {
      await body(store);
    } finally {
      await store.db.dropDatabase();
      await store.close();
    }
  }

  it('store: writes and reads documents over the MongoDB wire protocol', () =>
    withStore(async (store) => {
      const coll = store.db.collection<{ _id: string; cls: string; n: number }>('probe');
      await coll.insertOne({ _id: 'a', cls: 'org.apache.kafka.connect.file.FileStreamSourceConnector', n: 1 });
      await coll.updateOne({ _id: 'a' }, { $inc: { n: 1 } });
      expect(await coll.findOne({ _id: 'a' })).toEqual({
        _id: 'a',
        cls: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        n: 2,
      });
    }));

  it('store: concurrent updates of one document all apply, as MongoDB applies them', () =>
    withStore(async (store) => {
      const coll = store.db.collection<{ _id: string; n: number; seen: number[] }>('probe');
      await coll.insertOne({ _id: 'a', n: 0, seen: [] });
      // DF's status sync writes a task while an operation records it: neither write may be lost.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0
            ? coll.updateOne({ _id: 'a' }, { $inc: { n: 1 } })
            : coll.findOneAndUpdate({ _id: 'a' }, { $inc: { n: 1 }, $addToSet: { seen: i } }),
        ),
      );
      const doc = await coll.findOne({ _id: 'a' });
      expect(doc?.n).toBe(20);
      expect(doc?.seen).toHaveLength(10);
    }));

  it('store: a reconnected client carries on with the collections handed out before it', () =>
    withStore(async (store) => {
      const coll = store.db.collection<{ _id: string; n: number }>('probe');
      await coll.insertOne({ _id: 'a', n: 1 });
      await store.reconnect();
      await coll.updateOne({ _id: 'a' }, { $inc: { n: 1 } });
      expect(await coll.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 2 });
    }));

  it('Kafka: creates a topic, takes records and hands them to a consumer group', async () => {
    const admin = new KafkaAdmin(config.kafkaBrokers, config.kafkaSecurity);
    const topic = uniqueName('it-topic');
    try {
      expect((await admin.describeCluster()).brokers).toBe(1);
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }, { value: 'three' }] });
      await producer.disconnect();
      expect(await readTopic(topic, 3)).toEqual(['one', 'two', 'three']);
    } finally {
      await admin.close();
    }
  });

  it('Kafka Connect: has the file and MongoDB plugins and runs a FileStreamSource into a topic', async () => {
    const connect = new KafkaConnectClient(config.kafkaConnectUrl);
    const classes = (await connect.listPlugins()).map((p) => p.class);
    expect(classes).toEqual(
      expect.arrayContaining([
        'org.apache.kafka.connect.file.FileStreamSourceConnector',
        'org.apache.kafka.connect.file.FileStreamSinkConnector',
        'com.mongodb.kafka.connect.MongoSinkConnector',
      ]),
    );

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'df-it-'));
    const file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, 'alpha\nbeta\n');
    const name = uniqueName('it-source');
    const topic = uniqueName('it-connect');
    const http = connectRest(config);
    const created = await http.post('/connectors', {
      name,
      config: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        'tasks.max': '1',
        file,
        topic,
      },
    });
    expect(created.status).toBe(201);
    try {
      await eventually('connector RUNNING', async () => {
        const { data } = await http.get(`/connectors/${name}/status`);
        return data.connector.state === 'RUNNING' && data.tasks[0]?.state === 'RUNNING' ? true : undefined;
      });
      expect(await readTopic(topic, 2)).toEqual(['"alpha"', '"beta"']);
    } finally {
      await http.delete(`/connectors/${name}`);
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('Schema Registry: registers an Avro schema through the Confluent API, BACKWARD by default', async () => {
    const registry = new SchemaRegistryClient(config.schemaRegistryUrl);
    expect((await registry.globalConfig()).compatibilityLevel).toBe('BACKWARD');
    const subject = `${uniqueName('it')}-value`;
    const http = axios.create({
      baseURL: config.schemaRegistryUrl,
      headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    });
    const schema = { type: 'record', name: 'Probe', fields: [{ name: 'id', type: 'string' }] };
    const { data: created } = await http.post(`/subjects/${subject}/versions`, { schema: JSON.stringify(schema) });
    expect(typeof created.id).toBe('number');
    const { data: latest } = await http.get(`/subjects/${subject}/versions/latest`);
    expect(latest).toMatchObject({ subject, version: 1 });
    expect(JSON.parse(latest.schema)).toEqual(schema);
  });

  it('Flink: has a TaskManager with free slots', async () => {
    const overview = await new FlinkClient(config.flinkUrl).overview();
    expect(overview.taskmanagers).toBeGreaterThanOrEqual(1);
    expect(overview['slots-total']).toBeGreaterThanOrEqual(1);
    expect(overview['flink-version']).toMatch(/^2\./);
  });

  it('SQL Gateway: runs an INSERT into a Kafka table (json and avro-confluent) as a Flink job', async () => {
    const gateway = new SqlGatewayClient(config.flinkSqlGatewayUrl);
    const flink = new FlinkClient(config.flinkUrl);
    const session = await gateway.openSession();
    const jsonTopic = uniqueName('it-sql-json');
    const avroTopic = uniqueName('it-sql-avro');
    const run = async (statement: string) => {
      const op = await gateway.executeStatement(session, statement);
      return eventually(`result of ${statement.slice(0, 40)}`, async () => {
        const r = await gateway.fetchResults(session, op);
        return r.resultType === 'NOT_READY' ? undefined : r;
      });
    };
    try {
      const kafkaOpts = `'connector'='kafka', 'properties.bootstrap.servers'='${config.kafkaBrokers.join(',')}'`;
      await run(`CREATE TABLE j (id INT, name STRING) WITH (${kafkaOpts}, 'topic'='${jsonTopic}', 'format'='json')`);
      await run(
        `CREATE TABLE a (id INT, name STRING) WITH (${kafkaOpts}, 'topic'='${avroTopic}', 'format'='avro-confluent', 'avro-confluent.url'='${config.schemaRegistryUrl}')`,
      );
      const jsonInsert = await run(`INSERT INTO j VALUES (1, 'one'), (2, 'two')`);
      const avroInsert = await run(`INSERT INTO a VALUES (1, 'one')`);
      for (const jobId of [jsonInsert.jobID, avroInsert.jobID]) {
        expect(jobId).toMatch(/^[0-9a-f]{32}$/);
        await eventually(
          `job ${jobId} FINISHED`,
          async () => {
            const job = await flink.job(jobId as string);
            if (job?.state === 'FAILED') throw new Error(`job ${jobId} FAILED`);
            return job?.state === 'FINISHED' ? true : undefined;
          },
          90000,
        );
      }
      expect((await readTopic(jsonTopic, 2)).map((v) => JSON.parse(v))).toEqual([
        { id: 1, name: 'one' },
        { id: 2, name: 'two' },
      ]);
      const { data: subjects } = await axios.get(`${config.schemaRegistryUrl}/subjects`);
      expect(subjects).toContain(`${avroTopic}-value`);
    } finally {
      await gateway.closeSession(session);
    }
  });
});
