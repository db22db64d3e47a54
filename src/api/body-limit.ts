import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { DfError } from '../domain/errors';

/** Jar uploads may be as large as Flink takes (100 MiB) plus the multipart framing. */
export const UPLOAD_LIMIT_BYTES = 101 * 1024 * 1024;

/** The routes that take a jar: only these get the upload limit, whatever else a path ends with. */
const UPLOAD_ROUTES = new Set(['POST /api/df/uploaded_files']);

export function isUploadRoute(method: string, path: string): boolean {
  return UPLOAD_ROUTES.has(`${method} ${path}`);
}

/** Refuses a request body over the limit with 413 in the error shape, before any of it is parsed. */
export function requestBodyLimit(jsonLimitBytes: number): MiddlewareHandler {
  const limited = (maxSize: number) => bodyLimit({
    maxSize,
    onError: () => {
      throw new DfError('PAYLOAD_TOO_LARGE', `the request body is larger than ${maxSize} bytes`, { details: { limitBytes: maxSize } });
    },
  });
  const json = limited(jsonLimitBytes);
  const upload = limited(UPLOAD_LIMIT_BYTES);
  return (c, next) => (isUploadRoute(c.req.method, c.req.path) ? upload(c, next) : json(c, next));
}
