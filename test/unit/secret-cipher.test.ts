import { randomBytes } from 'node:crypto';
import { SecretKeys } from '../../src/domain/secrets';
import {
  configSealerFor,
  isSealed,
  NO_SEALING,
  SEALED_PREFIX,
  SecretCipher,
  SecretCipherError,
} from '../../src/repository/secret-cipher';
import { readTaskDoc } from '../../src/repository/task-doc';

const secretKeys = new SecretKeys();
const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const config = {
  'connection.url': 'jdbc:postgresql://db/x',
  'connection.password': 's3cret-pw',
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'api.token': '',
};

describe('secret config values at rest', () => {
  it('seals the value of every secret key, and nothing else; an empty secret stays empty', () => {
    const sealed = new SecretCipher([k1], secretKeys).seal(config);
    expect(sealed['connection.password'].startsWith(`${SEALED_PREFIX}k1:`)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain('s3cret-pw');
    expect(sealed).toMatchObject({
      'connection.url': config['connection.url'],
      'key.converter': config['key.converter'],
      'api.token': '',
    });
    expect(config['connection.password']).toBe('s3cret-pw');
  });

  it('opens what it sealed, and seals the same value differently each time', () => {
    const cipher = new SecretCipher([k1], secretKeys);
    const a = cipher.seal(config);
    const b = cipher.seal(config);
    expect(a['connection.password']).not.toBe(b['connection.password']);
    expect(cipher.open(a)).toEqual(config);
  });

  it('leaves a value already sealed as it is, and reads a secret still in clear as it is', () => {
    const cipher = new SecretCipher([k1], secretKeys);
    const sealed = cipher.seal(config);
    expect(cipher.seal(sealed)).toBe(sealed);
    expect(cipher.open(config)).toBe(config);
    expect(cipher.hasClearSecret(config)).toBe(true);
    expect(cipher.hasClearSecret(sealed)).toBe(false);
  });

  it('rotates as the payload keys do: the first key seals, every key opens', () => {
    const old = new SecretCipher([k1], secretKeys).seal(config);
    const rotated = new SecretCipher([k2, k1], secretKeys);
    expect(rotated.open(old)).toEqual(config);
    expect(rotated.seal(config)['connection.password'].startsWith(`${SEALED_PREFIX}k2:`)).toBe(true);
    expect(() => new SecretCipher([k2], secretKeys).open(old)).toThrow(
      new SecretCipherError('connection.password is sealed with key "k1", which DF_PAYLOAD_KEY does not hold'),
    );
  });

  it('does not open a sealed value moved under another key, or altered', () => {
    const cipher = new SecretCipher([k1], secretKeys);
    const sealed = cipher.seal(config)['connection.password'];
    expect(() => cipher.open({ 'ssl.key.password': sealed })).toThrow(SecretCipherError);
    const altered = sealed.slice(0, -4) + (sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(() => cipher.open({ 'connection.password': altered })).toThrow(SecretCipherError);
  });

  it('without a key seals nothing, and does not pass a sealed value off as clear', () => {
    expect(configSealerFor([], secretKeys)).toBe(NO_SEALING);
    expect(NO_SEALING.seal(config)).toBe(config);
    const sealed = new SecretCipher([k1], secretKeys).seal(config);
    expect(() => NO_SEALING.open(sealed)).toThrow(SecretCipherError);
    expect(isSealed(sealed['connection.password'])).toBe(true);
  });

  it('a stored task whose secret cannot be opened reads as unreadable, naming the key', () => {
    const sealed = new SecretCipher([k1], secretKeys).seal(config);
    const doc = {
      _id: 't',
      revision: 1,
      connectorType: 'CONNECT_SINK_KAFKA_JDBC',
      connectorCategory: 'CONNECT',
      connectorConfig: sealed,
    };
    const read = readTaskDoc(doc, new SecretCipher([k2], secretKeys));
    expect(read).toEqual({
      ok: false,
      unreadable: {
        id: 't',
        problems: ['connectorConfig.connection.password is sealed with key "k1", which DF_PAYLOAD_KEY does not hold'],
      },
    });
    const opened = readTaskDoc(doc, new SecretCipher([k2, k1], secretKeys));
    expect(opened.ok && opened.task.connectorConfig).toEqual(config);
  });
});
