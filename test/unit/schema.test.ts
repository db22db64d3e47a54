import { diffAvroRecords } from '../../src/domain/avro-diff';
import {
  filterSubjects,
  isInternalSubject,
  parseSchemaAdd,
  parseSchemaUpdate,
  parseSubjectFilter,
} from '../../src/domain/schema';
import { rowsPager } from '../../src/api/list-protocol';
import { fieldErrorsOf as fields } from '../support/field-errors';

describe('Avro record diff', () => {
  const v1 = {
    type: 'record',
    name: 'R',
    fields: [
      { name: 'a', type: 'string' },
      { name: 'b', type: 'int', default: 0 },
      { name: 'c', type: 'long' },
    ],
  };
  it('names fields added, removed, retyped and with a changed default', () => {
    const v2 = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'b', type: 'long', default: 1 },
        { name: 'a', type: 'string' },
        { name: 'd', type: ['null', 'string'], default: null },
      ],
    };
    expect(diffAvroRecords(v1, v2)).toEqual([
      { field: 'b', change: 'type', from: 'int', to: 'long' },
      { field: 'b', change: 'default', from: 0, to: 1 },
      { field: 'd', change: 'added', to: { type: ['null', 'string'], default: null } },
      { field: 'c', change: 'removed', from: { type: 'long' } },
    ]);
  });
  it('finds nothing between a record and itself, and refuses what is not a record', () => {
    expect(diffAvroRecords(v1, v1)).toEqual([]);
    expect(() => diffAvroRecords('string', v1)).toThrow(/older version is not an Avro record/);
  });
});

describe('schema input', () => {
  it("takes the original UI's body: subject from id, schema object, unnamed record named after the subject, DF's replication", () => {
    expect(
      parseSchemaAdd({ id: 'orders-1', schema: { type: 'record', fields: [] }, compatibility: 'FULL', partitions: 2 }),
    ).toEqual({
      subject: 'orders-1',
      schema: '{"type":"record","fields":[],"name":"orders_1"}',
      schemaType: 'AVRO',
      compatibility: 'FULL',
      partitions: 2,
    });
  });
  it("keeps a replication factor the body gives; without one the topic gets DF's (DF_TOPIC_REPLICATION)", () => {
    expect(parseSchemaAdd({ subject: 's', schema: 'string', replicationFactor: 3 }).replicationFactor).toBe(3);
    expect(parseSchemaAdd({ subject: 's', schema: 'string' })).not.toHaveProperty('replicationFactor');
  });
  it('keeps PROTOBUF text as given and a bare Avro primitive as JSON', () => {
    expect(parseSchemaAdd({ subject: 's', schemaType: 'PROTOBUF', schema: 'syntax = "proto3";' }).schema).toBe(
      'syntax = "proto3";',
    );
    expect(parseSchemaAdd({ subject: 's', schema: 'string' }).schema).toBe('"string"');
  });
  it('names each bad field', () => {
    expect(
      fields(() =>
        parseSchemaAdd({ subject: 'a/b', schema: 5, schemaType: 'XML', compatibility: 'SOME', partitions: 0 }),
      ),
    ).toEqual({
      subject: [expect.stringMatching(/Kafka topic name/)],
      schema: ['expected the schema as a JSON object or a string'],
      schemaType: ['expected one of AVRO, JSON, PROTOBUF'],
      compatibility: [expect.stringMatching(/expected one of NONE, BACKWARD/)],
      partitions: [expect.any(String)],
    });
    expect(fields(() => parseSchemaUpdate('s', {}))).toEqual({ schema: ['required unless compatibility is given'] });
  });
});

describe('paging rows held in memory (json-server protocol)', () => {
  type Row = { id: string; version: number };
  const rows: Row[] = Array.from({ length: 30 }, (_, i) => ({ id: `s${String(i).padStart(2, '0')}`, version: i % 4 }));
  it('sorts, searches and pages, totalling the matches', () => {
    expect(
      rowsPager<Row>(
        { _sort: ['version'], _order: ['DESC'], _start: ['0'], _end: ['3'] },
        { shape: { fields: ['id', 'version'] }, searchable: ['id'], defaultSort: 'id' },
      )(rows).items.map((r) => r.version),
    ).toEqual([3, 3, 3]);
    const found = rowsPager<Row>(
      { q: ['S1'], _page: ['2'], _perPage: ['4'] },
      { shape: { fields: ['id'] }, searchable: ['id'], defaultSort: 'id' },
    )(rows);
    expect(found).toEqual({
      total: 10,
      items: [
        { id: 's14', version: 2 },
        { id: 's15', version: 3 },
        { id: 's16', version: 0 },
        { id: 's17', version: 1 },
      ],
    });
  });
  it('refuses an unknown sort field', () => {
    expect(() =>
      rowsPager<Row>({ _sort: ['secret'] }, { shape: { fields: ['id'] }, searchable: ['id'], defaultSort: 'id' })(rows),
    ).toThrow(/invalid list query/);
  });
});

describe('The topic list of GET /schema', () => {
  const rows = ['orders', 'orders-value', 'orders-key', 'clicks-value', 'df_meta', 'df_meta-value', 'orders-keys'].map(
    (subject) => ({ subject }),
  );

  it("leaves out a listed topic's -key and -value twins and the metadata subjects, as the original did", () => {
    expect(filterSubjects(rows, 'topics', 'df_meta').map((r) => r.subject)).toEqual([
      'orders',
      // The only name its topic has in the registry: it stays.
      'clicks-value',
      'orders-keys',
    ]);
    expect(isInternalSubject('meta2-value', new Set(), 'meta2')).toBe(true);
  });

  it('lists every subject with subjects=all; topics is the default; anything else is refused naming subjects', () => {
    expect(filterSubjects(rows, 'all', 'df_meta')).toEqual(rows);
    expect(parseSubjectFilter(undefined)).toBe('topics');
    expect(parseSubjectFilter('all')).toBe('all');
    expect(fields(() => parseSubjectFilter('internal'))).toHaveProperty('subjects');
  });
});
