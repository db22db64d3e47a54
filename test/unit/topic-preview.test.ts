import { AvroDecodeError, decodeAvro } from '../../src/domain/avro-binary';
import {
  parsePreviewLimit,
  PREVIEW_DEFAULT_LIMIT,
  PREVIEW_MAX_LIMIT,
  renderPlain,
  renderRegistered,
  valueText,
  wireSchemaId,
} from '../../src/domain/record-preview';
import { configUsesTopic, parseTopicName, topicsOfConfig } from '../../src/domain/task-topics';
import { avroEncode, confluentAvro, confluentJson } from '../support/avro-encode';
import { fieldErrorsOf } from '../support/field-errors';

const ORDER = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'count', type: 'int' },
    { name: 'big', type: 'long' },
    { name: 'paid', type: 'boolean' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'attrs', type: { type: 'map', values: 'long' } },
    { name: 'state', type: { type: 'enum', name: 'State', symbols: ['NEW', 'DONE'] } },
    { name: 'next', type: ['null', 'State'], default: null },
  ],
};

const bytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

describe('Avro binary decoding', () => {
  const order = {
    id: 'o-1',
    amount: 12.5,
    count: -3,
    big: 42,
    paid: true,
    note: 'gift',
    tags: ['a', 'b'],
    attrs: { x: 1, y: -2 },
    state: 'DONE',
    next: 'NEW',
  };

  it('reads a record as plain JSON: unions give their value, named types are found by name', () => {
    expect(decodeAvro(JSON.stringify(ORDER), bytes(avroEncode(ORDER, order)))).toEqual(order);
    const empty = { ...order, note: null, tags: [], attrs: {}, next: null };
    expect(decodeAvro(ORDER, bytes(avroEncode(ORDER, empty)))).toEqual(empty);
  });

  it('keeps a long beyond 2^53 exact, as its digits', () => {
    expect(decodeAvro('"long"', bytes(avroEncode('long', 2n ** 62n)))).toBe((2n ** 62n).toString());
    expect(decodeAvro('long', bytes(avroEncode('long', -(2n ** 40n))))).toBe(-(2 ** 40));
  });

  it('gives bytes as base64 and a decimal as its digits', () => {
    expect(decodeAvro('"bytes"', bytes(avroEncode('bytes', new Uint8Array([1, 2, 255]))))).toBe('AQL/');
    // 1234 unscaled (0x04d2), scale 2; and -1 (0xff).
    const decimal = { type: 'bytes', logicalType: 'decimal', precision: 6, scale: 2 };
    expect(decodeAvro(decimal, bytes(avroEncode('bytes', new Uint8Array([0x04, 0xd2]))))).toBe('12.34');
    expect(decodeAvro(decimal, bytes(avroEncode('bytes', new Uint8Array([0xff]))))).toBe('-0.01');
  });

  it('refuses data its schema did not write: cut short, bytes left over, a count the record cannot hold', () => {
    const whole = avroEncode(ORDER, order);
    expect(() => decodeAvro(ORDER, bytes(whole.subarray(0, whole.length - 3)))).toThrow(AvroDecodeError);
    expect(() => decodeAvro('"string"', bytes(Buffer.concat([avroEncode('string', 'x'), Buffer.from([1])])))).toThrow(
      /bytes left after the value/,
    );
    // A string claiming 1000 bytes in a 3-byte record; an array block claiming 2^40 strings.
    expect(() => decodeAvro('"string"', bytes(Buffer.from([0xd0, 0x0f, 0x41])))).toThrow(/more than the record holds/);
    expect(() => decodeAvro({ type: 'array', items: 'string' }, bytes(avroEncode('long', 2 ** 40)))).toThrow(
      /ends early/,
    );
    // A billion nulls take no bytes: bounded by the item count instead.
    expect(() => decodeAvro({ type: 'array', items: 'null' }, bytes(avroEncode('long', 1e9)))).toThrow(
      /items in one value/,
    );
  });
});

