import { randomBytes } from 'node:crypto';
import { Config, ConfigError, ENV_DEFAULTS, ENV_NAMES, loadConfig, readSettings, SETTINGS } from '../../src/config';

const KEY = `k1:${randomBytes(32).toString('base64')}`;

function errorOf(body: () => unknown): string {
  try {
    body();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return '(no error)';
}

describe('config from the environment', () => {
  it('points at the local stack in dev mode when nothing else is set', () => {
    const config = loadConfig({ DF_DEV_MODE: 'true' });
    expect(config.devMode).toBe(true);
    expect(config.payloadKeys).toEqual([]);
    expect(config.temporal).toMatchObject({
      address: '127.0.0.1:7233',
      namespace: 'default',
      taskQueue: 'datafibers',
      uiUrl: 'http://127.0.0.1:8233',
      connection: { address: '127.0.0.1:7233' },
      security: { tls: false, auth: 'none' },
    });
    expect(config.temporal.connection.tls).toBeUndefined();
    expect(config.mongo).toEqual({ url: ENV_DEFAULTS.MONGO_URL, db: 'DEFAULT_DB' });
    expect(config.kafkaConnectUrl).toBe('http://127.0.0.1:8083');
    expect(config.schemaRegistryUrl).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
    expect(config.flinkUrl).toBe('http://127.0.0.1:8082');
    expect(config.flinkSqlGatewayUrl).toBe('http://127.0.0.1:8084');
    expect(config.kafkaBrokers).toEqual(['127.0.0.1:9092']);
    expect(config.port).toBe(8080);
    expect(config.syncWaitMs).toBe(10000);
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_NAMESPACE: 'pipelines',
      DF_TASK_QUEUE: 'df-eu',
      TEMPORAL_UI_URL: 'http://ui.example:8080/',
      MONGO_URL: 'mongodb://mongo:27017',
      MONGO_DB: 'df',
      KAFKA_CONNECT_URL: 'http://connect:8083/',
      SCHEMA_REGISTRY_URL: 'https://registry.example/apis/ccompat/v7',
      FLINK_URL: 'http://jobmanager:8081',
      FLINK_SQL_GATEWAY_URL: 'http://gateway:8083',
      KAFKA_BROKERS: 'k1:9092, k2:9092',
      DF_PORT: '9000',
      DF_SYNC_WAIT_MS: '2500',
      DF_PAYLOAD_KEY: KEY,
    });
    expect(config.devMode).toBe(false);
    expect(config.payloadKeys.map((k) => k.id)).toEqual(['k1']);
    expect(config.temporal).toMatchObject({
      address: 'temporal:7233',
      namespace: 'pipelines',
      taskQueue: 'df-eu',
      uiUrl: 'http://ui.example:8080',
      connection: { address: 'temporal:7233' },
    });
    expect(config.mongo).toEqual({ url: 'mongodb://mongo:27017', db: 'df' });
    expect(config.kafkaConnectUrl).toBe('http://connect:8083');
    expect(config.schemaRegistryUrl).toBe('https://registry.example/apis/ccompat/v7');
    expect(config.kafkaBrokers).toEqual(['k1:9092', 'k2:9092']);
    expect(config.port).toBe(9000);
    expect(config.syncWaitMs).toBe(2500);
  });

  it.each([
    ['DF_PORT', 'eighty'],
    ['DF_PORT', '70000'],
    ['TEMPORAL_ADDRESS', 'http://127.0.0.1:7233'],
    ['MONGO_URL', 'postgres://db'],
    ['MONGO_DB', 'a.b'],
    ['KAFKA_CONNECT_URL', 'connect:8083'],
    ['SCHEMA_REGISTRY_URL', 'ftp://registry'],
    ['KAFKA_BROKERS', 'broker-without-port'],
    ['DF_SYNC_WAIT_MS', '-1'],
    ['DF_TASK_QUEUE', 'has space'],
    ['DF_DEV_MODE', 'yes'],
    ['DF_LOG_LEVEL', 'verbose'],
    ['DF_TEMPORAL_LOG_LEVEL', 'warn'],
  ])('refuses a malformed %s (%s), naming the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid environment variable ${variable}: `));
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DF_PORT: '', DF_PAYLOAD_KEY: KEY }).port).toBe(8080);
  });

  it('refuses to start without DF_PAYLOAD_KEY unless in dev mode, naming the variable and the way out', () => {
    for (const env of [{}, { DF_DEV_MODE: 'false' }, { DF_PAYLOAD_KEY: '', DF_DEV_MODE: '' }]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
      expect(() => loadConfig(env)).toThrow(
        /^Invalid environment variable DF_PAYLOAD_KEY: required: .*DF_DEV_MODE=true/,
      );
    }
    expect(loadConfig({ DF_PAYLOAD_KEY: KEY }).devMode).toBe(false);
    expect(loadConfig({ DF_DEV_MODE: 'true' }).devMode).toBe(true);
    expect(loadConfig({ DF_DEV_MODE: 'true', DF_PAYLOAD_KEY: KEY }).payloadKeys).toHaveLength(1);
  });

  it('reads the log levels with the rest: pino levels for DF, Temporal levels for its SDK', () => {
    expect(loadConfig({ DF_DEV_MODE: 'true' })).toMatchObject({ logLevel: 'info', temporalLogLevel: 'WARN' });
    expect(loadConfig({ DF_DEV_MODE: 'true', DF_LOG_LEVEL: 'debug', DF_TEMPORAL_LOG_LEVEL: 'INFO' })).toMatchObject({
      logLevel: 'debug',
      temporalLogLevel: 'INFO',
    });
  });
});

