import { createHash } from 'node:crypto';
import type { Context } from 'hono';

/** JSON with every object's keys sorted: one document, one text, whichever order its keys came in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The body as the request means it: canonical JSON when it is JSON, else its text. */
function canonicalBody(text: string): string {
  if (text.trim() === '') return '';
  try {
    return canonicalJson(JSON.parse(text));
  } catch {
    return text;
  }
}

/** What a request asks, as a hash: method, path, query (sorted), body (canonical). */
export function fingerprint(method: string, path: string, query: Record<string, string>, body: string): string {
  const sortedQuery = Object.keys(query)
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k])}`)
    .join('&');
  return createHash('sha256')
    .update([method.toUpperCase(), path, sortedQuery, canonicalBody(body)].join('\n'))
    .digest('hex');
}

/**
 * The fingerprint an Idempotency-Key is bound to: a repeat of the key with another fingerprint is
 * another request, refused rather than answered with the first one's result. The body was read
 * by the route already; Hono gives the same text again.
 */
export async function requestFingerprint(c: Context): Promise<string> {
  return fingerprint(c.req.method, c.req.path, c.req.query(), await c.req.text());
}