describe('Record preview rendering', () => {
  it('reads the schema id of the Confluent wire format, and nothing from other bytes', () => {
    expect(wireSchemaId(bytes(confluentAvro(258, 'string', 'x')))).toBe(258);
    expect(wireSchemaId(bytes(Buffer.from('{"a":1}')))).toBeUndefined();
    expect(wireSchemaId(new Uint8Array([0, 0, 1]))).toBeUndefined();
  });

  it('decodes an Avro value with its writer schema and a JSON Schema value as JSON', () => {
    const value = {
      id: 'o-2',
      amount: 1,
      count: 2,
      big: 3,
      paid: false,
      note: null,
      tags: [],
      attrs: {},
      state: 'NEW',
      next: null,
    };
    expect(renderRegistered(bytes(confluentAvro(7, ORDER, value)), 7, { schema: JSON.stringify(ORDER) })).toEqual({
      value,
      format: 'avro',
      schemaId: 7,
    });
    expect(
      renderRegistered(bytes(confluentJson(8, { a: [1, 2] })), 8, { schema: '{"type":"object"}', schemaType: 'JSON' }),
    ).toEqual({ value: { a: [1, 2] }, format: 'json-schema', schemaId: 8 });
  });

  it('shows as base64, with the reason, what its schema cannot read, a Protobuf payload and an unknown schema id', () => {
    const wrong = renderRegistered(bytes(confluentAvro(7, 'string', 'x')), 7, { schema: JSON.stringify(ORDER) });
    expect(wrong).toMatchObject({ format: 'base64', schemaId: 7, decodeError: expect.any(String) });
    expect(
      renderRegistered(new Uint8Array([0, 0, 0, 0, 9, 0, 8, 1]), 9, {
        schema: 'syntax = "proto3";',
        schemaType: 'PROTOBUF',
      }),
    ).toMatchObject({
      format: 'base64',
      decodeError: 'PROTOBUF payloads are shown as base64',
    });
    expect(renderRegistered(new Uint8Array([0, 0, 0, 0, 5, 1]), 5, undefined)).toMatchObject({
      format: 'base64',
      decodeError: 'no schema 5 in the registry',
    });
  });

  it('reads bytes without a schema as JSON, else text, else base64; a tombstone as null', () => {
    expect(renderPlain(bytes(Buffer.from('{"id":"a","n":1}')))).toEqual({ value: { id: 'a', n: 1 }, format: 'json' });
    expect(renderPlain(bytes(Buffer.from('plain words')))).toEqual({ value: 'plain words', format: 'string' });
    expect(renderPlain(new Uint8Array([0xff, 0xfe, 0x00]))).toEqual({ value: '//4A', format: 'base64' });
    expect(renderPlain(null)).toEqual({ value: null, format: 'null' });
  });

  it('shows a string as it is and anything else as indented JSON', () => {
    expect(valueText('x')).toBe('x');
    expect(valueText({ a: 1 })).toBe('{\n  "a": 1\n}');
  });

  it(`takes 1 to ${PREVIEW_MAX_LIMIT} records, ${PREVIEW_DEFAULT_LIMIT} by default; anything else is refused naming limit`, () => {
    expect(parsePreviewLimit(undefined)).toBe(PREVIEW_DEFAULT_LIMIT);
    expect(parsePreviewLimit('1')).toBe(1);
    expect(parsePreviewLimit(String(PREVIEW_MAX_LIMIT))).toBe(PREVIEW_MAX_LIMIT);
    for (const bad of [String(PREVIEW_MAX_LIMIT + 1), '0', '-1', '2.5', 'ten'])
      expect(fieldErrorsOf(() => parsePreviewLimit(bad))).toHaveProperty('limit');
  });
});

describe('Topics a task names', () => {
  it('matches names exactly: a topic is not found inside a longer name', () => {
    expect(configUsesTopic({ topic: 'stock2' }, 'stock')).toBe(false);
    expect(configUsesTopic({ topic: 'stock' }, 'stock')).toBe(true);
    expect(configUsesTopic({ topic_in: 'stocks' }, 'stock')).toBe(false);
  });

  it('counts every name of a comma list, in every key that names topics', () => {
    expect(topicsOfConfig({ topics: 'a, b ,c' })).toEqual(['a', 'b', 'c']);
    expect(
      topicsOfConfig({
        topic_in: 'in1,in2',
        topic_out: 'out',
        stream_back_topic: 'back',
        'errors.deadletterqueue.topic.name': 'dlq',
        errors_deadletterqueue_topic_name: 'dlq2',
        'tasks.max': '1',
      }),
    ).toEqual(['in1', 'in2', 'out', 'back', 'dlq', 'dlq2']);
    expect(configUsesTopic({ topics: 'x,orders,y' }, 'orders')).toBe(true);
  });

  it("finds the topics of a SQL script's tables in their 'topic' options", () => {
    const sql = `CREATE TABLE a (x INT) WITH ('connector' = 'kafka', 'topic' = 'words');
      CREATE TABLE b (x INT) WITH ('connector'='kafka','topic'='loud;louder');`;
    expect(topicsOfConfig({ trans_sql: sql })).toEqual(['words', 'loud', 'louder']);
  });

  it('refuses a name Kafka would not take, naming id', () => {
    expect(parseTopicName('orders.v2')).toBe('orders.v2');
    expect(fieldErrorsOf(() => parseTopicName('no spaces'))).toHaveProperty('id');
  });
});