describe('the settings table', () => {
  it('has a default every parser takes and a one-line description for every variable', () => {
    for (const variable of ENV_NAMES) {
      const row = SETTINGS[variable];
      expect([variable, row.parser.safeParse(row.default).success]).toEqual([variable, true]);
      expect([variable, row.description]).toEqual([variable, expect.stringMatching(/^[^\n]+$/)]);
      expect(ENV_DEFAULTS[variable]).toBe(row.default);
    }
  });

  it('never echoes the value of a secret setting in an error', () => {
    const secrets = ENV_NAMES.filter((variable) => 'secret' in SETTINGS[variable]);
    const services = ['FLINK', 'FLINK_SQL_GATEWAY', 'KAFKA_CONNECT', 'SCHEMA_REGISTRY'];
    expect(secrets.sort()).toEqual(
      [
        'DF_API_TOKENS',
        'DF_PAYLOAD_KEY',
        'KAFKA_SASL_PASSWORD',
        'TEMPORAL_API_KEY',
        'TEMPORAL_TLS_CLIENT_KEY_DATA',
        ...services.flatMap((s) => [`${s}_PASSWORD`, `${s}_TOKEN`]),
      ].sort(),
    );
    // Malformed, with the secret part (a token, a key, a password) spelling hunter2.
    const malformed: Record<string, string> = {
      DF_API_TOKENS: 'hunter2-hunter2-hunter2:superuser',
      DF_PAYLOAD_KEY: 'k9:hunter2hunter2',
      TEMPORAL_API_KEY: 'hunter2 hunter2',
      TEMPORAL_TLS_CLIENT_KEY_DATA: 'hunter2hunter2',
      KAFKA_SASL_PASSWORD: 'hunter2\n',
      ...Object.fromEntries(
        services.flatMap((s) => [
          [`${s}_PASSWORD`, 'hunter2\nline'],
          [`${s}_TOKEN`, 'hunter2\nline'],
        ]),
      ),
    };
    for (const variable of secrets) {
      const message = errorOf(() => loadConfig({ DF_DEV_MODE: 'true', [variable]: malformed[variable] }));
      expect(message).toMatch(
        new RegExp(`^Invalid environment variable ${variable}: .*\\(got \\(value withheld: it holds secrets\\)\\)$`),
      );
      expect(message).not.toContain('hunter2');
    }
  });

  it("types each config field by its variable's parser, so a value cannot land in a field of another type", () => {
    const settings = readSettings({ DF_DEV_MODE: 'true' });
    const port: Config['port'] = settings.DF_PORT;
    // @ts-expect-error DF_HOST parses to a string, and the port is a number.
    const hostAsPort: Config['port'] = settings.DF_HOST;
    expect([typeof port, typeof hostAsPort]).toEqual(['number', 'string']);
  });
});

describe("Flink's access to a secured registry", () => {
  it('gives the avro-confluent format the credentials the registry asks of DF', () => {
    const basic = loadConfig({
      DF_DEV_MODE: 'true',
      SCHEMA_REGISTRY_USERNAME: 'df',
      SCHEMA_REGISTRY_PASSWORD: 'hunter2',
    });
    expect(basic.transforms.flinkRegistryAccess).toEqual({ userInfo: 'df:hunter2' });
    const bearer = loadConfig({ DF_DEV_MODE: 'true', SCHEMA_REGISTRY_TOKEN: 't0ken' });
    expect(bearer.transforms.flinkRegistryAccess).toEqual({ bearerToken: 't0ken' });
  });

  it('adds nothing for an open registry', () => {
    expect(loadConfig({ DF_DEV_MODE: 'true' }).transforms.flinkRegistryAccess).toBeUndefined();
  });
});

describe('Log store settings', () => {
  it('keep 10000 task log lines for 24 hours unless told otherwise', () => {
    expect(loadConfig({ DF_DEV_MODE: 'true' }).logStore).toEqual({ maxLines: 10000, maxAgeMs: 86_400_000 });
    expect(loadConfig({ DF_DEV_MODE: 'true', DF_LOG_STORE_LINES: '0', DF_LOG_STORE_AGE: '30m' }).logStore).toEqual({
      maxLines: 0,
      maxAgeMs: 1_800_000,
    });
  });

  it.each([
    ['DF_LOG_STORE_LINES', '-1'],
    ['DF_LOG_STORE_LINES', 'many'],
    ['DF_LOG_STORE_AGE', '10s'],
    ['DF_LOG_STORE_AGE', 'a day'],
  ])('refuses a malformed %s (%s), naming the variable', (variable, value) => {
    expect(() => loadConfig({ DF_DEV_MODE: 'true', [variable]: value })).toThrow(
      new RegExp(`^Invalid environment variable ${variable}: `),
    );
  });
});
