import type { Context } from 'hono';
import { inTaskSpelling, KEY_SPELLINGS, type KeySpelling } from '../domain/config-spelling';
import { validationError } from '../domain/validation';

/** The header (or `keySpelling` query parameter) a client asks for one key spelling of connect configs with. */
export const KEY_SPELLING_HEADER = 'X-DF-Key-Spelling';

/**
 * The spelling the request asks answers to use for every connect's config, or undefined: each task
 * answers in its own. A value of neither spelling is refused before anything runs.
 */
export function askedSpelling(c: Context): KeySpelling | undefined {
  const raw = c.req.query('keySpelling') ?? c.req.header(KEY_SPELLING_HEADER);
  if (raw === undefined || raw === '') return undefined;
  if ((KEY_SPELLINGS as readonly string[]).includes(raw)) return raw as KeySpelling;
  throw validationError(`keySpelling must be one of ${KEY_SPELLINGS.join(', ')}`, {
    keySpelling: [`expected one of ${KEY_SPELLINGS.join(', ')}`],
  });
}

/** An answer (secrets already masked) with each connect's config in the spelling it answers in. */
export function spelledAnswer<T>(value: T, asked: KeySpelling | undefined): T {
  return inTaskSpelling(value, asked);
}
