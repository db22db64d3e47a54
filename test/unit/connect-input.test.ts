import { fakeIdSuffix } from '../support/fake-id-suffix';
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
      parseConnectAdd(
        {
          name: 'Orders File',
          connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
          connectorCategory: 'source',
          taskSeq: 2,
          connectorConfig: { tasks_max: 1, topics: ['a', 'b'], file_overwrite: true },
        },
        fakeIdSuffix,
      ),
    ).toEqual({
      id: 'orders-file-0123456789abcdef',
      taskSeq: '2',
      name: 'Orders File',
      description: '',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: {
        'tasks.max': '1',
        topics: 'a,b',
        file_overwrite: 'true',
        name: 'orders-file-0123456789abcdef',
        cuid: 'orders-file-0123456789abcdef',
      },
      keySpelling: 'underscore',
    });
  });

  it("names the connector by the given id, else by the config's name, else by one made from the display name", () => {
    expect(parseConnectAdd({ id: 'given', name: 'X', connectorType: 'CONNECT_SINK_FlatFile' }, fakeIdSuffix).id).toBe(
      'given',
    );
    expect(
      parseConnectAdd(
        { name: 'X', connectorType: 'CONNECT_SINK_FlatFile', connectorConfig: { name: 'from-config' } },
        fakeIdSuffix,
      ).id,
    ).toBe('from-config');
    expect(parseConnectAdd({ name: '  Über Sink #1 ', connectorType: 'CONNECT_SINK_FlatFile' }, fakeIdSuffix).id).toBe(
      'ber-sink-1-0123456789abcdef',
    );
    // Names may repeat: the suffix makes the id unique, and a name with nothing URL-safe still gets one.
    expect(parseConnectAdd({ name: '東京', connectorType: 'CONNECT_SINK_FlatFile' }, fakeIdSuffix).id).toBe(
      'connect-0123456789abcdef',
    );
    expect(
      fields(() =>
        parseConnectAdd(
          { name: 'X', connectorType: 'CONNECT_SINK_FlatFile', connectorConfig: { name: 'not a name' } },
          fakeIdSuffix,
        ),
      ),
    ).toEqual({ 'connectorConfig.name': [expect.stringMatching(/letters, digits/)] });
  });

  it('is the same after a second pass (the workflow validates again what the API validated)', () => {
    const once = parseConnectAdd(
      {
        name: 'A b',
        connectorType: 'CONNECT_SINK_FlatFile',
        connectorConfig: { tasks_max: 3 },
      },
      fakeIdSuffix,
    );
    expect(parseConnectAdd(once, fakeIdSuffix)).toEqual(once);
  });

  it('lists every bad field at once', () => {
    expect(
      fields(() => parseConnectAdd({ id: 'bad id!', connectorConfig: { a: { b: 1 }, c: null } }, fakeIdSuffix)),
    ).toEqual({
      id: [expect.stringMatching(/letters, digits/)],
      name: ['required: a display name'],
      'connectorConfig.a': ['expected a string, number, boolean or a list of them'],
      'connectorConfig.c': ['expected a string, number, boolean or a list of them'],
    });
  });

  it('needs a type or a class, and a type of the CONNECT category', () => {
    expect(fields(() => parseConnectAdd({ name: 'x' }, fakeIdSuffix))).toHaveProperty('connectorType');
    expect(
      fields(() => parseConnectAdd({ name: 'x', connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A' }, fakeIdSuffix)),
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
