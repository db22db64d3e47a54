import { z } from 'zod';
import { rowsPager, parseListQuery, parsePageQuery } from '../../src/api/list-protocol';
import {
  histRowSchema,
  logRowSchema,
  previewRowSchema,
  schemaRowSchema,
  statusHistorySchema,
  taskSchema,
  topicPartitionSchema,
} from '../../src/api/openapi/response-schemas';
import { TOPIC_PARTITION_ROW_SHAPE } from '../../src/api/routes/topics';
import { compareSortValues, RowShape, sortPathOf, sortValueOf } from '../../src/domain/list-sort';
import { LOG_ROW_SHAPE } from '../../src/domain/log-lines';
import { HIST_ROW_SHAPE } from '../../src/domain/metadata';
import { PREVIEW_ROW_SHAPE } from '../../src/domain/record-preview';
import { SCHEMA_ROW_SHAPE } from '../../src/domain/schema';
import { SecretKeys } from '../../src/domain/secrets';
import { normaliseTaskListQuery, TASK_ROW_SHAPE } from '../../src/domain/task-query';
import { storedSortPath } from '../../src/repository/task-reads';
import { STATUS_HISTORY_ROW_SHAPE } from '../../src/repository/status-history-repository';
import { fieldErrorsOf } from '../support/field-errors';

/** Every field path of a documented row: objects' keys dotted, records and unknowns as their own field. */
function documentedFields(schema: z.ZodType, prefix = ''): { fields: string[]; maps: string[]; open: string[] } {
  const out = { fields: [] as string[], maps: [] as string[], open: [] as string[] };
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable) inner = inner.unwrap() as z.ZodType;
  if (inner instanceof z.ZodObject) {
    for (const [key, value] of Object.entries(inner.shape as Record<string, z.ZodType>)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const nested = documentedFields(value, path);
      out.fields.push(path, ...nested.fields);
      out.maps.push(...nested.maps);
      out.open.push(...nested.open);
    }
  } else if (inner instanceof z.ZodRecord) out.maps.push(prefix);
  else if (inner instanceof z.ZodUnknown) out.open.push(prefix);
  return out;
}

describe('_sort: any field a list row can have', () => {
  it.each([
    ['task', TASK_ROW_SHAPE, taskSchema],
    ['schema', SCHEMA_ROW_SHAPE, schemaRowSchema],
    ['hist', HIST_ROW_SHAPE, histRowSchema],
    ['status history', STATUS_HISTORY_ROW_SHAPE, statusHistorySchema],
    ['topic partition', TOPIC_PARTITION_ROW_SHAPE, topicPartitionSchema],
    ['topic record preview', PREVIEW_ROW_SHAPE, previewRowSchema],
    ['log', LOG_ROW_SHAPE, logRowSchema],
  ] as [string, RowShape, z.ZodType][])(
    'knows every field of a %s row the API documents, and no other',
    (_, shape, schema) => {
      const documented = documentedFields(schema);
      expect([...shape.fields].sort()).toEqual([...documented.fields].sort());
      expect([...(shape.maps ?? [])].sort()).toEqual(documented.maps.sort());
      expect([...(shape.open ?? [])].sort()).toEqual(documented.open.sort());
    },
  );

  it('finds nested fields: a key of a map (dots in it included), a path into a value of any shape', () => {
    expect(sortPathOf(TASK_ROW_SHAPE, 'lastOperation.type')).toEqual({
      kind: 'field',
      field: 'lastOperation.type',
      path: ['lastOperation', 'type'],
    });
    expect(sortPathOf(TASK_ROW_SHAPE, 'connectorConfig.tasks.max')).toEqual({
      kind: 'map',
      field: 'connectorConfig.tasks.max',
      map: 'connectorConfig',
      key: 'tasks.max',
    });
    expect(sortPathOf(SCHEMA_ROW_SHAPE, 'schema.name')).toMatchObject({ kind: 'open', path: ['schema', 'name'] });
  });

  it('refuses a field no row can have', () => {
    for (const field of ['nope', 'connectorConfig.', 'name.first', 'schema..name', 'configConnector.topic'])
      expect(sortPathOf(field.startsWith('schema') ? SCHEMA_ROW_SHAPE : TASK_ROW_SHAPE, field)).toBeUndefined();
  });

  it('sorts by id where a field holds an object or a list (the store and memory would order those differently)', () => {
    expect(sortPathOf(TASK_ROW_SHAPE, 'connectorConfig')).toMatchObject({ kind: 'field', path: ['id'] });
    expect(storedSortPath('lastOperation')).toBe('_id');
  });

  it("reads a config key in either spelling of '.' and '_'", () => {
    const task = { connectorConfig: { 'tasks.max': '2', topic_in: 'a' } };
    const at = (field: string) => {
      const path = sortPathOf(TASK_ROW_SHAPE, field);
      if (!path) throw new Error(`no path ${field}`);
      return sortValueOf(task, path);
    };
    expect(at('connectorConfig.tasks.max')).toBe('2');
    expect(at('connectorConfig.tasks_max')).toBe('2');
    expect(at('connectorConfig.topic_in')).toBe('a');
    expect(at('connectorConfig.topic.in')).toBe('a');
    expect(at('connectorConfig.nope')).toBeUndefined();
  });

  it("sorts in the store by the stored path: _id, encoded config keys, the original's core keys as Kafka Connect's", () => {
    expect(storedSortPath('id')).toBe('_id');
    expect(storedSortPath('restarts.lastAttemptAt')).toBe('restarts.lastAttemptAt');
    expect(storedSortPath('connectorConfig.topic_in')).toBe('connectorConfig.topic_in');
    expect(storedSortPath('connectorConfig.tasks.max')).toBe('connectorConfig.tasks%2Emax');
    expect(storedSortPath('connectorConfig.tasks_max')).toBe('connectorConfig.tasks%2Emax');
    expect(fieldErrorsOf(() => storedSortPath('nope'))).toEqual({
      sort: [expect.stringMatching(/^no row has a field nope;/)],
    });
  });

  it('orders missing values first, then numbers, text, other values; numbers as numbers', () => {
    const values = ['b', 10, { a: 1 }, 'a', 9, true, null];
    expect([...values].sort((x, y) => compareSortValues(x, y))).toEqual([null, 9, 10, 'a', 'b', { a: 1 }, true]);
    expect(compareSortValues(undefined, '')).toBeLessThan(0);
    expect(compareSortValues(undefined, null)).toBe(0);
  });
});

