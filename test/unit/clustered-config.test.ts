import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { topicCreation } from '../../src/domain/topic-settings';

const DEV = { DF_DEV_MODE: 'true' };

function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig({ ...DEV, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('KAFKA_CONNECT_URL and SCHEMA_REGISTRY_URL as lists of URLs', () => {
  it('reads comma-separated URLs in order, the first as the one DF starts with', () => {
    const config = loadConfig({
      ...DEV,
      KAFKA_CONNECT_URL: 'http://connect-1:8083/, http://connect-2:8083',
      SCHEMA_REGISTRY_URL: 'http://sr-1:8081,http://sr-2:8081',
    });
    expect(config.kafkaConnectUrls).toEqual(['http://connect-1:8083', 'http://connect-2:8083']);
    expect(config.kafkaConnectUrl).toBe('http://connect-1:8083');
    expect(config.schemaRegistryUrls).toEqual(['http://sr-1:8081', 'http://sr-2:8081']);
    expect(config.schemaRegistryUrl).toBe('http://sr-1:8081');
  });

  it('reads one URL as a list of one', () => {
    expect(loadConfig(DEV).kafkaConnectUrls).toEqual(['http://127.0.0.1:8083']);
  });

  it.each([
    ['KAFKA_CONNECT_URL', 'http://connect-1:8083,connect-2:8083', 'entry "connect-2:8083" is not an http(s) URL'],
    ['KAFKA_CONNECT_URL', 'http://connect-1:8083,,http://connect-2:8083', 'an entry of the list is empty'],
    ['KAFKA_CONNECT_URL', 'http://connect-1:8083,http://connect-1:8083/', 'is listed twice'],
    ['SCHEMA_REGISTRY_URL', 'http://sr-1:8081,ftp://sr-2', 'entry "ftp://sr-2" is not an http(s) URL'],
  ])('refuses %s=%s, naming the variable and the bad entry', (variable, value, reason) => {
    const error = configErrorOf({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toContain(reason);
  });

  it('keeps credentials in an entry out of the error', () => {
    const error = configErrorOf({ SCHEMA_REGISTRY_URL: 'https://u:secret@sr-1,sr-2' });
    expect(error.message).toContain('entry "sr-2"');
    expect(error.message).not.toContain('secret');
  });

  it('refuses TLS files when any of the URLs is plain http, naming it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'df-ca-'));
    const ca = path.join(dir, 'ca.pem');
    fs.writeFileSync(ca, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    try {
      const error = configErrorOf({
        KAFKA_CONNECT_URL: 'https://connect-1:8443,http://connect-2:8083',
        KAFKA_CONNECT_TLS_CA_FILE: ca,
      });
      expect(error.variable).toBe('KAFKA_CONNECT_TLS_CA_FILE');
      expect(error.message).toContain('"http://connect-2:8083"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("hands Flink's jobs every registry URL, and lets the reach policy allow each", () => {
    const config = loadConfig({ ...DEV, SCHEMA_REGISTRY_URL: 'http://sr-1:8081,http://sr-2:8081' });
    expect(config.transforms.flinkSchemaRegistryUrl).toBe('http://sr-1:8081,http://sr-2:8081');
    expect(config.reach.hosts).toEqual(expect.arrayContaining(['sr-1:8081', 'sr-2:8081']));
  });
});

describe('DF_TOPIC_REPLICATION and DF_TOPIC_MIN_INSYNC_REPLICAS', () => {
  it('default to replication 1 and the broker’s min.insync.replicas', () => {
    expect(loadConfig(DEV).topics).toEqual({ replicationFactor: 1 });
  });

  it('reads both', () => {
    expect(loadConfig({ ...DEV, DF_TOPIC_REPLICATION: '3', DF_TOPIC_MIN_INSYNC_REPLICAS: '2' }).topics).toEqual({
      replicationFactor: 3,
      minInsyncReplicas: 2,
    });
  });

  it.each([
    ['DF_TOPIC_REPLICATION', '0'],
    ['DF_TOPIC_REPLICATION', 'three'],
    ['DF_TOPIC_MIN_INSYNC_REPLICAS', '0'],
  ])('refuses %s=%s', (variable, value) => {
    expect(configErrorOf({ [variable]: value }).variable).toBe(variable);
  });

  it('refuses a min.insync.replicas above the replication factor', () => {
    const error = configErrorOf({ DF_TOPIC_REPLICATION: '2', DF_TOPIC_MIN_INSYNC_REPLICAS: '3' });
    expect(error.variable).toBe('DF_TOPIC_MIN_INSYNC_REPLICAS');
    expect(error.message).toContain('exceeds DF_TOPIC_REPLICATION (2)');
  });
});

describe('a topic DF creates', () => {
  it("takes the request's replication factor, else DF's default", () => {
    expect(topicCreation({ replicationFactor: 3 }, 2)).toEqual({ replicationFactor: 2, configEntries: [] });
    expect(topicCreation({ replicationFactor: 3 })).toEqual({ replicationFactor: 3, configEntries: [] });
  });

  it('carries min.insync.replicas when DF sets one', () => {
    expect(topicCreation({ replicationFactor: 3, minInsyncReplicas: 2 })).toEqual({
      replicationFactor: 3,
      configEntries: [{ name: 'min.insync.replicas', value: '2' }],
    });
  });

  it('refuses a replication factor below min.insync.replicas as bad input, naming the field', () => {
    let error: unknown;
    try {
      topicCreation({ replicationFactor: 3, minInsyncReplicas: 2 }, 1);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      httpStatus: 400,
      details: { fields: { replicationFactor: ['expected at least 2'] } },
    });
  });
});
