import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import { DfError, isDfError } from '../domain/errors';
import { log } from '../logger';
import { temporalUnavailable } from '../temporal/failures';
import { methodsAt } from './route-methods';

/** How long a client told "not now" (503) waits before it tries again. */
const RETRY_AFTER_S = '5';

/**
 * The one error shape of the API: `{ "error": { "code", "message", "details" }, "message" }`,
 * details `{}` when there are none. The top-level `message` is where json-server clients
 * (admin-on-rest, the original DataFibers UI) read an error; without it they show only the
 * HTTP status text.
 */
export interface ErrorBody {
  error: { code: string; message: string; details: unknown };
  message: string;
}

/** Field path → messages, when the details carry them (`details.fields`). */
function fieldMessages(details: unknown): [string, string[]][] {
  if (details === null || typeof details !== 'object') return [];
  const fields = (details as { fields?: unknown }).fields;
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return [];
  return Object.entries(fields as Record<string, unknown>)
    .map(([field, messages]): [string, string[]] => [
      field,
      (Array.isArray(messages) ? messages : [messages]).filter((m): m is string => typeof m === 'string'),
    ])
    .filter(([, messages]) => messages.length > 0);
}

/**
 * One line a person can act on: the error's message, then each field's messages
 * ("connectorConfig.tasks.max: Not a number of type INT"), a field the message already names
 * that way left out.
 */
export function displayMessage(message: string, details: unknown): string {
  const parts = fieldMessages(details)
    .map(([field, messages]) => `${field}: ${messages.join(', ')}`)
    .filter((part) => !message.includes(part));
  return [message, ...parts].join('; ');
}

export function errorBody(error: DfError): ErrorBody {
  const details = error.details ?? {};
  return {
    error: { code: error.code, message: error.message, details },
    message: displayMessage(error.message, details),
  };
}

export function sendError(c: Context, error: DfError) {
  if (error.httpStatus === 503) c.header('Retry-After', RETRY_AFTER_S);
  // Refused before its body was read (too large, not allowed): the rest of the body is still on the
  // connection, which the server then drops; the client must not send its next request on it.
  // bodyUsed first: asking a Node request for its body builds a fetch Request, even after the body was read.
  if (!c.req.raw.bodyUsed && c.req.raw.body) c.header('Connection', 'close');
  return c.json(errorBody(error), error.httpStatus as ContentfulStatusCode);
}

/**
 * The API's answer to an error a route threw; storeAway tells a failure of the store being away
 * (the process's Store, which knows why it could not connect).
 */
export function errorHandler(storeAway: (error: unknown) => DfError | undefined) {
  return (err: Error, c: Context) => onError(err, c, storeAway);
}

function onError(err: Error, c: Context, storeAway: (error: unknown) => DfError | undefined) {
  if (isDfError(err)) return sendError(c, err);
  if (err instanceof HTTPException) {
    const status = err.status;
    const code = status === 404 ? 'NOT_FOUND' : status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL';
    return sendError(
      c,
      new DfError(code, err.message || 'request refused', {
        httpStatus: status,
        details: { method: c.req.method, path: c.req.path },
      }),
    );
  }
  // Temporal or the store away is "not now" (503, Retry-After), not a fault of DF's.
  const away = temporalUnavailable(err) ?? storeAway(err);
  if (away) {
    log('warn', 'dependency unavailable', { path: c.req.path, error: away.message });
    return sendError(c, away);
  }
  log('error', 'unhandled API error', { path: c.req.path, error: String(err.stack ?? err) });
  return sendError(c, new DfError('INTERNAL', 'internal error'));
}

/** No route: 405 with Allow when the path has routes for other methods, else 404. */
export function notFound(c: Context) {
  const { method, path } = c.req;
  const allowed = methodsAt(path);
  if (allowed.length > 0) {
    c.header('Allow', allowed.join(', '));
    return sendError(
      c,
      new DfError('METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}; it takes ${allowed.join(', ')}`, {
        details: { method, path, allowed },
      }),
    );
  }
  return sendError(c, new DfError('NOT_FOUND', `no route for ${method} ${path}`, { details: { method, path } }));
}
