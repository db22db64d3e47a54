import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, unnamedTokenName } from '../../src/config';
import { makeTestPki, TestPki } from '../support/test-pki';

const DEV = { DF_DEV_MODE: 'true' };

function errorOf(body: () => unknown): ConfigError {
  try {
    body();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** One set of certificates (made by openssl) for every spec here; files the specs write go beside them. */
let pki: TestPki;
const file = (name: string, content: string) => {
  const at = path.join(pki.dir, name);
  fs.writeFileSync(at, content);
  return at;
};
beforeAll(() => {
  pki = makeTestPki();
});
afterAll(() => pki.remove());

describe('settings of secured services', () => {
  it('leaves every service plaintext and without credentials by default', () => {
    const config = loadConfig(DEV);
    expect(config.serviceSecurity).toEqual({ kafkaConnect: {}, flink: {}, flinkSqlGateway: {}, schemaRegistry: {} });
    expect(config.mongo).toEqual({ url: 'mongodb://127.0.0.1:27017/?directConnection=true', db: 'DEFAULT_DB' });
  });

  it.each([
    ['KAFKA_CONNECT', 'kafkaConnect'],
    ['FLINK', 'flink'],
    ['FLINK_SQL_GATEWAY', 'flinkSqlGateway'],
    ['SCHEMA_REGISTRY', 'schemaRegistry'],
  ] as const)('gives %s a CA, a client certificate and basic auth, or a token', (prefix, service) => {
    const config = loadConfig({
      ...DEV,
      [`${prefix}_URL`]: 'https://svc.example.com:8443',
      [`${prefix}_TLS_CA_FILE`]: pki.ca,
      [`${prefix}_TLS_CERT_FILE`]: pki.clientCert,
      [`${prefix}_TLS_KEY_FILE`]: pki.clientKey,
      [`${prefix}_USERNAME`]: 'df',
      [`${prefix}_PASSWORD`]: 'pw',
    });
    expect(config.serviceSecurity[service]).toEqual({
      caFile: pki.ca,
      certFile: pki.clientCert,
      keyFile: pki.clientKey,
      auth: { username: 'df', password: 'pw' },
    });
    const withToken = loadConfig({ ...DEV, [`${prefix}_TOKEN`]: 'tok' });
    expect(withToken.serviceSecurity[service]).toEqual({ auth: { token: 'tok' } });
    expect(Object.values(withToken.serviceSecurity).filter((a) => a.auth)).toHaveLength(1);
  });

  it.each([
    [{ KAFKA_CONNECT_USERNAME: 'df' }, 'KAFKA_CONNECT_USERNAME', 'needs KAFKA_CONNECT_PASSWORD'],
    [{ FLINK_PASSWORD: 'pw' }, 'FLINK_PASSWORD', 'needs FLINK_USERNAME'],
    [
      { SCHEMA_REGISTRY_USERNAME: 'df', SCHEMA_REGISTRY_PASSWORD: 'pw', SCHEMA_REGISTRY_TOKEN: 'tok' },
      'SCHEMA_REGISTRY_TOKEN',
      'not both',
    ],
  ])('refuses credentials that do not go together: %j', (env, variable, reason) => {
    const error = errorOf(() => loadConfig({ ...DEV, ...env }));
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(reason);
    expect(error.message).not.toMatch(/\bpw\b|\btok\b/);
  });

  it('refuses TLS files for a service reached over http', () => {
    const error = errorOf(() => loadConfig({ ...DEV, FLINK_SQL_GATEWAY_TLS_CA_FILE: pki.ca }));
    expect(error.variable).toBe('FLINK_SQL_GATEWAY_TLS_CA_FILE');
    expect(error.message).toContain('applies to an https:// FLINK_SQL_GATEWAY_URL only');
  });

  it('refuses a client certificate without its key, and a key without its certificate', () => {
    const https = { KAFKA_CONNECT_URL: 'https://connect:8083' };
    expect(errorOf(() => loadConfig({ ...DEV, ...https, KAFKA_CONNECT_TLS_CERT_FILE: pki.clientCert }))).toMatchObject({
      variable: 'KAFKA_CONNECT_TLS_CERT_FILE',
    });
    expect(errorOf(() => loadConfig({ ...DEV, ...https, KAFKA_CONNECT_TLS_KEY_FILE: pki.clientKey }))).toMatchObject({
      variable: 'KAFKA_CONNECT_TLS_KEY_FILE',
    });
  });

  it('refuses a TLS file that is missing, not PEM, of the wrong kind or an encrypted key, naming the variable', () => {
    const https = { SCHEMA_REGISTRY_URL: 'https://registry:8081' };
    const encrypted = file(
      'encrypted.key',
      '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n',
    );
    const cases: [Record<string, string>, string, string][] = [
      [{ SCHEMA_REGISTRY_TLS_CA_FILE: path.join(pki.dir, 'absent.pem') }, 'SCHEMA_REGISTRY_TLS_CA_FILE', 'ENOENT'],
      [{ SCHEMA_REGISTRY_TLS_CA_FILE: pki.notPem }, 'SCHEMA_REGISTRY_TLS_CA_FILE', 'holding a certificate'],
      [
        { SCHEMA_REGISTRY_TLS_CERT_FILE: pki.clientKey, SCHEMA_REGISTRY_TLS_KEY_FILE: pki.clientKey },
        'SCHEMA_REGISTRY_TLS_CERT_FILE',
        'holding a certificate',
      ],
      [
        { SCHEMA_REGISTRY_TLS_CERT_FILE: pki.clientCert, SCHEMA_REGISTRY_TLS_KEY_FILE: encrypted },
        'SCHEMA_REGISTRY_TLS_KEY_FILE',
        'encrypted',
      ],
      [{ MONGO_TLS_CERT_KEY_FILE: pki.clientCert }, 'MONGO_TLS_CERT_KEY_FILE', 'certificate and private key'],
    ];
    for (const [env, variable, reason] of cases) {
      const error = errorOf(() => loadConfig({ ...DEV, ...https, ...env }));
      expect([variable, error.message]).toEqual([variable, expect.stringContaining(reason)]);
      expect(error.variable).toBe(variable);
    }
  });

  it.each([
    'mongodb+srv://df:p%40ss@cluster0.abcde.mongodb.net/?retryWrites=true&w=majority',
    'mongodb://df:pw@h1:27017,h2:27017,h3:27017/df?replicaSet=rs0&tls=true&authSource=admin',
    'mongodb://h1:27017/?tls=true&tlsAllowInvalidHostnames=false&authMechanism=SCRAM-SHA-256',
  ])('takes any URL the MongoDB driver takes: %s', (url) => {
    expect(loadConfig({ ...DEV, MONGO_URL: url }).mongo.url).toBe(url);
  });

  it("hands the store's TLS files to its client, and refuses them with a URL that turns TLS off", () => {
    const config = loadConfig({ ...DEV, MONGO_TLS_CA_FILE: pki.ca, MONGO_TLS_CERT_KEY_FILE: pki.clientCertKey });
    expect(config.mongo).toMatchObject({ tlsCaFile: pki.ca, tlsCertificateKeyFile: pki.clientCertKey });
    const error = errorOf(() =>
      loadConfig({ ...DEV, MONGO_URL: 'mongodb://h:27017/?tls=false', MONGO_TLS_CA_FILE: pki.ca }),
    );
    expect(error.variable).toBe('MONGO_TLS_CA_FILE');
  });
});

describe('secrets from files (NAME_FILE)', () => {
  it("reads a secret from the file NAME_FILE names, less the file's final line break", () => {
    const key = `k1:${randomBytes(32).toString('base64')}`;
    const config = loadConfig({
      DF_PAYLOAD_KEY_FILE: file('payload-key', `${key}\n`),
      DF_API_TOKENS_FILE: file('api-tokens', 'a-token-of-16-chars-or-more:admin\r\n'),
      KAFKA_CONNECT_USERNAME: 'df',
      KAFKA_CONNECT_PASSWORD_FILE: file('connect-password', 'pw with trailing space \n'),
      SCHEMA_REGISTRY_TOKEN_FILE: file('registry-token', 'tok'),
    });
    expect(config.payloadKeys).toHaveLength(1);
    expect(config.api.tokens).toEqual([
      { token: 'a-token-of-16-chars-or-more', role: 'admin', name: unnamedTokenName('a-token-of-16-chars-or-more') },
    ]);
    expect(config.serviceSecurity.schemaRegistry.auth).toEqual({ token: 'tok' });
    // A password is taken as the file holds it, spaces included: only the final line break goes.
    expect(config.serviceSecurity.kafkaConnect.auth).toEqual({ username: 'df', password: 'pw with trailing space ' });
  });

  it('reads a store URL with credentials from MONGO_URL_FILE, and masks its password in an error', () => {
    const url = 'mongodb://df:s3cret-pw@db.example.com:27017/?tls=true&authSource=admin';
    expect(loadConfig({ ...DEV, MONGO_URL_FILE: file('mongo-url', `${url}\n`) }).mongo.url).toBe(url);
    const error = errorOf(() =>
      loadConfig({ ...DEV, MONGO_URL_FILE: file('bad-url', 'postgres://df:s3cret-pw@db\n') }),
    );
    expect(error.variable).toBe('MONGO_URL');
    expect(error.message).not.toContain('s3cret-pw');
  });

  it('refuses NAME and NAME_FILE both set, naming both', () => {
    const error = errorOf(() =>
      loadConfig({ ...DEV, FLINK_TOKEN: 'tok', FLINK_TOKEN_FILE: file('flink-token', 'tok\n') }),
    );
    expect(error.variable).toBe('FLINK_TOKEN');
    expect(error.message).toContain('both FLINK_TOKEN and FLINK_TOKEN_FILE are set');
  });

  it('refuses a NAME_FILE that cannot be read, naming the variable and not any content', () => {
    const error = errorOf(() => loadConfig({ ...DEV, DF_API_TOKENS_FILE: path.join(pki.dir, 'absent') }));
    expect(error.variable).toBe('DF_API_TOKENS');
    expect(error.message).toContain('DF_API_TOKENS_FILE names a file that cannot be read (ENOENT)');
  });

  it('reads NAME_FILE only for secrets and URLs with credentials', () => {
    expect(loadConfig({ ...DEV, DF_PORT_FILE: file('port', '9999\n') }).port).toBe(8080);
  });
});
