import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { DfError } from '../domain/errors';

/** The Host header's name part, lower case: `[::1]:8080` → `[::1]`, `Example.com:80` → `example.com`. */
export function hostNameOf(host: string): string {
  const h = host.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  return h.replace(/:\d*$/, '').replace(/\.$/, '');
}

/**
 * Whether the API answers to this Host. A DNS-rebinding page reaches the API under a name the
 * attacker controls, so only names are checked; an IP literal can only be in the Host of a page
 * served from that very address and port (the API itself) or of a plain cross-origin request,
 * which CORS and the origin check deal with. Orchestrators probing a pod IP pass so.
 */
export function isAllowedHost(host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes('*')) return true;
  if (!host) return false;
  const name = hostNameOf(host);
  if (isIP(name) !== 0 || (name.startsWith('[') && isIP(name.slice(1, -1)) !== 0)) return true;
  return allowed.includes(name);
}

/** The Host the request names: the header, or the URL's for requests built in-process. */
export function requestHost(c: Context): string | undefined {
  return c.req.header('host') ?? (URL.canParse(c.req.url) ? new URL(c.req.url).host : undefined);
}

/** Refuses a request whose Host names none of DF_ALLOWED_HOSTS (a DNS-rebinding page), before anything else runs. */
export function allowedHostsOnly(allowed: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    const host = requestHost(c);
    if (!isAllowedHost(host, allowed)) {
      throw new DfError(
        'HOST_NOT_ALLOWED',
        `this API does not answer to host ${host ? hostNameOf(host) : '(none)'}; add it to DF_ALLOWED_HOSTS if it is a name of this service`,
        {
          details: { host: host ?? null, setting: 'DF_ALLOWED_HOSTS' },
        },
      );
    }
    return next();
  };
}
