import { normaliseCoreKeys, resolveLegacyKeys, sameConfig } from '../../src/domain/connect-config';
import { decodeKey, decodeMap, encodeKey, encodeMap } from '../../src/repository/key-encoding';

describe('connector config keys', () => {
  const known = new Set(['name', 'connector.class', 'tasks.max', 'file', 'topic', 'batch.size', 'errors.tolerance']);

  it('renames the original UI\'s "_" keys to the dotted keys Kafka Connect defines', () => {
    expect(resolveLegacyKeys({ batch_size: '10', errors_tolerance: 'all', file: '/f' }, known)).toEqual({
      config: { 'batch.size': '10', 'errors.tolerance': 'all', file: '/f' },
      renamed: { batch_size: 'batch.size', errors_tolerance: 'errors.tolerance' },
    });
  });

  it('keeps a key that really contains "_" when Connect knows no dotted twin (mongodb_database stays)', () => {
    expect(resolveLegacyKeys({ mongodb_database: 'db', my_custom_key: 'x' }, known).config).toEqual({
      mongodb_database: 'db',
      my_custom_key: 'x',
    });
  });

  it('renames keys under dynamic prefixes (transforms, converters, overrides)', () => {
    expect(
      resolveLegacyKeys({ transforms_route_type: 'T', value_converter_schemas_enable: 'false' }, known).config,
    ).toEqual({
      'transforms.route.type': 'T',
      'value.converter.schemas.enable': 'false',
    });
  });

  it('never drops one of two spellings left with different values: it refuses them, naming the key', () => {
    expect(resolveLegacyKeys({ batch_size: '2', 'batch.size': '2' }, known).config).toEqual({ 'batch.size': '2' });
    expect(() => resolveLegacyKeys({ batch_size: '1', 'batch.size': '2' }, known)).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        details: {
          fields: { 'connectorConfig.batch.size': ['given as "batch_size" and "batch.size" with different values'] },
        },
      }),
    );
  });

  it('applies connector_class and tasks_max always; a key given both ways is left for the stored config to decide', () => {
    expect(normaliseCoreKeys({ connector_class: 'C', tasks_max: '2' })).toEqual({
      'connector.class': 'C',
      'tasks.max': '2',
    });
    expect(normaliseCoreKeys({ tasks_max: '1', 'tasks.max': '2' })).toEqual({ tasks_max: '1', 'tasks.max': '2' });
  });

  it('compares configs as Kafka Connect does: same keys and values, any order', () => {
    expect(sameConfig({ a: '1', b: '2' }, { b: '2', a: '1' })).toBe(true);
    expect(sameConfig({ a: '1' }, { a: '1', b: '2' })).toBe(false);
    expect(sameConfig({ a: '1' }, { a: '2' })).toBe(false);
  });
});

describe('config keys in the store', () => {
  it.each(['tasks.max', '$weird', 'a%2Eb', '100%', 'plain', 'transforms.a.$type', '%24'])(
    'round-trips %s exactly',
    (key) => {
      const stored = encodeKey(key);
      expect(stored).not.toMatch(/[.$]/);
      expect(decodeKey(stored)).toBe(key);
    },
  );

  it('round-trips a whole map, values untouched', () => {
    const config = { 'connector.class': 'x.Y', 'a%b.c': 'v.w', $x: '$y' };
    expect(decodeMap(encodeMap(config))).toEqual(config);
  });
});
