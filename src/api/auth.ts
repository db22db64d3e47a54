import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ApiRole, ApiToken } from '../config';
import { DfError } from '../domain/errors';

/** Paths anyone may read: health and the probes, the console's static shell and the API's own description. */
const OPEN_PATHS = [
  /^\/(health|livez|readyz)$/,
  /^\/$/,
  /^\/console\//,
  /^\/api\/console-config$/,
  /^\/api\/openapi\.json$/,
  /^\/api\/docs(\/.*)?$/,
];

/** POSTs that change nothing (a config check): a viewer may make them. */
const READ_ONLY_POSTS = [/^\/api\/df\/config\/[^/]+\/validate$/];

/** Paths only an admin may read: a webhook's URL can itself be a credential. */
const ADMIN_ONLY_PATHS = [/^\/api\/df\/webhooks(\/|$)/];

export function isAdminOnlyPath(path: string): boolean {
  return ADMIN_ONLY_PATHS.some((p) => p.test(path));
}

export function isOpenPath(path: string): boolean {
  return OPEN_PATHS.some((p) => p.test(path));
}

export function isReadRequest(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return true;
  return method === 'POST' && READ_ONLY_POSTS.some((p) => p.test(path));
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Matches a presented token against every configured one in constant time per comparison. */
export function roleOfToken(tokens: readonly ApiToken[], presented: string): ApiRole | undefined {
  const given = digest(presented);
  let role: ApiRole | undefined;
  for (const t of tokens) if (timingSafeEqual(digest(t.token), given)) role = t.role;
  return role;
}

/**
 * Bearer-token auth from DF_API_TOKENS: viewers may read, admins may also change. With no token
 * configured every caller is treated as admin (the process warns about it at start).
 */
export function bearerAuth(tokens: readonly ApiToken[]): MiddlewareHandler {
  return async (c, next) => {
    if (tokens.length === 0) return next();
    if (isOpenPath(c.req.path) && (c.req.method === 'GET' || c.req.method === 'HEAD')) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const role = match ? roleOfToken(tokens, match[1]) : undefined;
    if (!role) {
      c.header('WWW-Authenticate', 'Bearer realm="datafibers"');
      throw new DfError(
        'UNAUTHORIZED',
        match
          ? 'the bearer token is not one DF_API_TOKENS lists'
          : 'this API needs a bearer token: Authorization: Bearer <token>',
      );
    }
    if (role !== 'admin' && isAdminOnlyPath(c.req.path)) {
      throw new DfError('FORBIDDEN', `${c.req.path} needs an admin token, for reads as well`);
    }
    if (role !== 'admin' && !isReadRequest(c.req.method, c.req.path)) {
      throw new DfError(
        'FORBIDDEN',
        `a ${role} token may only read; ${c.req.method} ${c.req.path} needs an admin token`,
      );
    }
    return next();
  };
}
