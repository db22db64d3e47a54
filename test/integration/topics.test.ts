import type { NewTask } from '../../src/domain/task';
import { confluentAvro } from '../support/avro-encode';
import { V1 } from '../support/avro-orders';
import { DfApp, startDfApp } from '../support/df-app';
import { fieldsOf } from '../support/field-errors';
import { produceRecords, topicPartitions } from '../support/kafka';
import { uniqueName } from '../support/stack';

type Row = Record<string, unknown>;

/**
 * The original UI's topic tabs on the real Kafka and registry: a topic's partitions (/s2p), the
 * tasks that use it (/s2t), its latest records decoded (/avroconsumer), each under the list
 * protocol; and the topic list (GET /schema) without the registry's internal subjects.
 */
describe('Topics: partitions, related tasks, latest records; the topic list', () => {
  let app: DfApp;
  const topic = uniqueName('it-topic');
  const base = Date.parse('2026-01-01T00:00:00Z');

  beforeAll(async () => {
    app = await startDfApp('topics');
    await app.services.kafka.ensureTopic(topic, 3, 1);
    // Twelve JSON records round the partitions, each a millisecond after the one before.
    await produceRecords(
      app.config.kafkaBrokers,
      topic,
      Array.from({ length: 12 }, (_, n) => ({
        partition: n % 3,
        key: `k${n}`,
        value: JSON.stringify({ n }),
        timestamp: String(base + n),
      })),
    );
  });
  afterAll(async () => {
    await app?.close();
  });

  describe('GET /s2p: partitions', () => {
    it('gives every partition with its leader, replicas, in-sync replicas and earliest and latest offsets', async () => {
      const res = await app.api.get(`/s2p/${topic}`);
      expect(res.status).toBe(200);
      expect(res.headers['x-total-count']).toBe('3');
      const kafka = await topicPartitions(app.config.kafkaBrokers, topic);
      expect(res.data).toEqual(
        [...kafka]
          .sort((a, b) => a.partition - b.partition)
          .map((p) => ({
            id: `${topic}-${p.partition}`,
            topic,
            partitionNumber: p.partition,
            leader: p.leader,
            replicas: String(p.leader),
            insyncReplicas: String(p.leader),
            earliestOffset: 0,
            latestOffset: 4,
          })),
      );
    });

    it('answers ?id= the same way, under the list protocol', async () => {
      const res = await app.api.get('/s2p', {
        params: { id: topic, _sort: 'partitionNumber', _order: 'DESC', _start: 0, _end: 2 },
      });
      expect(res.status).toBe(200);
      expect(res.headers['x-total-count']).toBe('3');
      expect(res.data.map((p: Row) => p.partitionNumber)).toEqual([2, 1]);
    });

    it('answers an unknown topic 404, a name Kafka would not take 400, no topic at all 400', async () => {
      const missing = uniqueName('it-no-topic');
      const unknown = await app.api.get(`/s2p/${missing}`);
      expect(unknown.status).toBe(404);
      expect(unknown.data.error.message).toBe(`no topic ${missing} in Kafka`);
      const bad = await app.api.get('/s2p', { params: { id: 'no spaces' } });
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad.data)).toHaveProperty('id');
      expect((await app.api.get('/s2p')).status).toBe(400);
    });
  });

  describe('GET /s2t: tasks of a topic', () => {
    const op = { workflowId: 'seed', runId: 'seed', type: 'seed' };
    const task = (id: string, category: 'CONNECT' | 'TRANSFORM', connectorConfig: Record<string, string>): NewTask => ({
      id,
      taskSeq: '1',
      name: id,
      description: '',
      connectorType: category === 'CONNECT' ? 'CONNECT_SINK_KAFKA_JDBC' : 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorCategory: category,
      connectUid: id,
      status: 'RUNNING',
      connectorConfig,
      jobConfig: null,
    });

    beforeAll(async () => {
      const at = new Date();
      for (const t of [
        task('a-sink', 'CONNECT', { topics: `other,${topic}`, 'connection.password': 'hunter2' }),
        task('b-sql', 'TRANSFORM', { topic_in: topic, topic_out: `${topic}-out` }),
        task('c-longer-name', 'CONNECT', { topic: `${topic}2` }),
        task('d-writer', 'TRANSFORM', { topic_in: 'elsewhere', topic_out: topic }),
        task('e-unrelated', 'CONNECT', { topics: 'other' }),
      ])
        await app.services.tasks.insert(t, op, at);
    });

    it('lists the tasks naming the topic exactly, in any topic key or in a comma list, secrets masked', async () => {
      const res = await app.api.get(`/s2t/${topic}`);
      expect(res.status).toBe(200);
      expect(res.headers['x-total-count']).toBe('3');
      expect(res.data.map((t: Row) => t.id)).toEqual(['a-sink', 'b-sql', 'd-writer']);
      expect(res.data[0].connectorConfig['connection.password']).not.toBe('hunter2');
    });

    it('answers ?id= the same way, under the list protocol', async () => {
      const res = await app.api.get('/s2t', { params: { id: topic, _sort: 'id', _order: 'DESC', _start: 0, _end: 1 } });
      expect(res.status).toBe(200);
      expect(res.headers['x-total-count']).toBe('3');
      expect(res.data.map((t: Row) => t.id)).toEqual(['d-writer']);
    });

    it('answers a topic Kafka has and no task names with no rows; one neither knows 404', async () => {
      const idle = uniqueName('it-idle');
      await app.services.kafka.ensureTopic(idle, 1, 1);
      const none = await app.api.get(`/s2t/${idle}`);
      expect(none.status).toBe(200);
      expect(none.data).toEqual([]);
      expect((await app.api.get(`/s2t/${uniqueName('it-no-topic')}`)).status).toBe(404);
    });
  });

  describe('GET /avroconsumer: the latest records', () => {
    it('gives the latest records across partitions, oldest first, as JSON when the topic has no schema', async () => {
      const res = await app.api.get(`/avroconsumer/${topic}`, { params: { limit: 5 } });
      expect(res.status).toBe(200);
      expect(res.headers['x-total-count']).toBe('5');
      expect(res.data.map((r: Row) => r.value)).toEqual([7, 8, 9, 10, 11].map((n) => ({ n })));
      expect(res.data[0]).toEqual({
        id: `1-2`,
        partition: 1,
        offset: 2,
        timestamp: new Date(base + 7).toISOString(),
        key: 'k7',
        value: { n: 7 },
        valueString: '{\n  "n": 7\n}',
        format: 'json',
      });
    });

    it(`gives ten records without a limit, and answers ?id= the same way`, async () => {
      const res = await app.api.get('/avroconsumer', { params: { id: topic } });
      expect(res.status).toBe(200);
      expect(res.data.map((r: Row) => (r.value as { n: number }).n)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    });

    it('decodes Avro records with the schema registered through POST /schema; text stays text', async () => {
      const avroTopic = uniqueName('it-avro-preview');
      const registered = await app.api.post('/schema', { id: avroTopic, schema: V1 });
      expect(registered.status).toBe(201);
      const schemaId = registered.data.schemaId as number;
      await produceRecords(app.config.kafkaBrokers, avroTopic, [
        { value: confluentAvro(schemaId, V1, { id: 'a', amount: 1.5 }), timestamp: String(base) },
        { value: confluentAvro(schemaId, V1, { id: 'b', amount: 2 }), timestamp: String(base + 1) },
        { value: 'not json', timestamp: String(base + 2) },
      ]);
      const res = await app.api.get(`/avroconsumer/${avroTopic}`);
      expect(res.status).toBe(200);
      expect(res.data.map((r: Row) => [r.format, r.value, r.schemaId])).toEqual([
        ['avro', { id: 'a', amount: 1.5 }, schemaId],
        ['avro', { id: 'b', amount: 2 }, schemaId],
        ['string', 'not json', undefined],
      ]);
    });

    it('answers an empty topic with no rows', async () => {
      const empty = uniqueName('it-empty');
      await app.services.kafka.ensureTopic(empty, 2, 1);
      const res = await app.api.get(`/avroconsumer/${empty}`);
      expect(res.status).toBe(200);
      expect(res.data).toEqual([]);
    });

    it('refuses a limit over the bound or not a number (400 naming limit); an unknown topic is 404', async () => {
      for (const limit of ['101', '0', 'ten']) {
        const res = await app.api.get(`/avroconsumer/${topic}`, { params: { limit } });
        expect(res.status).toBe(400);
        expect(fieldsOf(res.data)).toHaveProperty('limit');
      }
      const missing = uniqueName('it-no-topic');
      const unknown = await app.api.get('/avroconsumer', { params: { id: missing } });
      expect(unknown.status).toBe(404);
      expect(unknown.data.error.message).toBe(`no topic ${missing} in Kafka`);
    });
  });

  describe('GET /schema: the topic list', () => {
    it("leaves out a listed topic's -key and -value twins unless subjects=all; a -value subject alone stays", async () => {
      const listed = uniqueName('it-listed');
      const alone = uniqueName('it-alone');
      expect((await app.api.post('/schema', { id: listed, schema: V1 })).status).toBe(201);
      const registry = app.services.schemaRegistry;
      await registry.register(`${listed}-value`, JSON.stringify(V1), 'AVRO');
      await registry.register(`${listed}-key`, JSON.stringify(V1), 'AVRO');
      await registry.register(`${alone}-value`, JSON.stringify(V1), 'AVRO');
      const subjects = async (params: Record<string, string>) =>
        ((await app.api.get('/schema', { params: { _sort: 'subject', ...params } })).data as Row[]).map(
          (r) => r.subject,
        );

      expect(await subjects({ q: listed })).toEqual([listed]);
      expect(await subjects({ q: listed, subjects: 'all' })).toEqual([listed, `${listed}-key`, `${listed}-value`]);
      expect(await subjects({ q: alone })).toEqual([`${alone}-value`]);
      const bad = await app.api.get('/schema', { params: { subjects: 'internal' } });
      expect(bad.status).toBe(400);
      expect(fieldsOf(bad.data)).toHaveProperty('subjects');
    });
  });
});
