import { confluentAvro } from '../support/avro-encode';
import { DfApp, startDfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { produceRecords } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

const PAYMENT = {
  type: 'record',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'double' },
  ],
};

/**
 * The original DataFibers' main flow on the real stack: a topic created with its schema through
 * POST /schema (registered under the topic's own name, not `<topic>-value`), then SQL run on it
 * by a SQLA2A transform whose output topic does not exist yet: DF creates it and the records
 * come out of it.
 */
describe("SQLA2A on a topic made the original's way: schema under <topic>, topic_out created", () => {
  let app: DfApp;
  const topicIn = uniqueName('it-orig-in');
  const topicOut = uniqueName('it-orig-out');
  const id = uniqueName('orig');

  beforeAll(async () => {
    app = await startDfApp('transform_original_topic');
  });
  afterAll(async () => {
    const jobId = (await app?.api.get(`/tr/${id}`))?.data?.jobConfig?.flink_job_id;
    if (jobId) await engineHttp(app.config, 'flink').patch(`/jobs/${jobId}?mode=cancel`);
    await app?.close();
  });

  it('reads the columns from subject <topic>, creates topic_out like the input, and the output follows the SQL', async () => {
    const registered = await app.api.post('/schema', { id: topicIn, schema: PAYMENT, partitions: 2 });
    expect(registered.status).toBe(201);
    expect(registered.data.subject).toBe(topicIn);
    const schema = registered.data.schema;
    await produceRecords(app.config.kafkaBrokers, topicIn, [
      { partition: 0, value: confluentAvro(registered.data.schemaId, schema, { id: 'a', amount: 1.5 }) },
      { partition: 1, value: confluentAvro(registered.data.schemaId, schema, { id: 'b', amount: 4 }) },
    ]);
    expect(await app.services.kafka.partitionCount(topicOut)).toBeUndefined();

    const res = await app.api.post('/tr', {
      id,
      name: 'Double the payments',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: {
        topic_in: topicIn,
        topic_out: topicOut,
        trans_sql: `SELECT id, amount * 2 AS doubled FROM \`${topicIn}\``,
      },
    });
    // The first SQL job after Flink starts may take longer than DF_SYNC_WAIT_MS: a 202, then the run's result.
    expect([201, 202]).toContain(res.status);
    const added =
      res.status === 201
        ? res.data
        : await app.temporal.client.workflow.getHandle(String(res.headers['x-df-workflow-id'])).result();
    expect(added).toMatchObject({
      status: 'RUNNING',
      connectorConfig: { format: 'avro-confluent' },
      jobConfig: { topic_out_created: 'true' },
    });
    expect(JSON.parse(added.jobConfig.source_columns)).toEqual({
      [topicIn]: '`id` STRING NOT NULL, `amount` DOUBLE NOT NULL',
    });
    expect(await app.services.kafka.partitionCount(topicOut)).toBe(2);

    const out = await eventually(
      `two records on ${topicOut}`,
      async () => {
        const preview = await app.api.get(`/avroconsumer/${topicOut}`);
        return preview.data.length >= 2 ? (preview.data as { value: { id: string; doubled: number } }[]) : undefined;
      },
      120000,
      2000,
    );
    expect(out.map((r) => r.value).sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: 'a', doubled: 3 },
      { id: 'b', doubled: 8 },
    ]);
  });

  it('with create_topic_out false, refuses a missing topic_out with 400 naming it, and creates nothing', async () => {
    const missing = uniqueName('it-orig-none');
    const refused = uniqueName('orig-refused');
    const res = await app.api.post('/tr', {
      id: refused,
      name: refused,
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: {
        topic_in: topicIn,
        topic_out: missing,
        create_topic_out: false,
        trans_sql: `SELECT id FROM \`${topicIn}\``,
      },
    });
    expect(res.status).toBe(400);
    expect(res.data.error.message).toContain(`unknown topic ${missing}`);
    expect(res.data.error.details.fields).toHaveProperty(['connectorConfig.topic_out']);
    expect(await app.services.kafka.partitionCount(missing)).toBeUndefined();
    expect((await app.api.get(`/tr/${refused}`)).status).toBe(404);
  });

  it('refuses SQL Flink cannot plan before any topic is created', async () => {
    const missing = uniqueName('it-orig-none');
    const res = await app.api.post('/tr', {
      id: uniqueName('orig-badsql'),
      name: 'bad sql',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: { topic_in: topicIn, topic_out: missing, trans_sql: `SELECT nope FROM \`${topicIn}\`` },
    });
    expect(res.status).toBe(400);
    expect(await app.services.kafka.partitionCount(missing)).toBeUndefined();
  });
});
