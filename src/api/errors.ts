import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import { DfError, isDfError } from '../domain/errors';
import { log } from '../logger';
import { storeUnavailable } from '../repository/mongo';
import { temporalUnavailable } from '../temporal/failures';

/** How long a client told "not now" (503) waits before it tries again. */
const RETRY_AFTER_S = '5';

/** The one error shape of the API: `{ "error": { "code", "message", "details" } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(error: DfError): ErrorBody {
  return { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
}

export function sendError(c: Context, error: DfError) {
  if (error.httpStatus === 503) c.header('Retry-After', RETRY_AFTER_S);
  return c.json(errorBody(error), error.httpStatus as ContentfulStatusCode);
}

export function onError(err: Error, c: Context) {
  if (isDfError(err)) return sendError(c, err);
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 404 ? 'NOT_FOUND' : status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL';
    return sendError(c, new DfError(code, err.message || 'request refused', { httpStatus: status }));
  }
  // Temporal or the store away is "not now" (503, Retry-After), not a fault of DF's.
  const away = temporalUnavailable(err) ?? storeUnavailable(err);
  if (away) {
    log('warn', 'dependency unavailable', { path: c.req.path, error: away.message });
    return sendError(c, away);
  }
  log('error', 'unhandled API error', { path: c.req.path, error: String(err.stack ?? err) });
  return sendError(c, new DfError('INTERNAL', 'internal error'));
}

export function notFound(c: Context) {
  return sendError(c, new DfError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`));
}
