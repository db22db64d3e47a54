import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TLSConfig } from '@temporalio/client';
import { loadClientConfigProfile, type ClientConfigProfile, type ConfigDataSource } from '@temporalio/envconfig';

/** How DF reaches Temporal: the options every Client and worker connection is built from. */
export interface TemporalConnection {
  address: string;
  /** Absent: plaintext. */
  tls?: TLSConfig;
  /** Sent as `Authorization: Bearer`; only ever over TLS. */
  apiKey?: string;
}

/** What a log line or /health may say of the connection: where things came from, never their content. */
export interface TemporalSecuritySummary {
  tls: boolean;
  serverName?: string;
  /** The CA file, or `inline` for data given in a variable; absent: the system's roots. */
  serverCa?: string;
  clientCert?: string;
  auth: 'api-key' | 'mtls' | 'none';
  /** The profile file and profile read, when a file was found. */
  profile?: string;
}

/** A Temporal setting that cannot be used; `variable` is the environment variable to fix. */
export class TemporalSettingError extends Error {
  constructor(
    readonly variable: TemporalVariable,
    message: string,
  ) {
    super(message);
    this.name = 'TemporalSettingError';
  }
}

/**
 * The variables the `temporal` CLI and the SDK's loader (`@temporalio/envconfig`) read, each also a
 * row of DF's settings table. TEMPORAL_TLS and TEMPORAL_TLS_DISABLE_HOST_VERIFICATION are read here
 * rather than by the loader: an explicit TLS switch must be told from the profile's `disabled` key
 * to name the right one in an error (the loader merges them), and the TypeScript SDK has no way to
 * skip host verification, which the loader drops without a word.
 */
export const TEMPORAL_VARIABLES = [
  'TEMPORAL_ADDRESS',
  'TEMPORAL_NAMESPACE',
  'TEMPORAL_API_KEY',
  'TEMPORAL_TLS',
  'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
  'TEMPORAL_TLS_SERVER_CA_CERT_DATA',
  'TEMPORAL_TLS_CLIENT_CERT_PATH',
  'TEMPORAL_TLS_CLIENT_CERT_DATA',
  'TEMPORAL_TLS_CLIENT_KEY_PATH',
  'TEMPORAL_TLS_CLIENT_KEY_DATA',
  'TEMPORAL_TLS_SERVER_NAME',
  'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION',
  'TEMPORAL_PROFILE',
  'TEMPORAL_CONFIG_FILE',
] as const;
export type TemporalVariable = (typeof TEMPORAL_VARIABLES)[number];

const LOADER_VARIABLES: readonly TemporalVariable[] = TEMPORAL_VARIABLES.filter(
  (v) => v !== 'TEMPORAL_TLS' && v !== 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION',
);

const TLS_MATERIAL_VARIABLES: readonly TemporalVariable[] = TEMPORAL_VARIABLES.filter(
  (v) => v.startsWith('TEMPORAL_TLS_') && v !== 'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION',
);

/** The profile as the CLI would use it: the profile file's, each key overridden by its variable. */
export interface TemporalProfile {
  address?: string;
  namespace?: string;
  connection: Omit<TemporalConnection, 'address'>;
  summary: TemporalSecuritySummary;
}

/** The default profile file, where the CLI's `temporal config set` writes. */
export function defaultProfileFile(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(base, 'temporalio', 'temporal.toml');
}

/** A variable's value; empty counts as unset, as for every DF setting. */
function set(env: NodeJS.ProcessEnv, name: TemporalVariable): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Reads the profile (file, then variables over it) and turns its TLS keys into the SDK's TLS
 * options, reading the certificate files now so a missing or malformed one stops the process at
 * start. `tls` is DF's parsed TEMPORAL_TLS: undefined when unset.
 */
