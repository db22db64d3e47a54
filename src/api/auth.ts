import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { ApiToken } from '../config';
import { DfError } from '../domain/errors';
import { ANONYMOUS_CALLER, type Caller } from './requester';

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

/**
 * Paths only an admin may read: a webhook's URL can itself be a credential; the audit names who
 * holds which token and where they call from, which a viewer (a dashboard) has no need to know.
 */
const ADMIN_ONLY_PATHS = [/^\/api\/df\/webhooks(\/|$)/, /^\/api\/df\/audit$/];

export function isAdminOnlyPath(path: string): boolean {
  return ADMIN_ONLY_PATHS.some((p) => p.test(path));
}

export function isOpenPath(path: string): boolean {
  return OPEN_PATHS.some((p) => p.test(path));
}

/** A request that changes nothing; a viewer may make it unless its path is admin-only (isAdminOnlyPath). */
export function isReadRequest(method: string, path: string): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return true;
  return method === 'POST' && READ_ONLY_POSTS.some((p) => p.test(path));
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The configured token a presented one is, matched against every one in constant time per
 * comparison; its name and role, never the token, go on.
 */
export function callerOfToken(tokens: readonly ApiToken[], presented: string): Caller | undefined {
  const given = digest(presented);
  let caller: Caller | undefined;
  for (const t of tokens) if (timingSafeEqual(digest(t.token), given)) caller = { name: t.name, role: t.role };
  return caller;
}

/**
 * Bearer-token auth from DF_API_TOKENS: viewers may read, admins may also change. With no token
 * configured every caller is treated as admin (the process warns about it at start), and is
 * `anonymous` to the audit. The caller (the token's name and role) is set on the context.
 */
export function bearerAuth(tokens: readonly ApiToken[]): MiddlewareHandler {
  return async (c, next) => {
    if (tokens.length === 0) {
      c.set('caller', ANONYMOUS_CALLER);
      return next();
    }
    if (isOpenPath(c.req.path) && (c.req.method === 'GET' || c.req.method === 'HEAD')) return next();
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const caller = match ? callerOfToken(tokens, match[1]) : undefined;
    if (!caller) {
      c.header('WWW-Authenticate', 'Bearer realm="datafibers"');
      throw new DfError(
        'UNAUTHORIZED',
        match
          ? 'the bearer token is not one DF_API_TOKENS lists'
          : 'this API needs a bearer token: Authorization: Bearer <token>',
      );
    }
    if (caller.role !== 'admin' && isAdminOnlyPath(c.req.path)) {
      throw new DfError('FORBIDDEN', `${c.req.path} needs an admin token, for reads as well`);
    }
    if (caller.role !== 'admin' && !isReadRequest(c.req.method, c.req.path)) {
      throw new DfError(
        'FORBIDDEN',
        `a ${caller.role} token may only read; ${c.req.method} ${c.req.path} needs an admin token`,
      );
    }
    c.set('caller', caller);
    return next();
  };
}
