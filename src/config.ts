import path from 'node:path';
import { z } from 'zod';
import { durationMs } from './domain/duration';
import { hostsOf, type ReachPolicy } from './domain/reach-policy';
import { DEFAULT_SECRET_KEY_WORDS, maskUrlCredentials, SecretKeys, secretKeyWords } from './domain/secrets';
import { DEFAULT_TASK_QUEUE } from './protocol/workflow-ids';
import { parsePayloadKeys, PayloadKey, PayloadKeyError } from './temporal/payload-codec';

/**
 * Every setting DataFibers reads, from environment variables, with defaults that point at the
 * local stack (`npm run stack -- up`). A malformed value stops the process at start, naming the
 * variable, instead of failing later on first use.
 */
export interface Config {
  temporal: { address: string; namespace: string; taskQueue: string; uiUrl: string };
  mongo: { url: string; db: string };
  kafkaConnectUrl: string;
  schemaRegistryUrl: string;
  flinkUrl: string;
  flinkSqlGatewayUrl: string;
  kafkaBrokers: string[];
  /** Address the API binds to: loopback unless the deployment says otherwise (containers: 0.0.0.0). */
  host: string;
  port: number;
  /** How long a mutation's HTTP request waits for its workflow before answering 202. */
  syncWaitMs: number;
  /** Where DF keeps its files (DF_DATA_DIR): uploads, results, stream-back files; tasks' files by default. */
  dataDir: string;
  transforms: TransformSettings;
  sync: SyncSettings;
  metadata: MetadataSettings;
  streamBack: StreamBackSettings;
  api: ApiSettings;
  /** Which config keys hold secrets: masked in every answer and log line, kept when an edit leaves them out (DF_SECRET_KEYS). */
  secretKeys: SecretKeys;
  /**
   * Keys that encrypt workflow payloads and the secret config values in the store, the first for
   * new ones (DF_PAYLOAD_KEY); none (dev mode only): both in clear.
   */
  payloadKeys: PayloadKey[];
  /** A local stack, not a deployment: DF_PAYLOAD_KEY may be left unset (DF_DEV_MODE). */
  devMode: boolean;
  /** host:port where the worker's Temporal runtime exports its Prometheus metrics; empty: not exported. */
  workerMetricsAddress: string;
  /** Workflow runs a worker keeps in memory between their steps (the SDK's default grows with the heap limit). */
  workerCachedWorkflows: number;
  /** What tasks may make Kafka Connect and Flink touch (docs/security.md, Reach policy). */
  reach: ReachPolicy;
}

/** Who may call the API, from where, and how much they may send. */
export interface ApiSettings {
  /** Bearer tokens and their roles; none → the API runs open (and says so at start). */
  tokens: ApiToken[];
  /** Origins browsers may call from; ['*'] allows any; none: no cross-origin access at all. */
  corsOrigins: string[];
  /**
   * Host names the API answers to (the Host header), lower case; ['*'] takes any. IP literals are
   * always taken: a DNS-rebinding page reaches the API only under a name of its own.
   */
  allowedHosts: string[];
  /** Open connections the server holds at once; past it a new one is closed at once (0: no cap). */
  maxConnections: number;
  /** Largest JSON request body, in bytes (jar uploads have their own limit). */
  bodyLimitBytes: number;
  /** How old the in-memory snapshot behind task lists may be, in ms; 0 reads the store for every list. */
  listMaxAgeMs: number;
  /** Operations this API process runs at once; past it a new one is refused with 503 and Retry-After (0: no bound). */
  maxInFlight: number;
  /** Jar uploads this API process receives at once; past it a new one is refused with 503 and Retry-After (0: no bound). */
  maxUploads: number;
}

export type ApiRole = 'viewer' | 'admin';

export interface ApiToken {
  token: string;
  role: ApiRole;
}

/** Where stream-back files go and how long a delivery may stall before it is called failed. */
export interface StreamBackSettings {
  /** Kafka Connect's workers read the files here, at the same path. */
  dir: string;
  /** No new record on the topic for this long → the stream back fails (connector deleted, file kept). */
  stallTimeoutMs: number;
}

