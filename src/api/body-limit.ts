import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DfError } from '../domain/errors';

/** Flink's REST server takes jars up to 100 MiB by default (rest.server.max-content-length ~ 100 MiB). */
export const MAX_JAR_BYTES = 100 * 1024 * 1024;

/** Jar uploads may be as large as Flink takes plus the multipart framing. */
export const UPLOAD_LIMIT_BYTES = MAX_JAR_BYTES + 1024 * 1024;

/** The routes that take a jar: only these get the upload limit, whatever else a path ends with. */
const UPLOAD_ROUTES = new Set(['POST /api/df/uploaded_files']);

export function isUploadRoute(method: string, path: string): boolean {
  return UPLOAD_ROUTES.has(`${method} ${path}`);
}

function tooLarge(maxSize: number): DfError {
  return new DfError('PAYLOAD_TOO_LARGE', `the request body is larger than ${maxSize} bytes`, {
    details: { limitBytes: maxSize },
  });
}

/**
 * Refuses a request body over the limit with 413 in the error shape, before any of it is parsed.
 * An upload declaring a larger Content-Length is refused at once; one sent without it (chunked) is
 * counted by the upload route as it streams to disk, since hono's bodyLimit would hold it in memory.
 */
export function requestBodyLimit(jsonLimitBytes: number): MiddlewareHandler {
  const json = bodyLimit({
    maxSize: jsonLimitBytes,
    onError: () => {
      throw tooLarge(jsonLimitBytes);
    },
  });
  return (c, next) => {
    const { method } = c.req;
    if (method === 'GET' || method === 'HEAD' || method === 'TRACE') return next(); // no body to limit
    const declared = c.req.header('content-length');
    if (!isUploadRoute(method, c.req.path)) {
      // A declared length is judged as hono's bodyLimit judges it, without asking for the body as
      // a stream: on the Node server that turns the request into a full fetch Request (a web stream
      // over the socket) for every POST, and the body is then read through it instead of directly.
      if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return json(c, next);
      if (parseInt(declared, 10) > jsonLimitBytes) throw tooLarge(jsonLimitBytes);
      return next();
    }
    if (Number(declared ?? 0) > UPLOAD_LIMIT_BYTES) throw tooLarge(UPLOAD_LIMIT_BYTES);
    return next();
  };
}