describe('the list protocol with _sort', () => {
  it('takes a nested task field, and answers 400 naming an unknown one', () => {
    expect(parseListQuery({ _sort: ['connectorConfig.topic_in'] }).sort).toBe('connectorConfig.topic_in');
    expect(parseListQuery({ _sortField: ['restarts.attempts'] }).sort).toBe('restarts.attempts');
    expect(fieldErrorsOf(() => parseListQuery({ _sort: ['nope'] }))).toEqual({
      _sort: [expect.stringMatching(/^no row has a field nope; sortable: id, taskSeq, name/)],
    });
    expect(Object.keys(fieldErrorsOf(() => parseListQuery({ _sortField: ['nope'] })))).toEqual(['_sortField']);
  });

  it('sorts by id instead of a secret config key: its masked values would tell by their order', () => {
    const secrets = new SecretKeys();
    expect(parseListQuery({ _sort: ['connectorConfig.connection.password'] }, undefined, secrets).sort).toBe('id');
    expect(parseListQuery({ _sort: ['connectorConfig.topic'] }, undefined, secrets).sort).toBe('connectorConfig.topic');
  });

  it('checks a query given to the list workflow (CLI) the same way', () => {
    expect(normaliseTaskListQuery({ sort: 'connectorConfig.topic_in' }).sort).toBe('connectorConfig.topic_in');
    expect(fieldErrorsOf(() => normaliseTaskListQuery({ sort: 'nope' }))).toEqual({
      sort: [expect.stringMatching(/no row has a field nope/)],
    });
  });

  it('sorts rows held in memory by a nested path, missing values first', () => {
    const rows = [
      { id: 'b', schema: { name: 'Zeta', type: 'record' } },
      { id: 'a', schema: { name: 'alpha', type: 'record' } },
      { id: 'c', schema: { type: 'string' } },
    ];
    const page = (params: Record<string, string[]>) =>
      rowsPager(params, { shape: SCHEMA_ROW_SHAPE, searchable: ['id'], defaultSort: 'id' })(rows).items.map(
        (r) => r.id,
      );
    expect(page({ _sort: ['schema.name'], _order: ['ASC'] })).toEqual(['c', 'a', 'b']);
    expect(page({ _sort: ['schema.name'], _order: ['DESC'] })).toEqual(['b', 'a', 'c']);
    expect(() => page({ _sort: ['subject.name'] })).toThrow(/invalid list query/);
  });

  it('sorts a history by another of its fields when asked, by time (newest first) when not', () => {
    expect(parsePageQuery({}, 100, STATUS_HISTORY_ROW_SHAPE)).toMatchObject({ sort: 'at', order: 'DESC' });
    expect(parsePageQuery({ _sort: ['event'] }, 100, STATUS_HISTORY_ROW_SHAPE)).toMatchObject({
      sort: 'event',
      order: 'ASC',
    });
    expect(fieldErrorsOf(() => parsePageQuery({ _sort: ['when'] }, 100, STATUS_HISTORY_ROW_SHAPE))).toEqual({
      _sort: [expect.stringMatching(/no row has a field when/)],
    });
  });
});
