import type { Context } from 'hono';
import { DfError } from '../domain/errors';
import { validationError } from '../domain/validation';

/** The request's JSON object body, or a 400 that says what is wrong with it. */
export async function jsonObjectBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (!/application\/(.+\+)?json/i.test(type)) {
    throw new DfError(
      'VALIDATION_FAILED',
      `expected a JSON body (Content-Type: application/json), got ${type || 'none'}`,
      {
        httpStatus: 415,
        details: { contentType: type || null, expected: 'application/json' },
      },
    );
  }
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new DfError('VALIDATION_FAILED', `malformed JSON body: ${(error as Error).message}`, {
      details: { fields: { '(body)': ['not valid JSON'] } },
    });
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DfError('VALIDATION_FAILED', 'expected a JSON object body', {
      details: { fields: { '(body)': ['expected an object'] } },
    });
  }
  return body as Record<string, unknown>;
}

/** `If-Match: "3"` (or 3): the revision the caller last read; the update is refused if it moved on. */
export function expectedRevision(c: Context): number | undefined {
  const raw = c.req.header('if-match')?.trim().replace(/^W\//, '').replace(/"/g, '');
  if (!raw || raw === '*') return undefined;
  const n = Number(raw);
  // 0 is the revision of a record the original service wrote, until DF first edits it.
  if (!Number.isInteger(n) || n < 0)
    throw validationError('If-Match must be a task revision, e.g. "3"', { 'If-Match': ['expected a revision number'] });
  return n;
}

/** A PUT body that names an id must name the path's. */
export function requireSameId(body: Record<string, unknown>, id: string): void {
  if (body.id !== undefined && body.id !== id) {
    throw validationError(`body id ${String(body.id)} differs from the path's ${id}`, { id: ['must match the path'] });
  }
}
