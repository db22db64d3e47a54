import { loadConfig } from '../../src/config';
import {
  maskConfigSecrets,
  logSecretsOf,
  redactSecrets,
  REDACTED,
  SECRET_MASK,
  SecretKeys,
} from '../../src/domain/secrets';

describe('secret config keys', () => {
  const secrets = new SecretKeys();

  it('names a key secret by any of its words: password, secret, token, credentials, jaas…', () => {
    for (const key of [
      'connection.password',
      'ssl.truststore.password',
      'sasl.jaas.config',
      'aws.secret.access.key',
      'auth.token',
      'gcs.credentials.json',
      'apiKey',
      'api_key',
      'private.key',
      'ssl.keystore.key',
      'DB_PASSWORD',
    ]) {
      expect([key, secrets.isSecret(key)]).toEqual([key, true]);
    }
  });

  it('counts "key" only as the last word, so converters and key fields stay readable', () => {
    for (const key of [
      'key.converter',
      'key.converter.schemas.enable',
      'key.ignore',
      'topic',
      'file',
      'tasks.max',
      'keystore.type',
      'passthrough',
      'tokenizer.mode',
    ]) {
      expect([key, secrets.isSecret(key)]).toEqual([key, false]);
    }
  });

  it('takes its words from DF_SECRET_KEYS, which replaces the defaults', () => {
    const custom = loadConfig({ DF_DEV_MODE: 'true', DF_SECRET_KEYS: 'pin, passphrase, id$' }).secretKeys;
    expect(custom.isSecret('card.pin')).toBe(true);
    expect(custom.isSecret('ssl.passphrase')).toBe(true);
    expect(custom.isSecret('client.id')).toBe(true);
    expect(custom.isSecret('id.prefix')).toBe(false);
    expect(custom.isSecret('connection.password')).toBe(false);
  });

  it('masks non-empty secret values and leaves the rest, and an empty secret, as they are', () => {
    expect(secrets.maskConfig({ topic: 't', 'db.password': 'hunter2', 'db.token': '' })).toEqual({
      topic: 't',
      'db.password': SECRET_MASK,
      'db.token': '',
    });
  });

  it('masks every config in an answer, at any depth, without touching the original', () => {
    const task = { id: 'a', connectorConfig: { 'db.password': 'p' }, jobConfig: { token: 't', jobId: 'j' } };
    const answer = { result: [task], name: 'password' };
    expect(maskConfigSecrets(answer, secrets)).toEqual({
      result: [
        { id: 'a', connectorConfig: { 'db.password': SECRET_MASK }, jobConfig: { token: SECRET_MASK, jobId: 'j' } },
      ],
      name: 'password',
    });
    expect(task.connectorConfig['db.password']).toBe('p');
  });

  describe('an edit keeps the stored secrets it does not re-send', () => {
    const stored = { topic: 't', 'db.password': 'hunter2', 'api.token': 'abc' };

    it('a whole new config that leaves a secret out keeps it', () => {
      expect(secrets.keepSecrets(stored, { topic: 'u' })).toEqual({
        topic: 'u',
        'db.password': 'hunter2',
        'api.token': 'abc',
      });
    });

    it('a secret sent back masked, as answers show it, keeps its value', () => {
      expect(secrets.keepSecrets(stored, { topic: 't', 'db.password': SECRET_MASK, 'api.token': 'new' })).toEqual({
        topic: 't',
        'db.password': 'hunter2',
        'api.token': 'new',
      });
    });

    it('a secret removed on purpose (PATCH null) stays removed; non-secret keys are not brought back', () => {
      expect(secrets.keepSecrets(stored, {}, ['db.password'])).toEqual({ 'api.token': 'abc' });
    });
  });

  it('log lines never carry a secret: config keys, auth headers and URL passwords', () => {
    const line = redactSecrets({
      connectorConfig: { 'db.password': 'p', topic: 't' },
      headers: { authorization: 'Bearer x' },
      url: 'mongodb://u:pw@h:1/db',
    });
    expect(line).toEqual({
      connectorConfig: { 'db.password': REDACTED, topic: 't' },
      headers: { authorization: REDACTED },
      url: 'mongodb://u:***@h:1/db',
    });
  });

  it('log lines are scrubbed of the keys DF_SECRET_KEYS names, and of auth headers whatever it says', () => {
    const policy = logSecretsOf(loadConfig({ DF_DEV_MODE: 'true', DF_SECRET_KEYS: 'pin' }).secretKeys);
    expect(redactSecrets({ 'card.pin': '1234', cookie: 'c', password: 'p' }, policy)).toEqual({
      'card.pin': REDACTED,
      cookie: REDACTED,
      password: 'p',
    });
  });
});
