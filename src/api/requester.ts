import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import { ANONYMOUS_ACTOR, type AuditRole, type Requester } from '../domain/audit';

/** The caller a request's token names: its name (DF_API_TOKENS) and role. */
export interface Caller {
  name: string;
  role: AuditRole;
}

/** The caller of an open API (no DF_API_TOKENS): anyone, with an admin's reach. */
export const ANONYMOUS_CALLER: Caller = { name: ANONYMOUS_ACTOR, role: 'admin' };

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by bearerAuth on every request past it. */
    caller: Caller;
    /** Set by observeRequests: the X-Request-Id the answer carries. */
    requestId: string;
  }
}

/**
 * The address of the connection's peer; `unknown` where the request came from no socket (a
 * request made in process). X-Forwarded-For is not read: any client can write it.
 */
export function clientAddressOf(c: Context): string {
  const bindings = c.env as Partial<HttpBindings> | undefined;
  const address = bindings?.incoming?.socket?.remoteAddress;
  if (!address) return 'unknown';
  // An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d.
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice('::ffff:'.length) : address;
}

/** Who made the request, for the audit: a request no middleware named (an open path) is anonymous. */
export function requesterOf(c: Context): Requester {
  const caller = c.get('caller') ?? ANONYMOUS_CALLER;
  return {
    actor: caller.name,
    role: caller.role,
    requestId: c.get('requestId') ?? 'unknown',
    clientAddress: clientAddressOf(c),
  };
}
