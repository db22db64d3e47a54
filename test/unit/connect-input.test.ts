import {
  actionOfStatusVerb,
  parseConnectAdd,
  parseConnectUpdate,
  parseConnectUpdateInput,
} from '../../src/domain/connect-input';
import { fieldErrorsOf as fields } from '../support/field-errors';

describe('connect add input', () => {
  it("takes the original UI's body: values become strings, lists are joined, the category is derived", () => {
    expect(
      parseConnectAdd({
        name: 'Orders File',
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorCategory: 'source',
        taskSeq: 2,
        connectorConfig: { tasks_max: 1, topics: ['a', 'b'], file_overwrite: true },
      }),
    ).toEqual({
      id: 'orders-file',
      taskSeq: '2',
      name: 'Orders File',
      description: '',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: {
        'tasks.max': '1',
        topics: 'a,b',
        file_overwrite: 'true',
        name: 'orders-file',
        cuid: 'orders-file',
      },
      keySpelling: 'underscore',
    });
  });

  it("names the connector by the given id, else by the config's name, else by the display name", () => {
    expect(parseConnectAdd({ id: 'given', name: 'X', connectorType: 'CONNECT_SINK_FlatFile' }).id).toBe('given');
    expect(
      parseConnectAdd({ name: 'X', connectorType: 'CONNECT_SINK_FlatFile', connectorConfig: { name: 'from-config' } })
        .id,
    ).toBe('from-config');
    expect(parseConnectAdd({ name: '  Über Sink #1 ', connectorType: 'CONNECT_SINK_FlatFile' }).id).toBe('ber-sink-1');
  });

  it('is the same after a second pass (the workflow validates again what the API validated)', () => {
    const once = parseConnectAdd({
      name: 'A b',
      connectorType: 'CONNECT_SINK_FlatFile',
      connectorConfig: { tasks_max: 3 },
    });
    expect(parseConnectAdd(once)).toEqual(once);
  });

  it('lists every bad field at once', () => {
    expect(fields(() => parseConnectAdd({ id: 'bad id!', connectorConfig: { a: { b: 1 }, c: null } }))).toEqual({
      id: [expect.stringMatching(/letters, digits/)],
      name: ['required: a display name'],
      'connectorConfig.a': ['expected a string, number, boolean or a list of them'],
      'connectorConfig.c': ['expected a string, number, boolean or a list of them'],
    });
  });

  it('needs a type or a class, and a type of the CONNECT category', () => {
    expect(fields(() => parseConnectAdd({ name: 'x' }))).toHaveProperty('connectorType');
    expect(
      fields(() => parseConnectAdd({ name: 'x', connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A' })),
    ).toHaveProperty('connectorType');
  });
});

describe('connect update input', () => {
  it('replaces the config on PUT and merges it on PATCH, null removing a key', () => {
    expect(parseConnectUpdate('a', { connectorConfig: { tasks_max: 2 }, status: 'RUNNING' }, 'replace')).toEqual({
      id: 'a',
      connectorConfig: { 'tasks.max': '2' },
    });
    expect(parseConnectUpdate('a', { connectorConfig: { tasks_max: 2, file: null } }, 'merge', 4)).toEqual({
      id: 'a',
      connectorConfigPatch: { 'tasks.max': '2', file: null },
      expectedRevision: 4,
    });
  });

  it('checks CLI input of connectUpdate the same way, refusing unknown fields', () => {
    expect(parseConnectUpdateInput({ id: 'a', connectorConfigPatch: { tasks_max: '3' } })).toEqual({
      id: 'a',
      connectorConfigPatch: { 'tasks.max': '3' },
    });
    expect(fields(() => parseConnectUpdateInput({ id: 'a', colour: 'red' }))).toHaveProperty(['(body)']);
  });

  it("reads the original UI's status words as actions, any case", () => {
    expect(['PAUSE', 'resume', 'Restart', 'STOP', 'RUNNING', undefined].map(actionOfStatusVerb)).toEqual([
      'pause',
      'resume',
      'restart',
      'stop',
      undefined,
      undefined,
    ]);
  });
});