export function resolveTemporalProfile(
  env: NodeJS.ProcessEnv,
  switches: { tls?: boolean; disableHostVerification: boolean },
): TemporalProfile {
  const file = set(env, 'TEMPORAL_CONFIG_FILE');
  if (file !== undefined && !fs.existsSync(file)) {
    throw new TemporalSettingError('TEMPORAL_CONFIG_FILE', `no such file: ${file}`);
  }
  const profileFile = file ?? defaultProfileFile(env);
  const profileName = set(env, 'TEMPORAL_PROFILE') ?? 'default';
  const fileVariable = (key: string): Origin => ({
    variable: 'TEMPORAL_CONFIG_FILE',
    label: `\`${key}\` of profile "${profileName}" in ${profileFile}`,
  });
  if (set(env, 'TEMPORAL_PROFILE') !== undefined && !fs.existsSync(profileFile)) {
    throw new TemporalSettingError(
      'TEMPORAL_PROFILE',
      `profile "${profileName}" asked for, but there is no profile file at ${profileFile} (TEMPORAL_CONFIG_FILE names another)`,
    );
  }
  const overrideEnvVars: Record<string, string> = {};
  for (const name of LOADER_VARIABLES) {
    const value = set(env, name);
    if (value !== undefined) overrideEnvVars[name] = value;
  }
  for (const kind of ['SERVER_CA_CERT', 'CLIENT_CERT', 'CLIENT_KEY'] as const) {
    const p = `TEMPORAL_TLS_${kind}_PATH` as const;
    const d = `TEMPORAL_TLS_${kind}_DATA` as const;
    if (overrideEnvVars[p] !== undefined && overrideEnvVars[d] !== undefined) {
      throw new TemporalSettingError(p, `set ${p} or ${d}, not both`);
    }
  }
  let profile: ClientConfigProfile;
  try {
    // The file is named here, not left to the loader, so its path follows the env given (tests, a child's env).
    profile = loadClientConfigProfile({
      ...(fs.existsSync(profileFile) ? { configSource: { path: profileFile } } : { disableFile: true }),
      ...(set(env, 'TEMPORAL_PROFILE') !== undefined ? { profile: profileName } : {}),
      overrideEnvVars,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/profile .* not found/i.test(message)) {
      throw new TemporalSettingError('TEMPORAL_PROFILE', `no profile "${profileName}" in ${profileFile}`);
    }
    throw new TemporalSettingError('TEMPORAL_CONFIG_FILE', `${profileFile} cannot be read: ${message}`);
  }

  const origin = (variable: TemporalVariable, key: string): Origin =>
    set(env, variable) !== undefined ? { variable, label: variable } : fileVariable(key);
  const tlsKeys = profile.tls;
  const apiKey = profile.apiKey === '' ? undefined : profile.apiKey;
  const material = {
    serverCa: tlsKeys?.serverCACert,
    clientCert: tlsKeys?.clientCert,
    clientKey: tlsKeys?.clientKey,
    serverName: tlsKeys?.serverName,
  };
  // As the CLI: TLS is on when asked for, when the profile has TLS keys not marked disabled, or with an API key.
  const tlsOn =
    switches.tls ??
    (tlsKeys !== undefined && tlsKeys.disabled !== true
      ? true
      : tlsKeys?.disabled === true
        ? false
        : apiKey !== undefined);
  const tlsOrigin = switches.tls !== undefined ? origin('TEMPORAL_TLS', 'tls.disabled') : fileVariable('tls.disabled');

  if (switches.disableHostVerification) {
    throw new TemporalSettingError(
      'TEMPORAL_TLS_DISABLE_HOST_VERIFICATION',
      "the TypeScript SDK always verifies the server's name; set TEMPORAL_TLS_SERVER_NAME to the name in the server's certificate instead",
    );
  }
  if (!tlsOn) {
    if (apiKey !== undefined) {
      throw new TemporalSettingError(
        tlsOrigin.variable,
        `${tlsOrigin.label} turns TLS off, but an API key is set: it would cross the network in clear (Temporal Cloud refuses it without TLS anyway)`,
      );
    }
    // The profile file's TLS keys give way to TEMPORAL_TLS=false, as in the CLI; variables set beside it are a contradiction.
    const given = TLS_MATERIAL_VARIABLES.find((v) => set(env, v) !== undefined);
    if (given) {
      throw new TemporalSettingError(given, `${tlsOrigin.label} turns TLS off, but ${given} is set: unset one of them`);
    }
    return {
      address: profile.address,
      namespace: profile.namespace,
      connection: {},
      summary: { tls: false, auth: 'none', ...profileNote(profileFile, profileName) },
    };
  }

  const certOrigin = origin(
    env.TEMPORAL_TLS_CLIENT_CERT_DATA ? 'TEMPORAL_TLS_CLIENT_CERT_DATA' : 'TEMPORAL_TLS_CLIENT_CERT_PATH',
    'tls.client_cert_path',
  );
  const keyOrigin = origin(
    env.TEMPORAL_TLS_CLIENT_KEY_DATA ? 'TEMPORAL_TLS_CLIENT_KEY_DATA' : 'TEMPORAL_TLS_CLIENT_KEY_PATH',
    'tls.client_key_path',
  );
  const caOrigin = origin(
    env.TEMPORAL_TLS_SERVER_CA_CERT_DATA ? 'TEMPORAL_TLS_SERVER_CA_CERT_DATA' : 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    'tls.server_ca_cert_path',
  );
  if (material.clientKey !== undefined && material.clientCert === undefined) {
    throw new TemporalSettingError(
      keyOrigin.variable,
      `${keyOrigin.label} gives a client key without a client certificate: set TEMPORAL_TLS_CLIENT_CERT_PATH too`,
    );
  }
  if (material.clientCert !== undefined && material.clientKey === undefined) {
    throw new TemporalSettingError(
      certOrigin.variable,
      `${certOrigin.label} gives a client certificate without its key: set TEMPORAL_TLS_CLIENT_KEY_PATH too`,
    );
  }
  const ca = readPem(material.serverCa, caOrigin, 'CERTIFICATE');
  const crt = readPem(material.clientCert, certOrigin, 'CERTIFICATE');
  const key = readPem(material.clientKey, keyOrigin, 'PRIVATE KEY');
  const tls: TLSConfig = {
    ...(material.serverName ? { serverNameOverride: material.serverName } : {}),
    ...(ca ? { serverRootCACertificate: ca } : {}),
    ...(crt && key ? { clientCertPair: { crt, key } } : {}),
  };
  return {
    address: profile.address,
    namespace: profile.namespace,
    connection: { tls, ...(apiKey !== undefined ? { apiKey } : {}) },
    summary: {
      tls: true,
      ...(material.serverName ? { serverName: material.serverName } : {}),
      ...(material.serverCa ? { serverCa: sourceLabel(material.serverCa) } : {}),
      ...(material.clientCert ? { clientCert: sourceLabel(material.clientCert) } : {}),
      auth: apiKey !== undefined ? 'api-key' : crt ? 'mtls' : 'none',
      ...profileNote(profileFile, profileName),
    },
  };
}

interface Origin {
  variable: TemporalVariable;
  /** The variable, or the key of the profile file, for messages. */
  label: string;
}

function profileNote(file: string, name: string): { profile?: string } {
  return fs.existsSync(file) ? { profile: `${name} in ${file}` } : {};
}

function sourceLabel(source: ConfigDataSource): string {
  return 'path' in source ? source.path : 'inline';
}

/** The PEM bytes of a certificate or key, checked for the PEM block they must hold; a message never shows the content. */
function readPem(source: ConfigDataSource | undefined, origin: Origin, block: string): Buffer | undefined {
  if (source === undefined) return undefined;
  let bytes: Buffer;
  if ('path' in source) {
    try {
      bytes = fs.readFileSync(source.path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(code ?? error);
      throw new TemporalSettingError(origin.variable, `${origin.label}: cannot read ${source.path}: ${why}`);
    }
  } else {
    bytes = Buffer.from(source.data);
  }
  if (!new RegExp(`-----BEGIN [A-Z ]*${block}-----`).test(bytes.toString('latin1'))) {
    throw new TemporalSettingError(
      origin.variable,
      `${origin.label}: expected a PEM ${block.toLowerCase()} ("-----BEGIN ...${block}-----")`,
    );
  }
  return bytes;
}
