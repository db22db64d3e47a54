import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { LogLevel as TemporalLogLevel } from '@temporalio/common';
import { z } from 'zod';
import { ANONYMOUS_ACTOR } from './domain/audit';
import { durationMs } from './domain/duration';
import {
  KAFKA_SASL_MECHANISMS,
  KAFKA_SECURITY_PROTOCOLS,
  type KafkaSecurity,
  type RegistryAccess,
  usesSasl,
  usesTls,
} from './domain/kafka-security';
import { hostsOf, type ReachPolicy } from './domain/reach-policy';
import type { TopicSettings } from './domain/topic-settings';
import { DEFAULT_SECRET_KEY_WORDS, maskUrlCredentials, SecretKeys, secretKeyWords } from './domain/secrets';
import { DEFAULT_TASK_QUEUE } from './protocol/workflow-ids';
import type { ServiceSecurity } from './ras/service-access';
import {
  resolveTemporalProfile,
  TemporalSettingError,
  type TemporalConnection,
  type TemporalProfile,
  type TemporalSecuritySummary,
} from './temporal/connection-config';
import { parsePayloadKeys, PayloadKeyError } from './temporal/payload-codec';

/**
 * One environment variable DataFibers reads. Its parser fixes the type of what it yields: the
 * fields of Config take their types from the parsers (SettingValue), so a value cannot land in a
 * field of another type. The configuration reference (docs/configuration-reference.md) is written
 * from these rows.
 */
export interface Setting {
  /** Used when the variable is unset or empty: the local stack's value. */
  readonly default: string;
  /** What the reference shows as the default when the value is empty or follows another variable. */
  readonly defaultMeans?: string;
  readonly parser: z.ZodType;
  /** One line for the configuration reference. */
  readonly description: string;
  /** The value holds secrets: never echoed in an error, its default never shown; also read from `NAME_FILE`. */
  readonly secret?: boolean;
  /** A connection string that may carry a password: shown with it masked; also read from `NAME_FILE`. */
  readonly holdsCredentials?: boolean;
}

/** Levels DF's logger (pino) takes. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const TEMPORAL_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const satisfies readonly TemporalLogLevel[];

const hostPort = z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:7233');
const httpUrl = z
  .string()
  .url('expected an http(s) URL')
  .refine((v) => /^https?:\/\//.test(v), 'expected an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));
/**
 * One URL, or several separated by commas: the instances of one service, any of which answers
 * every call. A bad entry is named on its own.
 */
const httpUrls = z.string().transform((value, ctx) => {
  const urls: string[] = [];
  for (const entry of value.split(',').map((e) => e.trim())) {
    const parsed = httpUrl.safeParse(entry);
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message:
          entry === ''
            ? 'an entry of the list is empty: expected http(s) URLs separated by commas'
            : `entry ${JSON.stringify(maskUrlCredentials(entry))} is not an http(s) URL`,
      });
      return z.NEVER;
    }
    if (urls.includes(parsed.data)) {
      ctx.addIssue({ code: 'custom', message: `entry ${JSON.stringify(maskUrlCredentials(entry))} is listed twice` });
      return z.NEVER;
    }
    urls.push(parsed.data);
  }
  return urls;
});
const mongoUrl = z
  .string()
  .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'expected a mongodb:// or mongodb+srv:// connection string');
/** A Kafka Connect config provider's reference, `${provider:[path:]key}`, which Connect's workers resolve. */
const connectReference = z.string().regex(/^\$\{[A-Za-z0-9_.-]+:[^{}]+\}$/);
/** What a PEM file must hold, by the labels of its blocks. */
const PEM_KINDS = {
  certificate: [/-----BEGIN CERTIFICATE-----/],
  'private key': [/-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  'certificate and private key': [/-----BEGIN CERTIFICATE-----/, /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
} as const;
/** A readable PEM file holding the kind of block it is for; '' for none. The path is kept, the file read again on use. */
const pemFile = (kind: keyof typeof PEM_KINDS) =>
  z.string().superRefine((file, ctx) => {
    if (file === '') return;
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `cannot read the file (${(error as NodeJS.ErrnoException).code})` });
      return;
    }
    if (!PEM_KINDS[kind].every((block) => block.test(text)))
      ctx.addIssue({ code: 'custom', message: `expected a PEM file holding a ${kind}` });
    else if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text))
      ctx.addIssue({ code: 'custom', message: 'the key is encrypted, and DF takes no passphrase: give it decrypted' });
  });
// Basic auth joins user and password with ":" in one header line; a token is one word.
const username = z.string().regex(/^[^:\r\n]*$/, 'expected no ":" or line breaks');
const password = z.string().regex(/^[^\r\n]*$/, 'expected no line breaks');
const token = z.string().regex(/^\S*$/, 'expected no spaces or line breaks');
const duration = z
  .string()
  .refine((v) => durationMs(v) !== undefined, 'expected a duration such as 500ms, 10s, 5m (a bare number is seconds)')
  .transform((v) => durationMs(v) as number);
const name = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, "_", "-" or "."');
const bool = z.enum(['true', 'false'], { error: 'expected true or false' }).transform((v) => v === 'true');
const integer = (min: number, max: number) => z.coerce.number().int('expected an integer').min(min).max(max);
const list = (item: z.ZodType<string, string>) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((i) => i.trim())
        .filter((i) => i.length > 0),
    )
    .pipe(z.array(item));
// Absolute directories (resolved as given: symlinks are resolved when a path is checked) or remote URI prefixes.
const pathRoot = z
  .string()
  .refine(
    (v) => v.startsWith('/') || /^[a-z][a-z0-9+.-]*:\/\/./i.test(v),
    'expected absolute directories or URI prefixes such as s3://bucket/df/',
  )
  .refine((v) => !v.split('/').includes('..'), 'a root cannot contain ".."');

// `token:role[:name],…`: a token too short to resist guessing is refused at start, as is an unknown role.
// The name is who the audit says asked; never the token itself, which the audit must not hold.
const API_TOKEN = /^([^\s:,]{16,}):(viewer|admin)(?::([A-Za-z0-9_.@-]{1,64}))?$/;
const apiToken = z
  .string()
  .trim()
  .regex(
    API_TOKEN,
    'expected token:role or token:role:name, with a token of at least 16 characters (no spaces, ":" or ","), role viewer or admin, and a name of up to 64 letters, digits, "_", "-", "." or "@"',
  )
  .refine(
    (v) => API_TOKEN.exec(v)?.[3] !== ANONYMOUS_ACTOR,
    `the name ${ANONYMOUS_ACTOR} is what the audit calls callers of an open API`,
  )
  .transform((v): ApiToken => {
    const [, token, role, name] = API_TOKEN.exec(v) as RegExpExecArray;
    return { token, role: role as ApiRole, name: name ?? unnamedTokenName(token) };
  });
const apiTokens = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t.length > 0),
  )
  .pipe(z.array(apiToken))
  .refine((tokens) => new Set(tokens.map((t) => t.token)).size === tokens.length, 'a token is listed twice')
  .refine(
    (tokens) => new Set(tokens.map((t) => t.name)).size === tokens.length,
    'two tokens have the same name: the audit could not tell their callers apart',
  );

/**
 * The name of a token listed without one: stable across restarts and processes, and telling
 * nothing of the token (six hex digits of its SHA-256 narrow nothing down for a guesser).
 */
export function unnamedTokenName(token: string): string {
  return `token-${createHash('sha256').update(token).digest('hex').slice(0, 6)}`;
}

/**
 * Every setting DataFibers reads, from environment variables, with defaults that point at the
 * local stack (`npm run stack -- up`). A malformed value stops the process at start, naming the
 * variable, instead of failing later on first use. docker-compose.yml sets the same names.
 */
