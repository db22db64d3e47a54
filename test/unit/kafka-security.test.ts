import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { metadataSinkConfig } from '../../src/domain/metadata';
import {
  flinkKafkaSecurityOptions,
  flinkRegistryOptions,
  jaasConfig,
  KafkaSecurity,
  maskSqlOptionSecrets,
  plainKafkaFailure,
} from '../../src/domain/kafka-security';
import { SECRET_MASK, SecretKeys } from '../../src/domain/secrets';
import { planSqlJob } from '../../src/domain/transform-plan';
import { kafkajsSecurity } from '../../src/ras/kafka';
import { statementFailure } from '../../src/ras/sql-gateway';

const KEY = `k1:${randomBytes(32).toString('base64')}`;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'df-kafka-sec-'));
const CA = path.join(dir, 'ca.pem');
const CERT = path.join(dir, 'client.pem');
const KEY_FILE = path.join(dir, 'client.key');
fs.writeFileSync(CA, '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n');
fs.writeFileSync(CERT, '-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n');
fs.writeFileSync(KEY_FILE, '-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const config = (env: Record<string, string>) => loadConfig({ DF_PAYLOAD_KEY: KEY, ...env });

describe('Kafka security settings', () => {
  it('is plaintext unless told otherwise, the same for DF and for Flink', () => {
    const c = config({});
    expect(c.kafkaSecurity).toEqual({ protocol: 'PLAINTEXT', tls: {} });
    expect(c.transforms.kafkaSecurity).toEqual(c.kafkaSecurity);
  });

  it('reads SASL_SSL with SCRAM and a CA', () => {
    const c = config({
      KAFKA_SECURITY_PROTOCOL: 'SASL_SSL',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'df',
      KAFKA_SASL_PASSWORD: 's3cret',
      KAFKA_TLS_CA_FILE: CA,
    });
    expect(c.kafkaSecurity).toEqual({
      protocol: 'SASL_SSL',
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'df', password: 's3cret' },
      tls: { caFile: CA },
    });
  });

  it.each([
    [{ KAFKA_SECURITY_PROTOCOL: 'TLS' }, 'KAFKA_SECURITY_PROTOCOL', 'expected one of PLAINTEXT, SSL'],
    [{ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL' }, 'KAFKA_SASL_MECHANISM', 'required with KAFKA_SECURITY_PROTOCOL=SASL_SSL'],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_MECHANISM: 'GSSAPI' },
      'KAFKA_SASL_MECHANISM',
      'expected one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512',
    ],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_MECHANISM: 'PLAIN' },
      'KAFKA_SASL_USERNAME',
      'required with KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT',
    ],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SASL_PLAINTEXT', KAFKA_SASL_MECHANISM: 'PLAIN', KAFKA_SASL_USERNAME: 'df' },
      'KAFKA_SASL_PASSWORD',
      'required with KAFKA_SASL_USERNAME',
    ],
    [{ KAFKA_SASL_MECHANISM: 'PLAIN' }, 'KAFKA_SASL_MECHANISM', 'not PLAINTEXT'],
    [{ KAFKA_TLS_CA_FILE: CA }, 'KAFKA_TLS_CA_FILE', 'only used with KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL'],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_TLS_CA_FILE: path.join(dir, 'missing.pem') },
      'KAFKA_TLS_CA_FILE',
      'cannot read',
    ],
    [
      { KAFKA_SECURITY_PROTOCOL: 'SSL', KAFKA_TLS_CERT_FILE: CERT },
      'KAFKA_TLS_KEY_FILE',
      'required with KAFKA_TLS_CERT_FILE',
    ],
  ])('refuses %j, naming %s', (env, variable, reason) => {
    expect(() => config(env)).toThrow(`Invalid environment variable ${variable}: `);
    expect(() => config(env)).toThrow(reason);
  });

  it('never echoes the SASL password in a refusal', () => {
    const refusal = () =>
      config({ KAFKA_SECURITY_PROTOCOL: 'SASL_SSL', KAFKA_SASL_USERNAME: 'df', KAFKA_SASL_PASSWORD: 'hunter2' });
    expect(refusal).toThrow('KAFKA_SASL_MECHANISM');
    expect(refusal).not.toThrow('hunter2');
  });
});