/** The status sync's rhythm and the startup sync's switch. */
export interface SyncSettings {
  /** Period of the df-status-sync schedule; 0 leaves the schedule alone (another deployment runs it). */
  intervalMs: number;
  /** A RUNNING → UNASSIGNED flip shorter than this (a rebalance) is not recorded. */
  graceMs: number;
  /** Run startupSync (import, drift report, metadata sink) when a worker starts. */
  onStartup: boolean;
}

/** Where processing metadata flows: topic → metadata sink connector → collection df_meta. */
export interface MetadataSettings {
  topic: string;
  /** The internal MongoDB sink connector's name in Kafka Connect. */
  connector: string;
  collection: string;
  /** The store as Kafka Connect's workers reach it (in containers, not necessarily DF's address). */
  connectMongoUrl: string;
}

/** Where transform files live and how Flink reaches the data services. */
export interface TransformSettings {
  /** Jars uploaded through POST /uploaded_files, kept so a jar Flink lost can be uploaded again. */
  uploadDir: string;
  /** Result sets of batch transforms; Flink's TaskManagers must be able to write there. */
  resultDir: string;
  /** Where savepoints go; empty leaves it to Flink's execution.checkpointing.savepoint-dir. */
  savepointDir?: string;
  /** Kafka and registry as Flink's jobs reach them (in containers, not necessarily DF's addresses). */
  flinkKafkaBrokers: string;
  flinkSchemaRegistryUrl: string;
}

/** Default of every variable: the local stack's address. docker-compose.yml sets the same names. */
export const ENV_DEFAULTS = {
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
  TEMPORAL_NAMESPACE: 'default',
  DF_TASK_QUEUE: DEFAULT_TASK_QUEUE,
  TEMPORAL_UI_URL: 'http://127.0.0.1:8233',
  MONGO_URL: 'mongodb://127.0.0.1:27017/?directConnection=true',
  MONGO_DB: 'DEFAULT_DB',
  KAFKA_CONNECT_URL: 'http://127.0.0.1:8083',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  FLINK_URL: 'http://127.0.0.1:8082',
  FLINK_SQL_GATEWAY_URL: 'http://127.0.0.1:8084',
  KAFKA_BROKERS: '127.0.0.1:9092',
  DF_HOST: '127.0.0.1',
  DF_PORT: '8080',
  DF_SYNC_WAIT_MS: '10000',
  DF_DATA_DIR: '.df',
  DF_SAVEPOINT_DIR: '',
  FLINK_KAFKA_BROKERS: '',
  FLINK_SCHEMA_REGISTRY_URL: '',
  DF_SYNC_INTERVAL: '10s',
  DF_SYNC_GRACE: '30s',
  DF_STARTUP_SYNC: 'true',
  DF_META_TOPIC: 'df_meta',
  DF_META_CONNECTOR: 'metadata_sink_connect',
  CONNECT_MONGO_URL: '',
  DF_STREAMBACK_DIR: '',
  DF_STREAMBACK_TIMEOUT: '5m',
  DF_API_TOKENS: '',
  DF_CORS_ORIGINS: '',
  DF_ALLOWED_HOSTS: '',
  DF_MAX_CONNECTIONS: '1000',
  DF_BODY_LIMIT: '1048576',
  DF_SECRET_KEYS: DEFAULT_SECRET_KEY_WORDS.join(','),
  DF_PAYLOAD_KEY: '',
  DF_DEV_MODE: 'false',
  DF_WORKER_METRICS: '127.0.0.1:9464',
  DF_LIST_MAX_AGE: '1s',
  DF_MAX_IN_FLIGHT: '32',
  DF_MAX_UPLOADS: '2',
  DF_WORKER_CACHE: '250',
  // The classes DF's own features and connector types use, each with keys the reach policy reads.
  DF_ALLOWED_CONNECTOR_CLASSES: [
    'org.apache.kafka.connect.file.FileStreamSourceConnector',
    'org.apache.kafka.connect.file.FileStreamSinkConnector',
    'com.mongodb.kafka.connect.MongoSourceConnector',
    'com.mongodb.kafka.connect.MongoSinkConnector',
  ].join(','),
  DF_ALLOWED_PATHS: '',
  DF_ALLOWED_FLINK_CONNECTORS: 'kafka,upsert-kafka,datagen,blackhole,print,filesystem,generic_in_memory',
  DF_ALLOWED_TASK_HOSTS: '',
  DF_ALLOW_SQL_JARS: 'false',
  DF_ALLOW_CONNECTOR_OVERRIDES: 'false',
} as const;