export const SETTINGS = {
  // The TEMPORAL_* rows are the `temporal` CLI's variables, read with the SDK's loader
  // (@temporalio/envconfig): each overrides the same key of the profile file (TEMPORAL_CONFIG_FILE).
  TEMPORAL_ADDRESS: {
    default: '127.0.0.1:7233',
    defaultMeans: "the profile's `address`, else `127.0.0.1:7233`",
    parser: hostPort,
    description: 'Temporal frontend, host:port (Temporal Cloud: `<namespace>.<account>.tmprl.cloud:7233`)',
  },
  TEMPORAL_NAMESPACE: {
    default: 'default',
    defaultMeans: "the profile's `namespace`, else `default`",
    parser: name,
    description: 'namespace of every DF workflow',
  },
  TEMPORAL_API_KEY: {
    default: '',
    defaultMeans: "the profile's `api_key`, else none",
    parser: z.string().regex(/^\S*$/, 'expected a key without spaces or line breaks'),
    secret: true,
    description: 'API key sent to Temporal (Temporal Cloud); turns TLS on',
  },
  TEMPORAL_TLS: {
    default: '',
    defaultMeans: 'on with an API key or any `TEMPORAL_TLS_*` setting (or a `tls` table in the profile), else off',
    parser: z
      .enum(['', 'true', 'false', '1', '0'], { error: 'expected true or false' })
      .transform((v) => (v === '' ? undefined : v === 'true' || v === '1')),
    description: 'TLS to Temporal on (`true`) or off (`false`)',
  },
  TEMPORAL_TLS_SERVER_CA_CERT_PATH: {
    default: '',
    defaultMeans: "the system's trusted roots",
    parser: z.string(),
    description: "PEM file of the CA that signed Temporal's server certificate",
  },
  TEMPORAL_TLS_SERVER_CA_CERT_DATA: {
    default: '',
    parser: z.string(),
    description: 'the same CA as PEM text, instead of the file',
  },
  TEMPORAL_TLS_CLIENT_CERT_PATH: {
    default: '',
    parser: z.string(),
    description: 'PEM file of the client certificate for mTLS (with `TEMPORAL_TLS_CLIENT_KEY_PATH`)',
  },
  TEMPORAL_TLS_CLIENT_CERT_DATA: {
    default: '',
    parser: z.string(),
    description: 'the client certificate as PEM text, instead of the file',
  },
  TEMPORAL_TLS_CLIENT_KEY_PATH: {
    default: '',
    parser: z.string(),
    description: 'PEM file of the private key of the client certificate',
  },
  TEMPORAL_TLS_CLIENT_KEY_DATA: {
    default: '',
    parser: z.union([
      z.literal(''),
      z.string().regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'expected a PEM private key'),
    ]),
    secret: true,
    description: 'the private key as PEM text, instead of the file',
  },
  TEMPORAL_TLS_SERVER_NAME: {
    default: '',
    defaultMeans: 'the host of `TEMPORAL_ADDRESS`',
    parser: z.union([z.literal(''), z.string().regex(/^[A-Za-z0-9.-]+$/, 'expected a host name')]),
    description: "name the server's certificate must carry, when the address does not (an IP, a proxy)",
  },
  TEMPORAL_TLS_DISABLE_HOST_VERIFICATION: {
    default: 'false',
    parser: z
      .enum(['true', 'false', '1', '0'], { error: 'expected true or false' })
      .transform((v) => v === 'true' || v === '1'),
    description: 'refused when `true`: the SDK always checks the server name; set `TEMPORAL_TLS_SERVER_NAME` instead',
  },
  TEMPORAL_PROFILE: {
    default: '',
    defaultMeans: '`default`',
    parser: z.union([z.literal(''), name]),
    description: 'profile of the profile file to use; a name the file lacks stops DF at start',
  },
  TEMPORAL_CONFIG_FILE: {
    default: '',
    defaultMeans: '`$XDG_CONFIG_HOME/temporalio/temporal.toml` (`~/.config/…`), if present',
    parser: z.string(),
    description: "the `temporal` CLI's profile file (TOML, written by `temporal config set`)",
  },
  DF_TASK_QUEUE: { default: DEFAULT_TASK_QUEUE, parser: name, description: 'task queue the workers poll' },
  TEMPORAL_UI_URL: {
    default: '',
    defaultMeans:
      '`https://cloud.temporal.io` when `TEMPORAL_ADDRESS` is a Temporal Cloud address, else `http://127.0.0.1:8233`',
    parser: z.union([z.literal(''), httpUrl]),
    description: 'Temporal Web UI, for links to workflow runs',
  },
  MONGO_URL: {
    default: 'mongodb://127.0.0.1:27017/?directConnection=true',
    parser: mongoUrl,
    holdsCredentials: true,
    description:
      "DF's store (its task records); any URL the MongoDB driver takes (`mongodb+srv://`, `tls=true`, `authSource`, `replicaSet`)",
  },
  MONGO_DB: {
    default: 'DEFAULT_DB',
    // MongoDB forbids these characters in database names.
    parser: z.string().regex(/^[^/\\. "$*<>:|?]{1,63}$/, 'expected a MongoDB database name'),
    description: 'database name (the original DataFibers default)',
  },
  KAFKA_CONNECT_URL: {
    default: 'http://127.0.0.1:8083',
    parser: httpUrls,
    description:
      'Kafka Connect REST; several workers of one group separated by commas: DF uses one, and the next when it cannot reach it',
  },
  SCHEMA_REGISTRY_URL: {
    default: 'http://127.0.0.1:8081/apis/ccompat/v7',
    parser: httpUrls,
    description:
      "Confluent-compatible registry base URL (with Confluent's registry: its root); several instances separated by commas, as with `KAFKA_CONNECT_URL`",
  },
  FLINK_URL: { default: 'http://127.0.0.1:8082', parser: httpUrl, description: 'Flink JobManager REST' },
  FLINK_SQL_GATEWAY_URL: { default: 'http://127.0.0.1:8084', parser: httpUrl, description: 'Flink SQL Gateway REST' },
  // How DF reaches the REST services and its store when they are secured (docs/production.md).
  KAFKA_CONNECT_TLS_CA_FILE: {
    default: '',
    defaultMeans: "Node's built-in CAs",
    parser: pemFile('certificate'),
    description: "PEM file of the CA(s) Kafka Connect's https certificate chains to",
  },
  KAFKA_CONNECT_TLS_CERT_FILE: {
    default: '',
    defaultMeans: 'none',
    parser: pemFile('certificate'),
    description: 'PEM file of the client certificate DF shows Kafka Connect (mTLS), with `KAFKA_CONNECT_TLS_KEY_FILE`',
  },
  KAFKA_CONNECT_TLS_KEY_FILE: {
    default: '',
    defaultMeans: 'none',
    parser: pemFile('private key'),
    description: 'PEM file of the key of `KAFKA_CONNECT_TLS_CERT_FILE` (unencrypted)',
  },
  KAFKA_CONNECT_USERNAME: {
    default: '',
    defaultMeans: 'none',
    parser: username,
    description: 'HTTP basic auth user for Kafka Connect, with `KAFKA_CONNECT_PASSWORD`',
  },
  KAFKA_CONNECT_PASSWORD: {
    default: '',
    defaultMeans: 'none',
    parser: password,
    secret: true,
    description: 'HTTP basic auth password for Kafka Connect',
  },
  KAFKA_CONNECT_TOKEN: {
    default: '',
    defaultMeans: 'none',
    parser: token,
    secret: true,
    description: 'bearer token for Kafka Connect, instead of a user and password',
  },
  FLINK_TLS_CA_FILE: {
    default: '',
    defaultMeans: "Node's built-in CAs",
    parser: pemFile('certificate'),
    description: "PEM file of the CA(s) Flink REST's https certificate chains to",
  },
  FLINK_TLS_CERT_FILE: {
    default: '',
    defaultMeans: 'none',
    parser: pemFile('certificate'),
    description: 'PEM file of the client certificate DF shows Flink REST (mTLS), with `FLINK_TLS_KEY_FILE`',
  },
  FLINK_TLS_KEY_FILE: {
    default: '',
    defaultMeans: 'none',
    parser: pemFile('private key'),
    description: 'PEM file of the key of `FLINK_TLS_CERT_FILE` (unencrypted)',
  },
  FLINK_USERNAME: {
    default: '',
    defaultMeans: 'none',
    parser: username,
    description: 'HTTP basic auth user for Flink REST, with `FLINK_PASSWORD`',
  },
  FLINK_PASSWORD: {
    default: '',
    defaultMeans: 'none',
    parser: password,
    secret: true,
    description: 'HTTP basic auth password for Flink REST',
  },
  FLINK_TOKEN: {
    default: '',
    defaultMeans: 'none',
    parser: token,
    secret: true,
    description: 'bearer token for Flink REST, instead of a user and password',
  },
  FLINK_SQL_GATEWAY_TLS_CA_FILE: {
    default: '',
    defaultMeans: "Node's built-in CAs",
    parser: pemFile('certificate'),
    description: "PEM file of the CA(s) the SQL Gateway's https certificate chains to",
  },
  FLINK_SQL_GATEWAY_TLS_CERT_FILE: {
    default: '',
    defaultMeans: 'none',
    parser: pemFile('certificate'),
    description:
      'PEM file of the client certificate DF shows the SQL Gateway (mTLS), with `FLINK_SQL_GATEWAY_TLS_KEY_FILE`',
  },
  FLINK_SQL_GATEWAY_TLS_KEY_FILE: {
    default: '',
    defaultMeans: 'none',
    parser: pemFile('private key'),
    description: 'PEM file of the key of `FLINK_SQL_GATEWAY_TLS_CERT_FILE` (unencrypted)',
  },
  FLINK_SQL_GATEWAY_USERNAME: {
    default: '',
    defaultMeans: 'none',
    parser: username,
    description: 'HTTP basic auth user for the SQL Gateway, with `FLINK_SQL_GATEWAY_PASSWORD`',
  },
  FLINK_SQL_GATEWAY_PASSWORD: {
    default: '',
    defaultMeans: 'none',
    parser: password,
    secret: true,
    description: 'HTTP basic auth password for the SQL Gateway',
  },
  FLINK_SQL_GATEWAY_TOKEN: {
    default: '',
    defaultMeans: 'none',
    parser: token,
    secret: true,
    description: 'bearer token for the SQL Gateway, instead of a user and password',
  },
  SCHEMA_REGISTRY_TLS_CA_FILE: {
    default: '',
    defaultMeans: "Node's built-in CAs",
    parser: pemFile('certificate'),
    description: "PEM file of the CA(s) the registry's https certificate chains to",
  },
  SCHEMA_REGISTRY_TLS_CERT_FILE: {
    default: '',
    defaultMeans: 'none',
    parser: pemFile('certificate'),
    description: 'PEM file of the client certificate DF shows the registry (mTLS), with `SCHEMA_REGISTRY_TLS_KEY_FILE`',
  },
  SCHEMA_REGISTRY_TLS_KEY_FILE: {
    default: '',
    defaultMeans: 'none',
    parser: pemFile('private key'),
    description: 'PEM file of the key of `SCHEMA_REGISTRY_TLS_CERT_FILE` (unencrypted)',
  },
  SCHEMA_REGISTRY_USERNAME: {
    default: '',
    defaultMeans: 'none',
    parser: username,
    description: 'HTTP basic auth user for the registry, with `SCHEMA_REGISTRY_PASSWORD`',
  },
  SCHEMA_REGISTRY_PASSWORD: {
    default: '',
    defaultMeans: 'none',
    parser: password,
    secret: true,
    description: 'HTTP basic auth password for the registry',
  },
  SCHEMA_REGISTRY_TOKEN: {
    default: '',
    defaultMeans: 'none',
    parser: token,
    secret: true,
    description: 'bearer token for the registry, instead of a user and password',
  },
  MONGO_TLS_CA_FILE: {
    default: '',
    defaultMeans: "Node's built-in CAs",
    parser: pemFile('certificate'),
    description: "PEM file of the CA(s) the store's certificate chains to; turns TLS on",
  },
  MONGO_TLS_CERT_KEY_FILE: {
    default: '',
    defaultMeans: 'none',
    parser: pemFile('certificate and private key'),
    description: "one PEM file with DF's client certificate and its key, for a store that asks for one; turns TLS on",
  },
  KAFKA_BROKERS: {
    default: '127.0.0.1:9092',
    parser: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((b) => b.trim())
          .filter((b) => b.length > 0),
      )
      .pipe(z.array(hostPort).min(1, 'expected a comma-separated list of host:port')),
    description: 'Kafka brokers, a comma-separated host:port list',
  },
  KAFKA_SECURITY_PROTOCOL: {
    default: 'PLAINTEXT',
    parser: z.enum(KAFKA_SECURITY_PROTOCOLS, { error: `expected one of ${KAFKA_SECURITY_PROTOCOLS.join(', ')}` }),
    description:
      "how DF, Flink's jobs and the metadata sink reach Kafka: `PLAINTEXT`, `SSL`, `SASL_PLAINTEXT`, `SASL_SSL`",
  },
  KAFKA_SASL_MECHANISM: {
    default: '',
    defaultMeans: 'none; required with `SASL_*`',
    parser: z.enum(['', ...KAFKA_SASL_MECHANISMS], {
      error: `expected one of ${KAFKA_SASL_MECHANISMS.join(', ')}`,
    }),
    description: 'SASL mechanism: `PLAIN`, `SCRAM-SHA-256`, `SCRAM-SHA-512`',
  },
  KAFKA_SASL_USERNAME: {
    default: '',
    defaultMeans: 'none; required with `SASL_*`',
    parser: z.string(),
    description: 'SASL user name',
  },
  KAFKA_SASL_PASSWORD: {
    default: '',
    defaultMeans: 'none; required with `KAFKA_SASL_USERNAME`',
    // A line break is the trailing newline of a file pasted whole, never part of the password.
    parser: z.string().regex(/^[^\r\n]*$/, 'expected one line (a trailing newline is not part of a password)'),
    secret: true,
    description: 'SASL password',
  },
  KAFKA_TLS_CA_FILE: {
    default: '',
    defaultMeans: "Node's trusted CAs",
    parser: z.string(),
    description: "PEM file of the CA that signed the brokers' certificates (`SSL`, `SASL_SSL`)",
  },
  KAFKA_TLS_CERT_FILE: {
    default: '',
    defaultMeans: 'none: no client certificate',
    parser: z.string(),
    description: 'PEM client certificate for mTLS, with `KAFKA_TLS_KEY_FILE`',
  },
  KAFKA_TLS_KEY_FILE: {
    default: '',
    defaultMeans: 'none: no client certificate',
    parser: z.string(),
    description: 'PEM private key (unencrypted PKCS#8) of `KAFKA_TLS_CERT_FILE`',
  },
  // The topics DF creates itself (a schema's topic, stream-back and metadata topics).
  DF_TOPIC_REPLICATION: {
    default: '1',
    parser: integer(1, 32),
    description: "replication factor of a topic DF creates when the request gives none (at most the cluster's brokers)",
  },
  DF_TOPIC_MIN_INSYNC_REPLICAS: {
    default: '',
    defaultMeans: "the broker's `min.insync.replicas`",
    parser: z.union([z.literal('').transform(() => undefined), integer(1, 32)]),
    description: '`min.insync.replicas` of every topic DF creates; at most `DF_TOPIC_REPLICATION`',
  },
  DF_HOST: {
    default: '127.0.0.1',
    parser: z.string().regex(/^[A-Za-z0-9.:-]+$/, 'expected a host name or IP address'),
    description: 'address the API binds to (`0.0.0.0` in a container)',
  },
  DF_PORT: { default: '8080', parser: integer(1, 65535), description: 'API port' },
  DF_SYNC_WAIT_MS: {
    default: '10000',
    parser: integer(0, 600000),
    description: "how long a mutation's request waits for its workflow, in ms, before answering 202",
  },
  DF_DATA_DIR: {
    default: '.df',
    parser: z
      .string()
      .min(1)
      .transform((v) => path.resolve(v)),
    description:
      'where DF keeps its files: uploaded jars (`uploads/`), batch results (`results/`, Flink must reach them at the same path), stream-back files',
  },
  DF_SAVEPOINT_DIR: {
    default: '',
    defaultMeans: "Flink's `execution.checkpointing.savepoint-dir`",
    parser: z.union([
      z.literal(''),
      z
        .string()
        .regex(
          /^[a-z][a-z0-9+.-]*:\//,
          'expected a URI Flink can write, e.g. file:///data/savepoints or s3://bucket/savepoints',
        ),
    ]),
    description: 'where transform savepoints go, a URI such as `file:///data/savepoints`',
  },
  FLINK_KAFKA_BROKERS: {
    default: '',
    defaultMeans: '`KAFKA_BROKERS`',
    parser: z.union([
      z.literal(''),
      z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, 'expected host:port[,host:port…]'),
    ]),
    description: "Kafka as Flink's jobs reach it",
  },
  FLINK_SCHEMA_REGISTRY_URL: {
    default: '',
    defaultMeans: '`SCHEMA_REGISTRY_URL`',
    parser: z.union([z.literal(''), httpUrls.transform((urls) => urls.join(','))]),
    description: "the registry as Flink's jobs reach it (several URLs separated by commas)",
  },
  DF_SYNC_INTERVAL: {
    default: '10s',
    parser: duration,
    description:
      'period of the `df-status-sync` schedule (`500ms`, `10s`, `1m`; a bare number is seconds); `0` leaves the schedule alone (another deployment runs it)',
  },
  DF_SYNC_GRACE: {
    default: '30s',
    parser: duration,
    description: 'a RUNNING → UNASSIGNED flip shorter than this (a rebalance) is not recorded',
  },
  DF_STARTUP_SYNC: {
    default: 'true',
    parser: bool,
    description: 'run `startupSync` (metadata pipeline, import, drift report) when a worker starts',
  },
  DF_META_TOPIC: {
    default: 'df_meta',
    parser: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'expected a Kafka topic name'),
    description: 'processing-metadata topic, also its registry subject',
  },
  DF_META_CONNECTOR: {
    default: 'metadata_sink_connect',
    parser: name,
    description: 'name of the internal MongoDB sink connector in Kafka Connect',
  },
  CONNECT_MONGO_URL: {
    default: '',
    defaultMeans: '`MONGO_URL`',
    parser: z.union([z.literal(''), mongoUrl, connectReference], {
      error: 'expected a mongodb:// or mongodb+srv:// connection string, or a reference such as ${file:/path:key}',
    }),
    holdsCredentials: true,
    description:
      "the store as Kafka Connect's workers reach it (the metadata sink connector writes there); a config provider's reference (`${file:/etc/connect/store.properties:uri}`) is passed to Connect as it is",
  },
  DF_STREAMBACK_DIR: {
    default: '',
    defaultMeans: '`DF_DATA_DIR/streamback`',
    parser: z.string().transform((v) => (v === '' ? '' : path.resolve(v))),
    description: "stream-back files; Kafka Connect's workers must read them at the same path",
  },
  DF_STREAMBACK_TIMEOUT: {
    default: '5m',
    parser: duration,
    description: 'a stream back whose topic gets no new record for this long fails (its connector deleted, file kept)',
  },
  DF_STREAMBACK_BATCH_BYTES: {
    default: '524288',
    parser: integer(0, 16 * 1024 * 1024),
    description:
      "`batch.size` of the stream-back connector's producer (`producer.override.batch.size`), below the broker's `message.max.bytes`; `0` leaves the worker's producer settings (a Kafka Connect whose override policy refuses it gets the connector without it anyway)",
  },
  DF_API_TOKENS: {
    default: '',
    defaultMeans: 'none: the API runs open and warns at start',
    parser: apiTokens,
    secret: true,
    description:
      '`token:role[:name],…`; role `viewer` (reads) or `admin` (also changes); tokens of 16+ characters; the name is who the [audit](security.md#audit) says asked (default `token-<6 hex digits of its SHA-256>`)',
  },
  DF_CORS_ORIGINS: {
    default: '',
    defaultMeans: 'none: no page of another origin may call the API',
    parser: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim().replace(/\/+$/, ''))
          .filter((o) => o.length > 0),
      )
      .pipe(
        z.array(
          z.union([
            z.literal('*'),
            z
              .string()
              .regex(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?$/, 'expected * or origins such as https://ops.example.com'),
          ]),
        ),
      ),
    description:
      'origins browsers may call the API from, comma-separated (`https://ops.example.com`); `*` any ([security](security.md#api-exposure))',
  },
  DF_ALLOWED_HOSTS: {
    default: '',
    defaultMeans: '`localhost` and `DF_HOST`',
    parser: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((h) => h.trim().toLowerCase().replace(/\.$/, ''))
          .filter((h) => h.length > 0),
      )
      .pipe(
        z.array(
          z.union([
            z.literal('*'),
            z
              .string()
              .regex(
                /^([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/,
                'expected * or host names such as df.example.com (no port, no scheme)',
              ),
          ]),
        ),
      ),
    description:
      'host names the API answers to (the `Host` header), comma-separated, no port; IP addresses always pass; `*` any; another name is refused 403 `HOST_NOT_ALLOWED`',
  },
  DF_MAX_CONNECTIONS: {
    default: '1000',
    parser: integer(0, 1_000_000),
    description: 'open connections the API holds at once; past it a new one is closed unserved; `0` no cap',
  },
  DF_BODY_LIMIT: {
    default: '1048576',
    parser: z.coerce
      .number()
      .int('expected a number of bytes')
      .min(1024)
      .max(100 * 1024 * 1024),
    description:
      'largest JSON request body in bytes (413 above it; only the jar upload, `POST /api/df/uploaded_files`, takes up to 101 MiB)',
  },
  DF_SECRET_KEYS: {
    default: DEFAULT_SECRET_KEY_WORDS.join(','),
    parser: z
      .string()
      .transform(secretKeyWords)
      .pipe(
        z
          .array(
            z
              .string()
              .regex(
                /^[A-Za-z0-9]+\$?$/,
                'expected words of letters and digits, each optionally ending in $ (last word of a key only)',
              ),
          )
          .min(1),
      )
      .transform((words) => new SecretKeys(words)),
    description:
      "words that make a config key secret (keys split at `.` `_` `-` and camelCase; `word$` counts only as a key's last word, so `private.key` is secret and `key.converter` is not): their values are `********` in every answer, log line and the console",
  },
  DF_PAYLOAD_KEY: {
    default: '',
    defaultMeans: 'none: refused at start unless `DF_DEV_MODE=true`, as `npm start` sets',
    parser: z.string().transform((v, ctx) => {
      try {
        return parsePayloadKeys(v);
      } catch (error) {
        if (!(error instanceof PayloadKeyError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
    secret: true,
    description:
      '`id:base64key[,id:base64key…]`, 32-byte AES-256-GCM keys (`openssl rand -base64 32`); the first encrypts workflow payloads in Temporal and secret config values in the store, all decrypt, so rotate by putting a new key first ([security](security.md))',
  },
  DF_DEV_MODE: {
    default: 'false',
    parser: bool,
    description:
      '`true` lets DF run without `DF_PAYLOAD_KEY` (secrets and payloads in clear): the local stack and tests only',
  },
  DF_WORKER_METRICS: {
    default: '127.0.0.1:9464',
    // Config holds '' for `off`: nothing to bind.
    parser: z.union([z.literal('off').transform(() => ''), hostPort]),
    description:
      "where the worker's Temporal runtime exports Prometheus metrics (appended to `/metrics`); `off` disables",
  },
  DF_PROBE_ADDRESS: {
    default: '127.0.0.1:8090',
    // Config holds '' for `off`: nothing to bind.
    parser: z.union([z.literal('off').transform(() => ''), hostPort]),
    description:
      'where a worker-only process (`npm run worker`) serves `GET /livez` and `GET /readyz` for orchestrators (`0.0.0.0:8090` in a container); processes with the API serve them on `DF_PORT`; `off` disables',
  },
  DF_LIST_MAX_AGE: {
    default: '1s',
    parser: duration,
    description:
      'task lists (`/ps`, `/tr`, `/processor`) come from an in-memory snapshot at most this old, refreshed behind the answer (`X-DF-List-Age` gives its age); a change made through the API shows in the next list; `0` reads the store for every list',
  },
  DF_MAX_IN_FLIGHT: {
    default: '32',
    parser: integer(0, 100000),
    description:
      'operations one API process runs at once; past it a new one is answered 503 `OVERLOADED` with `Retry-After` at once, before anything starts (send it again, with its `Idempotency-Key`); `0`: no bound',
  },
  DF_MAX_UPLOADS: {
    default: '2',
    parser: integer(0, 1000),
    description:
      'jar uploads one API process receives at once; past it 503 `OVERLOADED` with `Retry-After`; `0`: no bound',
  },
  DF_WORKER_CACHE: {
    default: '250',
    parser: integer(0, 100000),
    description:
      "workflow runs a worker keeps in memory between steps (a run pushed out is replayed from its history when it next moves); bounds the worker's memory, which the SDK's default lets grow with the heap limit",
  },
  DF_ALLOWED_CONNECTOR_CLASSES: {
    // The classes DF's own features and connector types use, each with keys the reach policy reads.
    default: [
      'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'org.apache.kafka.connect.file.FileStreamSinkConnector',
      'com.mongodb.kafka.connect.MongoSourceConnector',
      'com.mongodb.kafka.connect.MongoSinkConnector',
    ].join(','),
    parser: list(
      z.union([
        z.literal('*'),
        z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, 'expected * or Java class names'),
      ]),
    ),
    description: 'connector classes a connect may use; `*`: any ([reach policy](security.md#reach-policy))',
  },
  DF_ALLOWED_PATHS: {
    default: '',
    defaultMeans: '`DF_DATA_DIR` (and `DF_STREAMBACK_DIR`)',
    parser: list(pathRoot),
    description: 'roots every file path in a connector config or Flink SQL must lie under',
  },
  DF_ALLOWED_FLINK_CONNECTORS: {
    default: 'kafka,upsert-kafka,datagen,blackhole,print,filesystem,generic_in_memory',
    parser: list(z.string().regex(/^(\*|[A-Za-z0-9_.-]+)$/, 'expected * or connector names such as kafka, filesystem')),
    description: 'Flink table connectors and catalog types SQL may declare; `*`: any',
  },
  DF_ALLOWED_TASK_HOSTS: {
    default: '',
    defaultMeans: "the Kafka and registry hosts DF is configured with (never DF's store)",
    parser: list(
      z
        .string()
        .regex(/^(\*|([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?)$/, 'expected * or host / host:port entries'),
    ),
    description: 'hosts connection URIs and server lists in task configs may name; `*`: any',
  },
  DF_ALLOW_SQL_JARS: {
    default: 'false',
    parser: bool,
    description: '`ADD JAR`, functions `USING JAR`, Python functions in Flink SQL',
  },
  DF_ALLOW_CONNECTOR_OVERRIDES: {
    default: 'false',
    parser: bool,
    description: 'Kafka Connect client overrides (`producer.override.*`, …)',
  },
  DF_LOG_LEVEL: {
    default: 'info',
    parser: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }),
    description: `level of DF's JSON log lines on stderr: ${LOG_LEVELS.map((l) => `\`${l}\``).join(', ')}`,
  },
  DF_TEMPORAL_LOG_LEVEL: {
    default: 'WARN',
    parser: z.enum(TEMPORAL_LOG_LEVELS, { error: `expected one of ${TEMPORAL_LOG_LEVELS.join(', ')}` }),
    description: `level of the Temporal SDK's lines in a worker's log: ${TEMPORAL_LOG_LEVELS.map((l) => `\`${l}\``).join(', ')} (at \`INFO\` it logs every poll)`,
  },
  DF_LOG_STORE_LINES: {
    default: '10000',
    parser: integer(0, 1_000_000),
    description:
      'recent log lines that name a task (info and above) DF keeps in its store for `GET /api/df/logs`; `0` keeps none',
  },
  DF_LOG_STORE_AGE: {
    default: '24h',
    parser: duration.refine((ms) => ms >= 60_000, 'expected at least 1m'),
    description: 'how long a kept log line stays in the store (`30m`, `24h`)',
  },
  DF_WEBHOOK_RETRY_INITIAL: {
    default: '5s',
    parser: duration.refine((ms) => ms >= 10 && ms <= 600_000, 'expected between 10ms and 10m'),
    description:
      'first wait before a webhook delivery is tried again; each further wait doubles, to at most 10 minutes, for 24 hours',
  },
  DF_WEBHOOK_HOSTS: {
    default: '*',
    parser: list(
      z
        .string()
        .regex(/^(\*|([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?)$/, 'expected * or host / host:port entries'),
    ),
    description: 'hosts webhook URLs may name (`host` or `host:port`, comma-separated); `*`: any',
  },
} as const satisfies Record<string, Setting>;

export type EnvName = keyof typeof SETTINGS;

/** What a variable yields: its parser's output type. */
export type SettingValue<N extends EnvName> = z.output<(typeof SETTINGS)[N]['parser']>;

/** Every variable read and parsed. */
export type Settings = { readonly [N in EnvName]: SettingValue<N> };

export const ENV_NAMES = Object.keys(SETTINGS) as EnvName[];

/** Default of every variable: the local stack's address. */
export const ENV_DEFAULTS = Object.fromEntries(ENV_NAMES.map((n) => [n, SETTINGS[n].default])) as {
  readonly [N in EnvName]: (typeof SETTINGS)[N]['default'];
};

export interface Config {
  temporal: {
    address: SettingValue<'TEMPORAL_ADDRESS'>;
    namespace: SettingValue<'TEMPORAL_NAMESPACE'>;
    taskQueue: SettingValue<'DF_TASK_QUEUE'>;
    uiUrl: string;
    /** Address, TLS and API key, as every Client and worker connection uses them. */
    connection: TemporalConnection;
    /** What logs and /health may say of the connection's security. */
    security: TemporalSecuritySummary;
  };
  mongo: StoreSettings;
  /** Kafka Connect's workers, any of which answers every call: DF uses the first while it answers, then the next. */
  kafkaConnectUrls: SettingValue<'KAFKA_CONNECT_URL'>;
  /** The first of kafkaConnectUrls: where a tool that talks to one worker goes. */
  kafkaConnectUrl: string;
  /** The registry's instances, used like kafkaConnectUrls. */
  schemaRegistryUrls: SettingValue<'SCHEMA_REGISTRY_URL'>;
  /** The first of schemaRegistryUrls. */
  schemaRegistryUrl: string;
  flinkUrl: SettingValue<'FLINK_URL'>;
  flinkSqlGatewayUrl: SettingValue<'FLINK_SQL_GATEWAY_URL'>;
  /** The TLS material and credentials of each REST service, reached at its URL above. */
  serviceSecurity: Record<ServiceKey, ServiceSecurity>;
  kafkaBrokers: SettingValue<'KAFKA_BROKERS'>;
  /** Replication and min.insync.replicas of the topics DF creates. */
  topics: TopicSettings;
  /** How DF's own Kafka client authenticates (the same reaches Flink's jobs through TransformSettings). */
  kafkaSecurity: KafkaSecurity;
  /** Address the API binds to: loopback unless the deployment says otherwise (containers: 0.0.0.0). */
  host: SettingValue<'DF_HOST'>;
  port: SettingValue<'DF_PORT'>;
  /** How long a mutation's HTTP request waits for its workflow before answering 202. */
  syncWaitMs: SettingValue<'DF_SYNC_WAIT_MS'>;
  /** Where DF keeps its files (DF_DATA_DIR): uploads, results, stream-back files; tasks' files by default. */
  dataDir: SettingValue<'DF_DATA_DIR'>;
  transforms: TransformSettings;
  sync: StatusSyncConfig;
  metadata: MetadataSettings;
  streamBack: StreamBackSettings;
  webhooks: WebhookSettings;
  api: ApiSettings;
  /** Which config keys hold secrets: masked in every answer and log line, kept when an edit leaves them out (DF_SECRET_KEYS). */
  secretKeys: SettingValue<'DF_SECRET_KEYS'>;
  /**
   * Keys that encrypt workflow payloads and the secret config values in the store, the first for
   * new ones (DF_PAYLOAD_KEY); none (dev mode only): both in clear.
   */
  payloadKeys: SettingValue<'DF_PAYLOAD_KEY'>;
  /** A local stack, not a deployment: DF_PAYLOAD_KEY may be left unset (DF_DEV_MODE). */
  devMode: SettingValue<'DF_DEV_MODE'>;
  /** host:port where the worker's Temporal runtime exports its Prometheus metrics; empty: not exported. */
  workerMetricsAddress: SettingValue<'DF_WORKER_METRICS'>;
  /** host:port of a worker-only process's /livez and /readyz; empty: none. */
  probeAddress: SettingValue<'DF_PROBE_ADDRESS'>;
  /** Workflow runs a worker keeps in memory between their steps (the SDK's default grows with the heap limit). */
  workerCachedWorkflows: SettingValue<'DF_WORKER_CACHE'>;
  /** What tasks may make Kafka Connect and Flink touch (docs/security.md, Reach policy). */
  reach: ReachPolicy;
  /** The process's log level (DF_LOG_LEVEL), set on the logger once the config is read. */
  logLevel: SettingValue<'DF_LOG_LEVEL'>;
  /** The level of the Temporal SDK's own lines in a worker's log (DF_TEMPORAL_LOG_LEVEL). */
  temporalLogLevel: SettingValue<'DF_TEMPORAL_LOG_LEVEL'>;
  /** The recent log lines that name a task, kept in the store (GET /logs). */
  logStore: LogStoreSettings;
}

/** How many recent log lines DF keeps in its store, and for how long. */
export interface LogStoreSettings {
  /** Lines kept at most (DF_LOG_STORE_LINES); 0: none kept. */
  maxLines: SettingValue<'DF_LOG_STORE_LINES'>;
  /** How long a line is kept, in ms (DF_LOG_STORE_AGE). */
  maxAgeMs: SettingValue<'DF_LOG_STORE_AGE'>;
}

/** The REST services DF drives, by the prefix of their variables (KAFKA_CONNECT_URL, KAFKA_CONNECT_TOKEN, …). */
const SERVICE_PREFIXES = {
  kafkaConnect: 'KAFKA_CONNECT',
  flink: 'FLINK',
  flinkSqlGateway: 'FLINK_SQL_GATEWAY',
  schemaRegistry: 'SCHEMA_REGISTRY',
} as const;
export type ServiceKey = keyof typeof SERVICE_PREFIXES;

/** DF's store: where it is, which database, and the TLS files its client uses. */
export interface StoreSettings {
  url: SettingValue<'MONGO_URL'>;
  db: SettingValue<'MONGO_DB'>;
  /** PEM of the CA(s) the store's certificate chains to (the driver's tlsCAFile). */
  tlsCaFile?: string;
  /** PEM of DF's client certificate and key together (the driver's tlsCertificateKeyFile). */
  tlsCertificateKeyFile?: string;
}

/** Who may call the API, from where, and how much they may send. */
export interface ApiSettings {
  /** Bearer tokens and their roles; none → the API runs open (and says so at start). */
  tokens: SettingValue<'DF_API_TOKENS'>;
  /** Origins browsers may call from; ['*'] allows any; none: no cross-origin access at all. */
  corsOrigins: SettingValue<'DF_CORS_ORIGINS'>;
  /**
   * Host names the API answers to (the Host header), lower case; ['*'] takes any. IP literals are
   * always taken: a DNS-rebinding page reaches the API only under a name of its own.
   */
  allowedHosts: SettingValue<'DF_ALLOWED_HOSTS'>;
  /** Open connections the server holds at once; past it a new one is closed at once (0: no cap). */
  maxConnections: SettingValue<'DF_MAX_CONNECTIONS'>;
  /** Largest JSON request body, in bytes (jar uploads have their own limit). */
  bodyLimitBytes: SettingValue<'DF_BODY_LIMIT'>;
  /** How old the in-memory snapshot behind task lists may be, in ms; 0 reads the store for every list. */
  listMaxAgeMs: SettingValue<'DF_LIST_MAX_AGE'>;
  /** Operations this API process runs at once; past it a new one is refused with 503 and Retry-After (0: no bound). */
  maxInFlight: SettingValue<'DF_MAX_IN_FLIGHT'>;
  /** Jar uploads this API process receives at once; past it a new one is refused with 503 and Retry-After (0: no bound). */
  maxUploads: SettingValue<'DF_MAX_UPLOADS'>;
}

export type ApiRole = 'viewer' | 'admin';

export interface ApiToken {
  token: string;
  role: ApiRole;
  /** Who the audit says asked: the name given after the role, or unnamedTokenName(token). */
  name: string;
}

/** Where stream-back files go and how long a delivery may stall before it is called failed. */
export interface StreamBackSettings {
  /** Kafka Connect's workers read the files here, at the same path. */
  dir: SettingValue<'DF_STREAMBACK_DIR'>;
  /** No new record on the topic for this long → the stream back fails (connector deleted, file kept). */
  stallTimeoutMs: SettingValue<'DF_STREAMBACK_TIMEOUT'>;
  /** Producer batch size asked of the stream-back connector; 0: the worker's own. */
  batchBytes: SettingValue<'DF_STREAMBACK_BATCH_BYTES'>;
}

/** The status sync's period and grace, and the startup sync's switch. */
export interface StatusSyncConfig {
  /** Period of the df-status-sync schedule; 0 leaves the schedule alone (another deployment runs it). */
  intervalMs: SettingValue<'DF_SYNC_INTERVAL'>;
  /** A RUNNING → UNASSIGNED flip shorter than this (a rebalance) is not recorded. */
  graceMs: SettingValue<'DF_SYNC_GRACE'>;
  /** Run startupSync (import, drift report, metadata sink) when a worker starts. */
  onStartup: SettingValue<'DF_STARTUP_SYNC'>;
}

/** Where processing metadata flows: topic → metadata sink connector → collection df_meta. */
export interface MetadataSettings {
  topic: SettingValue<'DF_META_TOPIC'>;
  /** The internal MongoDB sink connector's name in Kafka Connect. */
  connector: SettingValue<'DF_META_CONNECTOR'>;
  collection: string;
  /** The store as Kafka Connect's workers reach it (in containers, not necessarily DF's address). */
  connectMongoUrl: SettingValue<'CONNECT_MONGO_URL'>;
}

/** Where transform files live and how Flink reaches the data services. */
export interface TransformSettings {
  /** Jars uploaded through POST /uploaded_files, kept so a jar Flink lost can be uploaded again. */
  uploadDir: string;
  /** Result sets of batch transforms; Flink's TaskManagers must be able to write there. */
  resultDir: string;
  /** Where savepoints go; empty leaves it to Flink's execution.checkpointing.savepoint-dir. */
  savepointDir?: SettingValue<'DF_SAVEPOINT_DIR'>;
  /** Kafka and registry as Flink's jobs reach them (in containers, not necessarily DF's addresses). */
  flinkKafkaBrokers: SettingValue<'FLINK_KAFKA_BROKERS'>;
  /** FLINK_SCHEMA_REGISTRY_URL, else every SCHEMA_REGISTRY_URL, separated by commas. */
  flinkSchemaRegistryUrl: string;
  /** Kafka's security for the tables DF declares in Flink: the same as DF's own. */
  kafkaSecurity: KafkaSecurity;
  /** How Flink's jobs authenticate to the registry (avro-confluent); absent: an open registry. */
  flinkRegistryAccess?: RegistryAccess;
}

export class ConfigError extends Error {
  constructor(
    readonly variable: EnvName,
    message: string,
  ) {
    super(`Invalid environment variable ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

/** What an error may echo of a value: never a secret setting's, never a connection string's password. */
export function shownValue(variable: EnvName, value: string): string {
  if (isSecret(variable)) return '(value withheld: it holds secrets)';
  return JSON.stringify(maskUrlCredentials(value));
}

function isSecret(variable: EnvName): boolean {
  const row: Setting = SETTINGS[variable];
  return row.secret === true;
}

/**
 * A variable's text: its own, or for a secret the content of the file `NAME_FILE` names (the
 * convention of container secrets), without the final line break an editor leaves.
 */
function rawSetting(env: NodeJS.ProcessEnv, variable: EnvName): string | undefined {
  const row: Setting = SETTINGS[variable];
  const file = env[`${variable}_FILE`];
  if (!(row.secret || row.holdsCredentials) || file === undefined || file === '') return env[variable];
  if (env[variable] !== undefined && env[variable] !== '')
    throw new ConfigError(variable, `both ${variable} and ${variable}_FILE are set: give one`);
  try {
    return fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new ConfigError(
      variable,
      `${variable}_FILE names a file that cannot be read (${(error as NodeJS.ErrnoException).code}): ${JSON.stringify(file)}`,
    );
  }
}

/**
 * One variable, parsed by its row (an unset or empty variable takes the default; a secret may come
 * from NAME_FILE); a bad value throws ConfigError.
 */
export function readSetting<N extends EnvName>(env: NodeJS.ProcessEnv, variable: N): SettingValue<N> {
  const row: Setting = SETTINGS[variable];
  const raw = rawSetting(env, variable);
  const value = raw === undefined || raw === '' ? row.default : raw;
  const parsed = row.parser.safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => i.message).join('; ');
    throw new ConfigError(variable, `${reason} (got ${shownValue(variable, value)})`);
  }
  // The row's own parser produced it: its output type is SettingValue<N> by definition.
  return parsed.data as SettingValue<N>;
}

/** Every variable of the table, each read once, in the table's order. */
/** How webhook deliveries back off, and where webhooks may point. */
export interface WebhookSettings {
  /** The first wait before an attempt is made again (then doubling, to at most 10 minutes, for 24 hours). */
  retryInitialMs: SettingValue<'DF_WEBHOOK_RETRY_INITIAL'>;
  /** host or host:port entries a webhook URL may name; '*' allows any. */
  hosts: SettingValue<'DF_WEBHOOK_HOSTS'>;
}

export function readSettings(env: NodeJS.ProcessEnv): Settings {
  const settings: Partial<Record<EnvName, unknown>> = {};
  for (const variable of ENV_NAMES) settings[variable] = readSetting(env, variable);
  return settings as Settings;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const s = readSettings(env);
  const config: Config = {
    temporal: temporalSettings(env, s),
    mongo: storeSettings(s),
    kafkaConnectUrls: s.KAFKA_CONNECT_URL,
    kafkaConnectUrl: s.KAFKA_CONNECT_URL[0],
    schemaRegistryUrls: s.SCHEMA_REGISTRY_URL,
    schemaRegistryUrl: s.SCHEMA_REGISTRY_URL[0],
    flinkUrl: s.FLINK_URL,
    flinkSqlGatewayUrl: s.FLINK_SQL_GATEWAY_URL,
    serviceSecurity: {
      kafkaConnect: serviceSecurity(s, SERVICE_PREFIXES.kafkaConnect),
      flink: serviceSecurity(s, SERVICE_PREFIXES.flink),
      flinkSqlGateway: serviceSecurity(s, SERVICE_PREFIXES.flinkSqlGateway),
      schemaRegistry: serviceSecurity(s, SERVICE_PREFIXES.schemaRegistry),
    },
    kafkaBrokers: s.KAFKA_BROKERS,
    topics: topicSettings(s),
    kafkaSecurity: kafkaSecurity(s),
    host: s.DF_HOST,
    port: s.DF_PORT,
    syncWaitMs: s.DF_SYNC_WAIT_MS,
    dataDir: s.DF_DATA_DIR,
    transforms: transformSettings(s),
    sync: { intervalMs: s.DF_SYNC_INTERVAL, graceMs: s.DF_SYNC_GRACE, onStartup: s.DF_STARTUP_SYNC },
    metadata: {
      topic: s.DF_META_TOPIC,
      connector: s.DF_META_CONNECTOR,
      collection: 'df_meta',
      connectMongoUrl: s.CONNECT_MONGO_URL || s.MONGO_URL,
    },
    streamBack: {
      dir: s.DF_STREAMBACK_DIR || path.join(s.DF_DATA_DIR, 'streamback'),
      stallTimeoutMs: s.DF_STREAMBACK_TIMEOUT,
      batchBytes: s.DF_STREAMBACK_BATCH_BYTES,
    },
    webhooks: { retryInitialMs: s.DF_WEBHOOK_RETRY_INITIAL, hosts: s.DF_WEBHOOK_HOSTS },
    workerMetricsAddress: s.DF_WORKER_METRICS,
    probeAddress: s.DF_PROBE_ADDRESS,
    workerCachedWorkflows: s.DF_WORKER_CACHE,
    api: {
      tokens: s.DF_API_TOKENS,
      corsOrigins: s.DF_CORS_ORIGINS,
      allowedHosts: allowedHosts(s),
      maxConnections: s.DF_MAX_CONNECTIONS,
      bodyLimitBytes: s.DF_BODY_LIMIT,
      listMaxAgeMs: s.DF_LIST_MAX_AGE,
      maxInFlight: s.DF_MAX_IN_FLIGHT,
      maxUploads: s.DF_MAX_UPLOADS,
    },
    secretKeys: s.DF_SECRET_KEYS,
    payloadKeys: s.DF_PAYLOAD_KEY,
    devMode: s.DF_DEV_MODE,
    reach: reachPolicy(s),
    logLevel: s.DF_LOG_LEVEL,
    temporalLogLevel: s.DF_TEMPORAL_LOG_LEVEL,
    logStore: { maxLines: s.DF_LOG_STORE_LINES, maxAgeMs: s.DF_LOG_STORE_AGE },
  };
  // Without a key, secrets would sit in clear in the store and in Temporal's history.
  if (config.payloadKeys.length === 0 && !config.devMode) {
    throw new ConfigError(
      'DF_PAYLOAD_KEY',
      'required: it encrypts secrets in the store and in workflow history (id:base64key, key from `openssl rand -base64 32`); ' +
        'only a local stack may run without one, with DF_DEV_MODE=true',
    );
  }
  return config;
}

/**
 * One service's security, its variables checked together: a user goes with a password, basic auth
 * and a token exclude each other, a certificate goes with its key, and TLS files need an https URL.
 */
function serviceSecurity(s: Settings, service: (typeof SERVICE_PREFIXES)[ServiceKey]): ServiceSecurity {
  const urls: readonly string[] = [s[`${service}_URL`]].flat();
  const caFile = s[`${service}_TLS_CA_FILE`];
  const certFile = s[`${service}_TLS_CERT_FILE`];
  const keyFile = s[`${service}_TLS_KEY_FILE`];
  const username = s[`${service}_USERNAME`];
  const password = s[`${service}_PASSWORD`];
  const token = s[`${service}_TOKEN`];
  if (username && !password) throw new ConfigError(`${service}_USERNAME`, `needs ${service}_PASSWORD`);
  if (password && !username) throw new ConfigError(`${service}_PASSWORD`, `needs ${service}_USERNAME`);
  if (password && token)
    throw new ConfigError(
      `${service}_TOKEN`,
      `give either ${service}_USERNAME/${service}_PASSWORD (basic auth) or ${service}_TOKEN (bearer), not both`,
    );
  if (certFile && !keyFile) throw new ConfigError(`${service}_TLS_CERT_FILE`, `needs ${service}_TLS_KEY_FILE`);
  if (keyFile && !certFile) throw new ConfigError(`${service}_TLS_KEY_FILE`, `needs ${service}_TLS_CERT_FILE`);
  const tlsFile = caFile
    ? (`${service}_TLS_CA_FILE` as const)
    : certFile
      ? (`${service}_TLS_CERT_FILE` as const)
      : undefined;
  const plainUrl = urls.find((url) => !url.startsWith('https://'));
  if (tlsFile && plainUrl !== undefined)
    throw new ConfigError(
      tlsFile,
      `applies to an https:// ${service}_URL only (it is ${shownValue(`${service}_URL`, plainUrl)})`,
    );
  return {
    ...(caFile ? { caFile } : {}),
    ...(certFile ? { certFile, keyFile } : {}),
    ...(password ? { auth: { username, password } } : token ? { auth: { token } } : {}),
  };
}

/** How DF creates topics; a min.insync.replicas above the replication factor would leave every topic unwritable. */
function topicSettings(s: Settings): TopicSettings {
  const replicationFactor = s.DF_TOPIC_REPLICATION;
  const minInsyncReplicas = s.DF_TOPIC_MIN_INSYNC_REPLICAS;
  if (minInsyncReplicas !== undefined && minInsyncReplicas > replicationFactor)
    throw new ConfigError(
      'DF_TOPIC_MIN_INSYNC_REPLICAS',
      `${minInsyncReplicas} exceeds DF_TOPIC_REPLICATION (${replicationFactor}): producers waiting for all in-sync replicas could never write to DF's topics`,
    );
  return { replicationFactor, ...(minInsyncReplicas !== undefined ? { minInsyncReplicas } : {}) };
}

/** The store's settings; TLS files with a URL that turns TLS off would be refused by the driver at first use. */
function storeSettings(s: Settings): StoreSettings {
  const tlsOff = /[?&](tls|ssl)=false(&|$)/i.test(s.MONGO_URL);
  for (const variable of ['MONGO_TLS_CA_FILE', 'MONGO_TLS_CERT_KEY_FILE'] as const) {
    if (s[variable] && tlsOff) throw new ConfigError(variable, 'MONGO_URL turns TLS off (tls=false)');
  }
  return {
    url: s.MONGO_URL,
    db: s.MONGO_DB,
    ...(s.MONGO_TLS_CA_FILE ? { tlsCaFile: s.MONGO_TLS_CA_FILE } : {}),
    ...(s.MONGO_TLS_CERT_KEY_FILE ? { tlsCertificateKeyFile: s.MONGO_TLS_CERT_KEY_FILE } : {}),
  };
}

/** Temporal Cloud's gRPC endpoints: namespace endpoints (mTLS or API key) and regional API-key endpoints. */
const TEMPORAL_CLOUD_ADDRESS = /(\.tmprl\.cloud|\.api\.temporal\.io):\d+$/i;

/**
 * Temporal's address, namespace and connection: the variables over the profile file, as the
 * `temporal` CLI reads them. A key taken from the file is checked by its variable's parser.
 */
function temporalSettings(env: NodeJS.ProcessEnv, s: Settings): Config['temporal'] {
  // The SDK's loader reads variables only: a secret given as NAME_FILE reaches it as its value.
  const loaderEnv: NodeJS.ProcessEnv = { ...env };
  for (const variable of ['TEMPORAL_API_KEY', 'TEMPORAL_TLS_CLIENT_KEY_DATA'] as const) {
    if (env[`${variable}_FILE`]) loaderEnv[variable] = s[variable];
  }
  let profile: TemporalProfile;
  try {
    profile = resolveTemporalProfile(loaderEnv, {
      tls: s.TEMPORAL_TLS,
      disableHostVerification: s.TEMPORAL_TLS_DISABLE_HOST_VERIFICATION,
    });
  } catch (error) {
    if (error instanceof TemporalSettingError) throw new ConfigError(error.variable, error.message);
    throw error;
  }
  const fromProfile = <N extends 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>(
    variable: N,
    value: string | undefined,
  ): SettingValue<N> => {
    if (env[variable] || value === undefined) return s[variable];
    const row: Setting = SETTINGS[variable];
    const parsed = row.parser.safeParse(value);
    if (parsed.success) return parsed.data as SettingValue<N>;
    const key = variable === 'TEMPORAL_ADDRESS' ? 'address' : 'namespace';
    throw new ConfigError(
      'TEMPORAL_CONFIG_FILE',
      `\`${key}\` of the profile (${profile.summary.profile ?? 'default'}): ${parsed.error.issues.map((i) => i.message).join('; ')} (got ${JSON.stringify(value)}); ${variable} overrides it`,
    );
  };
  const address = fromProfile('TEMPORAL_ADDRESS', profile.address);
  const namespace = fromProfile('TEMPORAL_NAMESPACE', profile.namespace);
  const uiUrl =
    s.TEMPORAL_UI_URL || (TEMPORAL_CLOUD_ADDRESS.test(address) ? 'https://cloud.temporal.io' : 'http://127.0.0.1:8233');
  return {
    address,
    namespace,
    taskQueue: s.DF_TASK_QUEUE,
    uiUrl,
    connection: { address, ...profile.connection },
    security: profile.summary,
  };
}

/** DF_ALLOWED_HOSTS, or by default localhost and the bind address when it is a name (IP literals pass anyway). */
function allowedHosts(s: Settings): string[] {
  if (s.DF_ALLOWED_HOSTS.length > 0) return [...s.DF_ALLOWED_HOSTS];
  return [...new Set(['localhost', s.DF_HOST.toLowerCase()])];
}

function transformSettings(s: Settings): TransformSettings {
  return {
    uploadDir: path.join(s.DF_DATA_DIR, 'uploads'),
    resultDir: path.join(s.DF_DATA_DIR, 'results'),
    ...(s.DF_SAVEPOINT_DIR ? { savepointDir: s.DF_SAVEPOINT_DIR } : {}),
    flinkKafkaBrokers: s.FLINK_KAFKA_BROKERS || s.KAFKA_BROKERS.join(','),
    // Flink's avro-confluent format takes the registry's URLs as one comma-separated list, too.
    flinkSchemaRegistryUrl: s.FLINK_SCHEMA_REGISTRY_URL || s.SCHEMA_REGISTRY_URL.join(','),
    kafkaSecurity: kafkaSecurity(s),
    ...registryAccessForFlink(s),
  };
}

/**
 * The registry's credentials and CA as Flink's avro-confluent format takes them: the same the
 * registry asks of DF (the CA path must be where Flink's TaskManagers find it too).
 */
function registryAccessForFlink(s: Settings): Pick<TransformSettings, 'flinkRegistryAccess'> {
  const user = s.SCHEMA_REGISTRY_USERNAME;
  const access: RegistryAccess = {
    ...(user && s.SCHEMA_REGISTRY_PASSWORD ? { userInfo: `${user}:${s.SCHEMA_REGISTRY_PASSWORD}` } : {}),
    ...(s.SCHEMA_REGISTRY_TOKEN ? { bearerToken: s.SCHEMA_REGISTRY_TOKEN } : {}),
    ...(s.SCHEMA_REGISTRY_TLS_CA_FILE ? { caFile: s.SCHEMA_REGISTRY_TLS_CA_FILE } : {}),
  };
  return Object.keys(access).length > 0 ? { flinkRegistryAccess: access } : {};
}

/**
 * The KAFKA_SECURITY_PROTOCOL / KAFKA_SASL_* / KAFKA_TLS_* rows as one checked whole: a setting the
 * protocol needs is required, one it would ignore is refused (a silent plaintext connection is
 * worse than no start), and every file must be readable now rather than at the first connection.
 */
export function kafkaSecurity(s: Settings): KafkaSecurity {
  const protocol = s.KAFKA_SECURITY_PROTOCOL;
  const sasl = usesSasl(protocol);
  const tls = usesTls(protocol);
  if (sasl) {
    if (!s.KAFKA_SASL_MECHANISM) {
      throw new ConfigError('KAFKA_SASL_MECHANISM', `required with KAFKA_SECURITY_PROTOCOL=${protocol}`);
    }
    if (!s.KAFKA_SASL_USERNAME) {
      throw new ConfigError('KAFKA_SASL_USERNAME', `required with KAFKA_SECURITY_PROTOCOL=${protocol}`);
    }
  } else {
    for (const v of ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'] as const) {
      if (s[v])
        throw new ConfigError(v, `only used with KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT or SASL_SSL, not ${protocol}`);
    }
  }
  if (s.KAFKA_SASL_USERNAME && !s.KAFKA_SASL_PASSWORD) {
    throw new ConfigError('KAFKA_SASL_PASSWORD', 'required with KAFKA_SASL_USERNAME');
  }
  const files = ['KAFKA_TLS_CA_FILE', 'KAFKA_TLS_CERT_FILE', 'KAFKA_TLS_KEY_FILE'] as const;
  for (const v of files) {
    if (!s[v]) continue;
    if (!tls) throw new ConfigError(v, `only used with KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL, not ${protocol}`);
    try {
      fs.accessSync(s[v], fs.constants.R_OK);
    } catch (error) {
      throw new ConfigError(
        v,
        `cannot read ${JSON.stringify(s[v])}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
      );
    }
  }
  if (Boolean(s.KAFKA_TLS_CERT_FILE) !== Boolean(s.KAFKA_TLS_KEY_FILE)) {
    const missing = s.KAFKA_TLS_CERT_FILE ? 'KAFKA_TLS_KEY_FILE' : 'KAFKA_TLS_CERT_FILE';
    const given = s.KAFKA_TLS_CERT_FILE ? 'KAFKA_TLS_CERT_FILE' : 'KAFKA_TLS_KEY_FILE';
    throw new ConfigError(missing, `required with ${given}: a client certificate needs its key`);
  }
  return {
    protocol,
    ...(sasl && s.KAFKA_SASL_MECHANISM
      ? {
          sasl: {
            mechanism: s.KAFKA_SASL_MECHANISM,
            username: s.KAFKA_SASL_USERNAME,
            password: s.KAFKA_SASL_PASSWORD,
          },
        }
      : {}),
    tls: {
      ...(s.KAFKA_TLS_CA_FILE ? { caFile: s.KAFKA_TLS_CA_FILE } : {}),
      ...(s.KAFKA_TLS_CERT_FILE ? { certFile: s.KAFKA_TLS_CERT_FILE } : {}),
      ...(s.KAFKA_TLS_KEY_FILE ? { keyFile: s.KAFKA_TLS_KEY_FILE } : {}),
    },
  };
}

/** host:port of every host a service URL names, read as the reach policy reads task configs. */
function endpointsOf(url: string): string[] {
  return (hostsOf(url) ?? []).map((r) => (r.port !== undefined ? `${r.host}:${r.port}` : r.host));
}

/**
 * The reach policy. Unset lists default to DF's own reach: its data directory (stream-back and
 * results included) and the data services it is configured with (Kafka, registry). Never DF's
 * own store, where a connector could read or rewrite DF's records, nor the control planes (Kafka
 * Connect, Flink, the gateway, Temporal), whose REST APIs would let a task go round the policy.
 */
function reachPolicy(s: Settings): ReachPolicy {
  const serviceHosts = [
    ...s.KAFKA_BROKERS,
    ...s.FLINK_KAFKA_BROKERS.split(',').filter(Boolean),
    ...s.SCHEMA_REGISTRY_URL.flatMap(endpointsOf),
    ...s.FLINK_SCHEMA_REGISTRY_URL.split(',').filter(Boolean).flatMap(endpointsOf),
  ];
  return {
    connectorClasses: s.DF_ALLOWED_CONNECTOR_CLASSES,
    pathRoots:
      s.DF_ALLOWED_PATHS.length > 0
        ? s.DF_ALLOWED_PATHS
        : [...new Set([s.DF_DATA_DIR, ...(s.DF_STREAMBACK_DIR ? [s.DF_STREAMBACK_DIR] : [])])],
    flinkConnectors: s.DF_ALLOWED_FLINK_CONNECTORS,
    hosts:
      s.DF_ALLOWED_TASK_HOSTS.length > 0
        ? s.DF_ALLOWED_TASK_HOSTS
        : [...new Set(serviceHosts.map((h) => h.toLowerCase()))],
    sqlJars: s.DF_ALLOW_SQL_JARS,
    connectorOverrides: s.DF_ALLOW_CONNECTOR_OVERRIDES,
  };
}