describe("DF's own Kafka client", () => {
  it('connects in plaintext with neither ssl nor sasl', () => {
    expect(kafkajsSecurity({ protocol: 'PLAINTEXT', tls: {} })).toEqual({});
  });

  it('passes the CA, client certificate and SCRAM credentials to kafkajs', () => {
    const security: KafkaSecurity = {
      protocol: 'SASL_SSL',
      sasl: { mechanism: 'SCRAM-SHA-256', username: 'df', password: 'p' },
      tls: { caFile: CA, certFile: CERT, keyFile: KEY_FILE },
    };
    expect(kafkajsSecurity(security)).toEqual({
      ssl: {
        ca: fs.readFileSync(CA, 'utf8'),
        cert: fs.readFileSync(CERT, 'utf8'),
        key: fs.readFileSync(KEY_FILE, 'utf8'),
      },
      sasl: { mechanism: 'scram-sha-256', username: 'df', password: 'p' },
    });
  });

  it("trusts Node's CAs over SSL when no CA file is given", () => {
    expect(kafkajsSecurity({ protocol: 'SSL', tls: {} })).toEqual({ ssl: true });
  });
});

describe("a Kafka connection failure in plain words (kafkajs's texts, as a secured broker gave them)", () => {
  it.each([
    [
      'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
      'SASL_SSL',
      /^SASL authentication failed \(KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SASL_MECHANISM\): /,
    ],
    [
      'Connection error: unable to verify the first certificate',
      'SASL_SSL',
      /^TLS: certificate signed by an unknown authority \(KAFKA_TLS_CA_FILE\): /,
    ],
    [
      'Connection error: 806C:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:SSL alert number 42',
      'SSL',
      /^TLS: the broker refused DF's client certificate \(KAFKA_TLS_CERT_FILE, KAFKA_TLS_KEY_FILE\): /,
    ],
    [
      'Closed connection',
      'PLAINTEXT',
      /^the broker closed the connection: its listener may require TLS or SASL \(KAFKA_SECURITY_PROTOCOL=PLAINTEXT\)/,
    ],
    [
      'Closed connection',
      'SSL',
      /^the broker closed the connection: its listener may require SASL \(KAFKA_SECURITY_PROTOCOL=SSL\): Closed connection$/,
    ],
    ['Closed connection', 'SASL_SSL', /^Closed connection$/],
    [
      'Connection error: connect ECONNREFUSED 127.0.0.1:9092',
      'SASL_SSL',
      /^connection refused: nothing listens at that address \(KAFKA_BROKERS\): Connection error: connect ECONNREFUSED/,
    ],
    [
      'Connection error: getaddrinfo ENOTFOUND kafka.invalid',
      'PLAINTEXT',
      /^host name not found \(KAFKA_BROKERS\): Connection error: getaddrinfo ENOTFOUND/,
    ],
  ] as const)('%s', (message, protocol, plain) => {
    expect(plainKafkaFailure(message, protocol)).toMatch(plain);
  });
});

