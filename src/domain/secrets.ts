/**
 * What must never reach a log line: values under keys that name a secret (passwords, tokens, keys,
 * JAAS configs, Authorization headers) and the password part of URLs.
 */
const SECRET_KEY = /(pass(word|wd)?|secret|token|credential|api[._-]?key|private[._-]?key|jaas|authorization|bearer)/i;
export const REDACTED = '[redacted]';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** `scheme://user:password@host` → `scheme://user:***@host` */
export function maskUrlCredentials(text: string): string {
  return text.replace(/(\/\/[^:/@\s]*):[^@/\s]*@/g, '$1:***@');
}

/** A copy with every secret replaced; cycles and depth are bounded, since log fields can be anything. */
export function redactSecrets<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return maskUrlCredentials(value) as T;
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1)) as T;
  if (value instanceof Date || value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== '' ? REDACTED : redactSecrets(v, depth + 1);
  }
  return out as T;
}
