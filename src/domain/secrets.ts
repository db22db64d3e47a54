/**
 * Secrets in connector and transform configs, API answers and log lines: which config keys name a
 * secret, how they are masked, and how an edit that does not re-send a secret keeps it.
 */
import type { StringMap } from './task';

/**
 * The words that make a config key secret (DF_SECRET_KEYS replaces the list). A key is split into
 * words at `.`, `_`, `-` and camelCase; a listed word matches any of them, and a word ending in `$`
 * only the last one. So `ssl.key.password`, `sasl.jaas.config`, `apiKey` and `private.key` are
 * secret, while `key.converter` is not: `key` counts only as a key's last word.
 */
export const DEFAULT_SECRET_KEY_WORDS: readonly string[] = [
  'password',
  'passwd',
  'pwd',
  'secret',
  'token',
  'credential',
  'credentials',
  'key$',
  'apikey',
  'jaas',
  'authorization',
  'bearer',
];

/** What an answer shows in place of a secret; sent back in an edit, it means "keep the stored value". */
export const SECRET_MASK = '********';

const wordsOf = (key: string) =>
  key
    .split(/[._\-\s/]+|(?<=[a-z0-9])(?=[A-Z])/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());

const KNOWN_KEYS_MAX = 10_000;

export class SecretKeys {
  private readonly anywhere: Set<string>;
  private readonly last: Set<string>;

  constructor(private readonly words: readonly string[] = DEFAULT_SECRET_KEY_WORDS) {
    const normal = words.map((w) => w.trim().toLowerCase()).filter((w) => w.length > 0);
    this.anywhere = new Set(normal.filter((w) => !w.endsWith('$')));
    this.last = new Set(normal.filter((w) => w.endsWith('$')).map((w) => w.slice(0, -1)));
  }

  /** This policy with more secret words. */
  with(more: readonly string[]): SecretKeys {
    return new SecretKeys([...this.words, ...more]);
  }

  /** Answers by key, remembered: every list masks the same few dozen keys thousands of times. */
  private readonly known = new Map<string, boolean>();

  isSecret(key: string): boolean {
    let secret = this.known.get(key);
    if (secret === undefined) {
      const words = wordsOf(key);
      secret = words.some((w) => this.anywhere.has(w)) || (words.length > 0 && this.last.has(words[words.length - 1]));
      // Bounded: config keys come from users, and a flood of distinct ones must not grow it for ever.
      if (this.known.size < KNOWN_KEYS_MAX) this.known.set(key, secret);
    }
    return secret;
  }

  /**
   * The config as an answer shows it: every non-empty secret value replaced by SECRET_MASK, and the
   * password of a connection string under any key (`connection.uri`: mongodb://user:***@host).
   */
  maskConfig(config: StringMap): StringMap {
    let masked: StringMap | undefined;
    for (const [k, v] of Object.entries(config)) {
      if (v !== '' && this.isSecret(k)) (masked ??= { ...config })[k] = SECRET_MASK;
      else if (typeof v === 'string') {
        const shown = maskUrlCredentials(v);
        if (shown !== v) (masked ??= { ...config })[k] = shown;
      }
    }
    return masked ?? config;
  }

  /**
   * The config an edit leads to, with the stored secrets it did not re-send: a secret key the edit
   * left out of a whole new config, or sent back as SECRET_MASK, keeps its stored value. Removing a
   * secret takes an explicit null in a PATCH.
   */
  keepSecrets(stored: StringMap, edited: StringMap, removed: readonly string[] = []): StringMap {
    const out: StringMap = { ...edited };
    for (const [k, v] of Object.entries(stored)) {
      if (removed.includes(k)) continue;
      if (this.isSecret(k)) {
        if (!(k in out) || out[k] === SECRET_MASK) out[k] = v;
      } else if (out[k] !== v && out[k] === maskUrlCredentials(v)) {
        // The connection string sent back as an answer showed it: its password stays.
        out[k] = v;
      }
    }
    return out;
  }
}

/** DF_SECRET_KEYS as its words: comma-separated, blanks dropped (the config module checks each). */
export function secretKeyWords(raw: string): string[] {
  return raw
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w.length > 0);
}

/**
 * A copy of an API answer with the secrets of every config in it masked: the values of secret keys
 * inside any `connectorConfig`, `jobConfig` or `connectorConfigPatch` map, at any depth (a task, a
 * list of tasks, an operation's result).
 */
export function maskConfigSecrets<T>(value: T, secrets: SecretKeys, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > 12) return value;
  if (Array.isArray(value)) return value.map((v) => maskConfigSecrets(v, secrets, depth + 1)) as T;
  if (value instanceof Date) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] =
      CONFIG_FIELDS.has(k) && v !== null && typeof v === 'object' && !Array.isArray(v)
        ? secrets.maskConfig(v as StringMap)
        : maskConfigSecrets(v, secrets, depth + 1);
  }
  return out as T;
}

const CONFIG_FIELDS = new Set(['connectorConfig', 'jobConfig', 'connectorConfigPatch']);

export const REDACTED = '[redacted]';

/** `scheme://user:password@host` → `scheme://user:***@host` */
export function maskUrlCredentials(text: string): string {
  return text.replace(/(\/\/[^:/@\s]*):[^@/\s]*@/g, '$1:***@');
}

/** What is secret in a log line whatever the config says: auth headers and the like. */
export const ALWAYS_SECRET_IN_LOGS = ['authorization', 'bearer', 'cookie', 'jaas'];

/** The policy a log line is scrubbed with: the configured secret keys plus the ones always secret there. */
export function logSecretsOf(configured: SecretKeys): SecretKeys {
  return configured.with(ALWAYS_SECRET_IN_LOGS);
}

const DEFAULT_LOG_SECRETS = logSecretsOf(new SecretKeys(DEFAULT_SECRET_KEY_WORDS));

/** A copy with every secret replaced; cycles and depth are bounded, since log fields can be anything. */
export function redactSecrets<T>(value: T, secrets: SecretKeys = DEFAULT_LOG_SECRETS, depth = 0): T {
  if (typeof value === 'string') return maskUrlCredentials(value) as T;
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, secrets, depth + 1)) as T;
  if (value instanceof Date || value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] =
      secrets.isSecret(k) && v !== undefined && v !== null && v !== ''
        ? REDACTED
        : redactSecrets(v, secrets, depth + 1);
  }
  return out as T;
}