describe('Kafka security in the Flink tables DF declares', () => {
  const sasl = { username: 'df', password: 'p"w\\d' };
  const tls = { ca: 'CA-PEM', cert: 'CERT-PEM', key: 'KEY-PEM' };

  it('adds nothing for PLAINTEXT', () => {
    expect(flinkKafkaSecurityOptions({ protocol: 'PLAINTEXT', tls: {} }, tls)).toEqual({});
  });

  it.each([
    ['PLAIN', 'org.apache.flink.kafka.shaded.org.apache.kafka.common.security.plain.PlainLoginModule'],
    ['SCRAM-SHA-256', 'org.apache.flink.kafka.shaded.org.apache.kafka.common.security.scram.ScramLoginModule'],
    ['SCRAM-SHA-512', 'org.apache.flink.kafka.shaded.org.apache.kafka.common.security.scram.ScramLoginModule'],
  ] as const)(
    'SASL_PLAINTEXT with %s names the relocated login module of the SQL connector jar',
    (mechanism, module) => {
      expect(
        flinkKafkaSecurityOptions({ protocol: 'SASL_PLAINTEXT', sasl: { mechanism, ...sasl }, tls: {} }, tls),
      ).toEqual({
        'properties.security.protocol': 'SASL_PLAINTEXT',
        'properties.sasl.mechanism': mechanism,
        'properties.sasl.jaas.config': `${module} required username="df" password="p\\"w\\\\d";`,
      });
    },
  );

  it('SASL_SSL adds the CA and the client certificate as inline PEM', () => {
    expect(
      flinkKafkaSecurityOptions(
        { protocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-512', ...sasl }, tls: { caFile: 'x' } },
        tls,
      ),
    ).toMatchObject({
      'properties.security.protocol': 'SASL_SSL',
      'properties.sasl.mechanism': 'SCRAM-SHA-512',
      'properties.ssl.truststore.type': 'PEM',
      'properties.ssl.truststore.certificates': 'CA-PEM',
      'properties.ssl.keystore.type': 'PEM',
      'properties.ssl.keystore.certificate.chain': 'CERT-PEM',
      'properties.ssl.keystore.key': 'KEY-PEM',
    });
  });

  it('SSL without a CA file trusts the JVM default truststore', () => {
    expect(flinkKafkaSecurityOptions({ protocol: 'SSL', tls: {} }, {})).toEqual({
      'properties.security.protocol': 'SSL',
    });
  });

  it('reaches every Kafka table of an SQLA2A plan, sources and sink', () => {
    const plan = planSqlJob(
      'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      { topic_in: 'in', topic_out: 'out', trans_sql: 'SELECT * FROM `in`', format: 'json' },
      {
        taskId: 't',
        env: {
          kafkaBrokers: 'k:9093',
          schemaRegistryUrl: 'http://sr',
          kafka: { security: { protocol: 'SASL_SSL', sasl: { mechanism: 'PLAIN', ...sasl }, tls: {} }, tls },
        },
        sourceColumns: { in: 'id STRING' },
      },
    );
    expect(plan.declarations[0]).toContain(
      "'properties.bootstrap.servers' = 'k:9093', 'properties.security.protocol' = 'SASL_SSL', 'properties.sasl.mechanism' = 'PLAIN'",
    );
    expect(plan.sink?.options).toMatchObject({
      'properties.security.protocol': 'SASL_SSL',
      'properties.sasl.jaas.config': expect.stringContaining('PlainLoginModule required username="df"'),
    });
  });

  it('reaches the bounded sources of a batch plan', () => {
    const plan = planSqlJob(
      'TRANSFORM_BATCH_FLINK_SQL',
      { topic_in: 'in', trans_sql: 'SELECT 1', format: 'avro-confluent' },
      {
        taskId: 't',
        env: {
          kafkaBrokers: 'k:9093',
          schemaRegistryUrl: 'https://sr',
          kafka: { security: { protocol: 'SSL', tls: {} }, tls },
        },
        sourceColumns: { in: 'id STRING' },
        resultPath: 'file:///r',
      },
    );
    expect(plan.declarations[0]).toContain("'properties.security.protocol' = 'SSL'");
    expect(plan.declarations[0]).toContain("'properties.ssl.truststore.certificates' = 'CA-PEM'");
  });
});

describe('registry access in the avro-confluent format', () => {
  it('adds nothing for an open registry', () => {
    expect(flinkRegistryOptions(undefined)).toEqual({});
    expect(flinkRegistryOptions({})).toEqual({});
  });

  it('takes basic auth as USER_INFO and a CA as a PEM truststore', () => {
    expect(flinkRegistryOptions({ userInfo: 'u:p', caFile: '/etc/df/registry-ca.pem' })).toEqual({
      'avro-confluent.basic-auth.credentials-source': 'USER_INFO',
      'avro-confluent.basic-auth.user-info': 'u:p',
      'avro-confluent.ssl.truststore.location': '/etc/df/registry-ca.pem',
      'avro-confluent.properties.schema.registry.ssl.truststore.type': 'PEM',
    });
  });

  it('takes a bearer token as a static token', () => {
    expect(flinkRegistryOptions({ bearerToken: 't' })).toEqual({
      'avro-confluent.bearer-auth.credentials-source': 'STATIC_TOKEN',
      'avro-confluent.bearer-auth.token': 't',
    });
  });

  it('follows the format in a plan', () => {
    const plan = planSqlJob(
      'TRANSFORM_BATCH_FLINK_SQL',
      { topic_in: 'in', trans_sql: 'SELECT 1', format: 'avro-confluent' },
      {
        taskId: 't',
        env: { kafkaBrokers: 'k:9092', schemaRegistryUrl: 'https://sr', registry: { userInfo: 'u:p' } },
        sourceColumns: { in: 'id STRING' },
        resultPath: 'file:///r',
      },
    );
    expect(plan.declarations[0]).toContain("'avro-confluent.basic-auth.user-info' = 'u:p'");
  });
});

describe('secrets of the Kafka and registry settings', () => {
  const ddl =
    "CREATE TEMPORARY TABLE `in` (id STRING) WITH ('connector' = 'kafka', 'properties.sasl.jaas.config' = '" +
    jaasConfig({ mechanism: 'PLAIN', username: 'df', password: 'hunter2' }).replace(/'/g, "''") +
    "', 'properties.ssl.keystore.key' = 'KEYPEM', 'avro-confluent.basic-auth.user-info' = 'u:hunter2', 'topic' = 'in')";

  it('are masked in a statement an error shows, the other options kept', () => {
    const shown = maskSqlOptionSecrets(ddl);
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('KEYPEM');
    expect(shown).toContain("'properties.sasl.jaas.config' = '********'");
    expect(shown).toContain("'topic' = 'in'");
  });

  it("never reach a refused statement's error, nor Flink's own list of the table's options", () => {
    const error = statementFailure(ddl, [
      'Internal server error.',
      "Caused by: org.apache.flink.table.api.ValidationException: Unable to create a source for reading table 'in'. Table options are: 'properties.sasl.jaas.config'='x password=\"hunter2\";'\n\tat x",
    ]);
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('hunter2');
  });

  it('the JAAS key is secret in any config an answer shows', () => {
    expect(new SecretKeys().isSecret('properties.sasl.jaas.config')).toBe(true);
    expect(new SecretKeys().isSecret('sasl.jaas.config')).toBe(true);
  });

  it('the metadata sink takes the store as Connect reaches it, TLS and credentials included', () => {
    const url = 'mongodb+srv://df:hunter2@cluster0.example.net/?tls=true&authSource=admin&replicaSet=rs0';
    const c = config({ CONNECT_MONGO_URL: url });
    const sink = metadataSinkConfig({
      topic: 'df_meta',
      mongoUrl: c.metadata.connectMongoUrl,
      database: 'db',
      collection: 'df_meta',
    });
    expect(sink['connection.uri']).toBe(url);
    expect(new SecretKeys().maskConfig(sink)['connection.uri']).toBe(
      'mongodb+srv://df:***@cluster0.example.net/?tls=true&authSource=admin&replicaSet=rs0',
    );
  });

  it("the metadata sink takes a reference Kafka Connect resolves itself, so the store's password stays out of its config", () => {
    const reference = '${file:/etc/connect/store.properties:connection.uri}';
    const c = config({ CONNECT_MONGO_URL: reference, MONGO_URL: 'mongodb://df:hunter2@127.0.0.1:27017/' });
    const sink = metadataSinkConfig({
      topic: 'df_meta',
      mongoUrl: c.metadata.connectMongoUrl,
      database: 'db',
      collection: 'df_meta',
    });
    expect(sink['connection.uri']).toBe(reference);
    expect(() => config({ CONNECT_MONGO_URL: 'http://mongo:27017' })).toThrow(
      'CONNECT_MONGO_URL: expected a mongodb:// or mongodb+srv:// connection string, or a reference such as ${file:/path:key}',
    );
    expect(() => config({ CONNECT_MONGO_URL: '${file:}' })).toThrow('CONNECT_MONGO_URL');
  });

  it("a connection string's password is masked in answers, and kept when the answer is sent back", () => {
    const secrets = new SecretKeys();
    const stored = { 'connection.uri': 'mongodb://df:hunter2@mongo:27017/?tls=true', topics: 'df_meta' };
    const shown = secrets.maskConfig(stored);
    expect(shown).toEqual({ 'connection.uri': 'mongodb://df:***@mongo:27017/?tls=true', topics: 'df_meta' });
    expect(secrets.keepSecrets(stored, { ...shown, topics: 'df_meta2' })).toEqual({
      'connection.uri': 'mongodb://df:hunter2@mongo:27017/?tls=true',
      topics: 'df_meta2',
    });
    expect(secrets.keepSecrets(stored, { 'connection.uri': 'mongodb://df:new@mongo' })).toEqual({
      'connection.uri': 'mongodb://df:new@mongo',
    });
    expect(SECRET_MASK).toBe('********');
  });
});