export type EnvName = keyof typeof ENV_DEFAULTS;

export class ConfigError extends Error {
  constructor(
    readonly variable: EnvName,
    message: string,
  ) {
    super(`Invalid environment variable ${variable}: ${message}`);
    this.name = 'ConfigError';
  }
}

const hostPort = z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port, e.g. 127.0.0.1:7233');
const httpUrl = z
  .string()
  .url('expected an http(s) URL')
  .refine((v) => /^https?:\/\//.test(v), 'expected an http(s) URL')
  .transform((v) => v.replace(/\/+$/, ''));
const mongoUrl = z
  .string()
  .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'expected a mongodb:// or mongodb+srv:// connection string');
const duration = z
  .string()
  .refine((v) => durationMs(v) !== undefined, 'expected a duration such as 500ms, 10s, 5m (a bare number is seconds)')
  .transform((v) => durationMs(v) as number);
const name = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'expected letters, digits, "_", "-" or "."');
const bool = z.enum(['true', 'false'], { error: 'expected true or false' }).transform((v) => v === 'true');
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

// `token:role,token:role`: a token too short to resist guessing is refused at start, as is an unknown role.
const apiToken = z
  .string()
  .trim()
  .regex(
    /^[^\s:,]{16,}:(viewer|admin)$/,
    'expected token:role with a token of at least 16 characters (no spaces, ":" or ",") and role viewer or admin',
  )
  .transform((v): ApiToken => {
    const at = v.lastIndexOf(':');
    return { token: v.slice(0, at), role: v.slice(at + 1) as ApiRole };
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
  .refine((tokens) => new Set(tokens.map((t) => t.token)).size === tokens.length, 'a token is listed twice');

const PARSERS: Record<EnvName, z.ZodType<unknown>> = {
  TEMPORAL_ADDRESS: hostPort,
  TEMPORAL_NAMESPACE: name,
  DF_TASK_QUEUE: name,
  TEMPORAL_UI_URL: httpUrl,
  MONGO_URL: mongoUrl,
  // MongoDB forbids these characters in database names.
  MONGO_DB: z.string().regex(/^[^/\\. "$*<>:|?]{1,63}$/, 'expected a MongoDB database name'),
  KAFKA_CONNECT_URL: httpUrl,
  SCHEMA_REGISTRY_URL: httpUrl,
  FLINK_URL: httpUrl,
  FLINK_SQL_GATEWAY_URL: httpUrl,
  KAFKA_BROKERS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((b) => b.trim())
        .filter((b) => b.length > 0),
    )
    .pipe(z.array(hostPort).min(1, 'expected a comma-separated list of host:port')),
  DF_HOST: z.string().regex(/^[A-Za-z0-9.:-]+$/, 'expected a host name or IP address'),
  DF_PORT: z.coerce.number().int('expected an integer').min(1).max(65535),
  DF_SYNC_WAIT_MS: z.coerce.number().int('expected an integer').min(0).max(600000),
  DF_DATA_DIR: z
    .string()
    .min(1)
    .transform((v) => path.resolve(v)),
  DF_SAVEPOINT_DIR: z.union([
    z.literal(''),
    z
      .string()
      .regex(
        /^[a-z][a-z0-9+.-]*:\//,
        'expected a URI Flink can write, e.g. file:///data/savepoints or s3://bucket/savepoints',
      ),
  ]),
  FLINK_KAFKA_BROKERS: z.union([
    z.literal(''),
    z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, 'expected host:port[,host:port…]'),
  ]),
  FLINK_SCHEMA_REGISTRY_URL: z.union([z.literal(''), httpUrl]),
  DF_SYNC_INTERVAL: duration,
  DF_SYNC_GRACE: duration,
  DF_STARTUP_SYNC: bool,
  DF_DEV_MODE: bool,
  DF_META_TOPIC: z.string().regex(/^[A-Za-z0-9._-]{1,249}$/, 'expected a Kafka topic name'),
  DF_META_CONNECTOR: name,
  CONNECT_MONGO_URL: z.union([z.literal(''), mongoUrl]),
  DF_STREAMBACK_DIR: z.string().transform((v) => (v === '' ? '' : path.resolve(v))),
  DF_STREAMBACK_TIMEOUT: duration,
  DF_API_TOKENS: apiTokens,
  DF_CORS_ORIGINS: z
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
  DF_ALLOWED_HOSTS: z
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
  DF_MAX_CONNECTIONS: z.coerce.number().int('expected an integer').min(0).max(1_000_000),
  DF_WORKER_METRICS: z.union([z.literal('off'), hostPort]),
  DF_LIST_MAX_AGE: duration,
  DF_MAX_IN_FLIGHT: z.coerce.number().int('expected an integer').min(0).max(100000),
  DF_MAX_UPLOADS: z.coerce.number().int('expected an integer').min(0).max(1000),
  DF_WORKER_CACHE: z.coerce.number().int('expected an integer').min(0).max(100000),
  DF_ALLOWED_CONNECTOR_CLASSES: list(
    z.union([
      z.literal('*'),
      z.string().regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, 'expected * or Java class names'),
    ]),
  ),
  DF_ALLOWED_PATHS: list(pathRoot),
  DF_ALLOWED_FLINK_CONNECTORS: list(
    z.string().regex(/^(\*|[A-Za-z0-9_.-]+)$/, 'expected * or connector names such as kafka, filesystem'),
  ),
  DF_ALLOWED_TASK_HOSTS: list(
    z
      .string()
      .regex(/^(\*|([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?)$/, 'expected * or host / host:port entries'),
  ),
  DF_ALLOW_SQL_JARS: bool,
  DF_ALLOW_CONNECTOR_OVERRIDES: bool,
  DF_BODY_LIMIT: z.coerce
    .number()
    .int('expected a number of bytes')
    .min(1024)
    .max(100 * 1024 * 1024),
  DF_SECRET_KEYS: z
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
  DF_PAYLOAD_KEY: z.string().transform((v, ctx) => {
    try {
      return parsePayloadKeys(v);
    } catch (error) {
      if (!(error instanceof PayloadKeyError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  }),
};

/** What an error may echo of a value: never a token, never a connection string's password. */
export function shownValue(variable: EnvName, value: string): string {
  if (variable === 'DF_API_TOKENS' || variable === 'DF_PAYLOAD_KEY') return '(value withheld: it holds secrets)';
  return JSON.stringify(maskUrlCredentials(value));
}

function read<T>(env: NodeJS.ProcessEnv, variable: EnvName): T {
  const raw = env[variable];
  const value = raw === undefined || raw === '' ? ENV_DEFAULTS[variable] : raw;
  const parsed = PARSERS[variable].safeParse(value);
  if (!parsed.success) {
    const reason = parsed.error.issues.map((i) => i.message).join('; ');
    throw new ConfigError(variable, `${reason} (got ${shownValue(variable, value)})`);
  }
  return parsed.data as T;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config: Config = {
    temporal: {
      address: read(env, 'TEMPORAL_ADDRESS'),
      namespace: read(env, 'TEMPORAL_NAMESPACE'),
      taskQueue: read(env, 'DF_TASK_QUEUE'),
      uiUrl: read(env, 'TEMPORAL_UI_URL'),
    },
    mongo: { url: read(env, 'MONGO_URL'), db: read(env, 'MONGO_DB') },
    kafkaConnectUrl: read(env, 'KAFKA_CONNECT_URL'),
    schemaRegistryUrl: read(env, 'SCHEMA_REGISTRY_URL'),
    flinkUrl: read(env, 'FLINK_URL'),
    flinkSqlGatewayUrl: read(env, 'FLINK_SQL_GATEWAY_URL'),
    kafkaBrokers: read(env, 'KAFKA_BROKERS'),
    host: read(env, 'DF_HOST'),
    port: read(env, 'DF_PORT'),
    syncWaitMs: read(env, 'DF_SYNC_WAIT_MS'),
    dataDir: read(env, 'DF_DATA_DIR'),
    transforms: transformSettings(env),
    sync: {
      intervalMs: read(env, 'DF_SYNC_INTERVAL'),
      graceMs: read(env, 'DF_SYNC_GRACE'),
      onStartup: read(env, 'DF_STARTUP_SYNC'),
    },
    metadata: {
      topic: read(env, 'DF_META_TOPIC'),
      connector: read(env, 'DF_META_CONNECTOR'),
      collection: 'df_meta',
      connectMongoUrl: read<string>(env, 'CONNECT_MONGO_URL') || read<string>(env, 'MONGO_URL'),
    },
    streamBack: {
      dir: read<string>(env, 'DF_STREAMBACK_DIR') || path.join(read<string>(env, 'DF_DATA_DIR'), 'streamback'),
      stallTimeoutMs: read(env, 'DF_STREAMBACK_TIMEOUT'),
    },
    workerMetricsAddress:
      read<string>(env, 'DF_WORKER_METRICS') === 'off' ? '' : read<string>(env, 'DF_WORKER_METRICS'),
    workerCachedWorkflows: read(env, 'DF_WORKER_CACHE'),
    api: {
      tokens: read(env, 'DF_API_TOKENS'),
      corsOrigins: read(env, 'DF_CORS_ORIGINS'),
      allowedHosts: allowedHosts(env),
      maxConnections: read(env, 'DF_MAX_CONNECTIONS'),
      bodyLimitBytes: read(env, 'DF_BODY_LIMIT'),
      listMaxAgeMs: read(env, 'DF_LIST_MAX_AGE'),
      maxInFlight: read(env, 'DF_MAX_IN_FLIGHT'),
      maxUploads: read(env, 'DF_MAX_UPLOADS'),
    },
    secretKeys: read(env, 'DF_SECRET_KEYS'),
    payloadKeys: read(env, 'DF_PAYLOAD_KEY'),
    devMode: read(env, 'DF_DEV_MODE'),
    reach: reachPolicy(env),
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

/** DF_ALLOWED_HOSTS, or by default localhost and the bind address when it is a name (IP literals pass anyway). */
function allowedHosts(env: NodeJS.ProcessEnv): string[] {
  const given = read<string[]>(env, 'DF_ALLOWED_HOSTS');
  if (given.length > 0) return given;
  const bind = read<string>(env, 'DF_HOST').toLowerCase();
  return [...new Set(['localhost', bind])];
}

function transformSettings(env: NodeJS.ProcessEnv): TransformSettings {
  const dataDir = read<string>(env, 'DF_DATA_DIR');
  const savepointDir = read<string>(env, 'DF_SAVEPOINT_DIR');
  return {
    uploadDir: path.join(dataDir, 'uploads'),
    resultDir: path.join(dataDir, 'results'),
    ...(savepointDir ? { savepointDir } : {}),
    flinkKafkaBrokers: read<string>(env, 'FLINK_KAFKA_BROKERS') || read<string[]>(env, 'KAFKA_BROKERS').join(','),
    flinkSchemaRegistryUrl: read<string>(env, 'FLINK_SCHEMA_REGISTRY_URL') || read<string>(env, 'SCHEMA_REGISTRY_URL'),
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
function reachPolicy(env: NodeJS.ProcessEnv): ReachPolicy {
  const dataDir = read<string>(env, 'DF_DATA_DIR');
  const streamBackDir = read<string>(env, 'DF_STREAMBACK_DIR');
  const paths = read<string[]>(env, 'DF_ALLOWED_PATHS');
  const hosts = read<string[]>(env, 'DF_ALLOWED_TASK_HOSTS');
  const serviceHosts = [
    ...read<string[]>(env, 'KAFKA_BROKERS'),
    ...(read<string>(env, 'FLINK_KAFKA_BROKERS') || '').split(',').filter(Boolean),
    ...endpointsOf(read<string>(env, 'SCHEMA_REGISTRY_URL')),
    ...endpointsOf(read<string>(env, 'FLINK_SCHEMA_REGISTRY_URL') || read<string>(env, 'SCHEMA_REGISTRY_URL')),
  ];
  return {
    connectorClasses: read(env, 'DF_ALLOWED_CONNECTOR_CLASSES'),
    pathRoots: paths.length > 0 ? paths : [...new Set([dataDir, ...(streamBackDir ? [streamBackDir] : [])])],
    flinkConnectors: read(env, 'DF_ALLOWED_FLINK_CONNECTORS'),
    hosts: hosts.length > 0 ? hosts : [...new Set(serviceHosts.map((h) => h.toLowerCase()))],
    sqlJars: read(env, 'DF_ALLOW_SQL_JARS'),
    connectorOverrides: read(env, 'DF_ALLOW_CONNECTOR_OVERRIDES'),
  };
}
