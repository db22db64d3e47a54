import { fakeIdSuffix } from '../support/fake-id-suffix';
import {
  jsonSchemaOfColumns,
  streamBackConnectorConfig,
  streamBackTopic,
  withoutClientOverrides,
} from '../../src/domain/stream-back';
import { planStatusSync, SyncedTask } from '../../src/domain/status-sync';
import { parseTransformAdd } from '../../src/domain/transform-input';
import { isDfError } from '../../src/domain/errors';

function fieldErrors(body: unknown): Record<string, string[]> | undefined {
  try {
    parseTransformAdd(body, fakeIdSuffix);
    return undefined;
  } catch (error) {
    if (isDfError(error)) return (error.details as { fields?: Record<string, string[]> }).fields;
    throw error;
  }
}

const batch = (config: Record<string, unknown>) => ({
  id: 'b1',
  name: 'b',
  connectorType: 'TRANSFORM_BATCH_FLINK_SQL',
  connectorConfig: { trans_sql: 'SELECT 1', ...config },
});

describe('stream back', () => {
  it('is asked for with stream_back_flag true and a topic; the flag without a topic is refused naming the field', () => {
    expect(fieldErrors(batch({ stream_back_flag: true }))).toHaveProperty(['connectorConfig.stream_back_topic']);
    expect(fieldErrors(batch({ stream_back_flag: 'maybe', stream_back_topic: 't' }))).toHaveProperty([
      'connectorConfig.stream_back_flag',
    ]);
    const input = parseTransformAdd(batch({ stream_back_flag: true, stream_back_topic: 'out' }), fakeIdSuffix);
    expect(streamBackTopic(input.connectorConfig)).toBe('out');
    expect(
      streamBackTopic(
        parseTransformAdd(batch({ stream_back_flag: false, stream_back_topic: 'out' }), fakeIdSuffix).connectorConfig,
      ),
    ).toBeUndefined();
  });

  it('sends each line unchanged: string converters on a FileStreamSource of the file', () => {
    expect(streamBackConnectorConfig('/d/t/j.json', 'out')).toEqual({
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'tasks.max': '1',
      file: '/d/t/j.json',
      topic: 'out',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    });
  });

  it("asks for larger producer batches when given a size, and nothing else of Connect's producer", () => {
    const config = streamBackConnectorConfig('/d/t/j.json', 'out', 524288);
    expect(config).toEqual({
      ...streamBackConnectorConfig('/d/t/j.json', 'out'),
      'producer.override.batch.size': '524288',
    });
    expect(streamBackConnectorConfig('/d/t/j.json', 'out', 0)).toEqual(streamBackConnectorConfig('/d/t/j.json', 'out'));
  });

  it('drops every client override for a Kafka Connect whose override policy refuses them', () => {
    expect(
      withoutClientOverrides({
        ...streamBackConnectorConfig('/d/t/j.json', 'out', 524288),
        'consumer.override.x': '1',
        'admin.override.y': '2',
      }),
    ).toEqual(streamBackConnectorConfig('/d/t/j.json', 'out'));
  });

  it('registers a JSON Schema of the result columns, nullable unless NOT NULL', () => {
    expect(
      jsonSchemaOfColumns('out', [
        { name: 'id', type: 'STRING', nullable: false },
        { name: 'n', type: 'BIGINT', nullable: true },
        { name: 'x', type: 'DECIMAL(10, 2)', nullable: true },
        { name: 'ok', type: 'BOOLEAN', nullable: true },
        { name: 'tags', type: 'ARRAY<STRING>', nullable: true },
        { name: 'at', type: 'TIMESTAMP(3)', nullable: true },
      ]),
    ).toEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'out',
      type: 'object',
      required: ['id'],
      properties: {
        id: { type: 'string' },
        n: { type: ['integer', 'null'] },
        x: { type: ['number', 'null'] },
        ok: { type: ['boolean', 'null'] },
        tags: { type: ['array', 'null'] },
        at: { type: ['string', 'null'] },
      },
    });
  });

  it('leaves the status of a streaming task, and the FINISHED job that leads to it, to the stream back', () => {
    const now = 1_000_000;
    const task = (overrides: Partial<SyncedTask>): SyncedTask => ({
      id: 't',
      category: 'TRANSFORM',
      connectUid: 't',
      status: 'RUNNING',
      statusAt: 0,
      updatedAt: 0,
      jobId: 'j',
      ...overrides,
    });
    const finished = {
      flink: { reachable: true as const, items: new Map([['j', { jid: 'j', name: 'b', state: 'FINISHED' }]]) },
    };
    expect(planStatusSync([task({ status: 'STREAMING' })], finished, { now, graceMs: 1 }).changes).toEqual([]);
    expect(planStatusSync([task({ streamsBack: true })], finished, { now, graceMs: 1 }).changes).toEqual([]);
    expect(planStatusSync([task({})], finished, { now, graceMs: 1 }).changes[0].set.status).toBe('FINISHED');
  });
});
