import type { StringMap } from './task';

/**
 * How DF and the engines it configures authenticate to Kafka: one security protocol, SASL
 * credentials when the protocol is SASL_*, and TLS material when it is SSL or SASL_SSL. Pure: the
 * files are read elsewhere and their contents handed in.
 */

export const KAFKA_SECURITY_PROTOCOLS = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'] as const;
export type KafkaSecurityProtocol = (typeof KAFKA_SECURITY_PROTOCOLS)[number];

export const KAFKA_SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

export interface KafkaSasl {
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
}

/** PEM files, by path: the CA that signed the brokers' certificates, and a client certificate and key for mTLS. */
export interface KafkaTlsFiles {
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface KafkaSecurity {
  protocol: KafkaSecurityProtocol;
  /** Set exactly when the protocol is SASL_*. */
  sasl?: KafkaSasl;
  /** Only read when the protocol is SSL or SASL_SSL. */
  tls: KafkaTlsFiles;
}

/** The PEM texts of the TLS files, as read. */
export interface KafkaTlsMaterial {
  ca?: string;
  cert?: string;
  key?: string;
}

export const PLAINTEXT_KAFKA: KafkaSecurity = { protocol: 'PLAINTEXT', tls: {} };

export function usesTls(protocol: KafkaSecurityProtocol): boolean {
  return protocol === 'SSL' || protocol === 'SASL_SSL';
}

export function usesSasl(protocol: KafkaSecurityProtocol): boolean {
  return protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
}

/**
 * Flink's Kafka SQL connector (flink-sql-connector-kafka) relocates the Kafka client under this
 * package and does not rewrite class names in a JAAS line: the unrelocated login module is not found.
 */
export const FLINK_SHADED_KAFKA_PACKAGE = 'org.apache.flink.kafka.shaded.org.apache.kafka';

const LOGIN_MODULES: Record<KafkaSaslMechanism, string> = {
  PLAIN: 'common.security.plain.PlainLoginModule',
  'SCRAM-SHA-256': 'common.security.scram.ScramLoginModule',
  'SCRAM-SHA-512': 'common.security.scram.ScramLoginModule',
};

/** A JAAS value takes "…" strings with backslash escapes. */
function jaasString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The `sasl.jaas.config` line a Java Kafka client takes for these credentials. */
export function jaasConfig(sasl: KafkaSasl, kafkaPackage = 'org.apache.kafka'): string {
  const module = `${kafkaPackage}.${LOGIN_MODULES[sasl.mechanism]}`;
  return `${module} required username=${jaasString(sasl.username)} password=${jaasString(sasl.password)};`;
}

/**
 * The Kafka client properties of a Flink Kafka table (`properties.*`) for this security; none for
 * PLAINTEXT, so plaintext tables are declared exactly as before. The TLS material goes inline as
 * PEM text (Kafka clients >= 2.7) rather than as paths: Flink's TaskManagers then need no copy of
 * DF's files at a path of their own.
 */
export function flinkKafkaSecurityOptions(security: KafkaSecurity, tls: KafkaTlsMaterial): StringMap {
  if (security.protocol === 'PLAINTEXT') return {};
  const options: StringMap = { 'properties.security.protocol': security.protocol };
  if (security.sasl) {
    options['properties.sasl.mechanism'] = security.sasl.mechanism;
    options['properties.sasl.jaas.config'] = jaasConfig(security.sasl, FLINK_SHADED_KAFKA_PACKAGE);
  }
  if (usesTls(security.protocol)) {
    if (tls.ca) {
      options['properties.ssl.truststore.type'] = 'PEM';
      options['properties.ssl.truststore.certificates'] = tls.ca;
    }
    if (tls.cert && tls.key) {
      options['properties.ssl.keystore.type'] = 'PEM';
      options['properties.ssl.keystore.certificate.chain'] = tls.cert;
      options['properties.ssl.keystore.key'] = tls.key;
    }
  }
  return options;
}

/** How Flink's jobs authenticate to the schema registry; every field optional (an open registry needs none). */
export interface RegistryAccess {
  /** `user:password` for HTTP basic auth. */
  userInfo?: string;
  bearerToken?: string;
  /** Path of a PEM CA file, as Flink's TaskManagers see it. */
  caFile?: string;
}

/**
 * The `avro-confluent` format's registry options for this access; none for an open registry. The
 * registry client takes the truststore type only through the format's pass-through properties.
 */
export function flinkRegistryOptions(access: RegistryAccess | undefined): StringMap {
  const options: StringMap = {};
  if (!access) return options;
  if (access.userInfo) {
    options['avro-confluent.basic-auth.credentials-source'] = 'USER_INFO';
    options['avro-confluent.basic-auth.user-info'] = access.userInfo;
  } else if (access.bearerToken) {
    options['avro-confluent.bearer-auth.credentials-source'] = 'STATIC_TOKEN';
    options['avro-confluent.bearer-auth.token'] = access.bearerToken;
  }
  if (access.caFile) {
    options['avro-confluent.ssl.truststore.location'] = access.caFile;
    options['avro-confluent.properties.schema.registry.ssl.truststore.type'] = 'PEM';
  }
  return options;
}

/** Option keys whose values DF writes into SQL and must never echo (the JAAS line, keys, registry credentials). */
const SECRET_SQL_OPTION = /jaas|password|secret|user-info|token|keystore\.key$/i;

/**
 * The statement with the values of secret `'key' = 'value'` options masked, for error messages and
 * details: a refused CREATE TABLE must not hand its JAAS line back to the caller.
 */
export function maskSqlOptionSecrets(statement: string): string {
  return statement.replace(/('(?:[^']|'')*')(\s*=\s*)'(?:[^']|'')*'/g, (whole, key: string, eq: string) =>
    SECRET_SQL_OPTION.test(key.slice(1, -1)) ? `${key}${eq}'********'` : whole,
  );
}

/**
 * A Kafka client's connection failure in plain words, naming the setting to look at: the raw texts
 * ("unable to verify the first certificate", "Closed connection") do not say what is wrong.
 */
export function plainKafkaFailure(message: string, protocol: KafkaSecurityProtocol): string {
  if (/authentication failed|invalid credentials|SaslAuthentication/i.test(message)) {
    return `SASL authentication failed (KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD, KAFKA_SASL_MECHANISM): ${message}`;
  }
  if (
    /unable to verify|self[- ]signed certificate|unable to get (local )?issuer|UNABLE_TO_VERIFY|SELF_SIGNED/i.test(
      message,
    )
  ) {
    return `TLS: certificate signed by an unknown authority (KAFKA_TLS_CA_FILE): ${message}`;
  }
  if (/does not match certificate|ALTNAME_INVALID/i.test(message)) {
    return `TLS: the broker's certificate does not name the host DF connects to: ${message}`;
  }
  if (/certificate expired|CERT_HAS_EXPIRED/i.test(message))
    return `TLS: the broker's certificate has expired: ${message}`;
  if (/alert bad certificate|certificate required|alert number 4[26]|unknown ca/i.test(message)) {
    return `TLS: the broker refused DF's client certificate (KAFKA_TLS_CERT_FILE, KAFKA_TLS_KEY_FILE): ${message}`;
  }
  if (/wrong version number|packet length too long/i.test(message)) {
    return `TLS: the listener does not speak TLS (KAFKA_SECURITY_PROTOCOL=${protocol}): ${message}`;
  }
  if (/closed connection|ECONNRESET/i.test(message) && protocol !== 'SASL_SSL') {
    // A SASL_SSL listener closes on a client that skips TLS, and on one that skips the SASL login.
    const needs = protocol === 'SSL' ? 'SASL' : 'TLS or SASL';
    return `the broker closed the connection: its listener may require ${needs} (KAFKA_SECURITY_PROTOCOL=${protocol}): ${message}`;
  }
  if (/ECONNREFUSED/.test(message))
    return `connection refused: nothing listens at that address (KAFKA_BROKERS): ${message}`;
  if (/ENOTFOUND|EAI_AGAIN/.test(message)) return `host name not found (KAFKA_BROKERS): ${message}`;
  return message;
}
