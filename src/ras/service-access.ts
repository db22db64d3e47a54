import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

/** The TLS material and credentials DF uses with one REST service, whatever its URL. */
export interface ServiceSecurity {
  /** PEM file of the CA(s) the service's certificate must chain to; unset: Node's built-in CAs. */
  caFile?: string;
  /** PEM files of DF's client certificate and its key, for a service that asks for one (mTLS). */
  certFile?: string;
  keyFile?: string;
  /** HTTP basic auth, or a bearer token: never both (the config refuses it). */
  auth?: { username: string; password: string } | { token: string };
}

/** How DF reaches one REST service (Kafka Connect, Flink, the SQL Gateway, the registry). */
export interface ServiceAccess extends ServiceSecurity {
  url: string;
  /**
   * More URLs of the same service, any of which answers every call (the other workers of a Kafka
   * Connect group): tried in turn when the one in use cannot be reached, with the same TLS material
   * and credentials.
   */
  alternateUrls?: readonly string[];
}

// Plaintext services share keep-alive agents: one TCP connection per service reused across calls.
const sharedHttpAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
const sharedHttpsAgent = new https.Agent({ keepAlive: true, maxSockets: 32 });

export interface ServiceAgents {
  httpAgent: http.Agent;
  httpsAgent: https.Agent;
}

/**
 * The agents of one service. A service with TLS material of its own gets an https agent of its
 * own, so its CA and client certificate never apply to another service's connections.
 */
export function agentsFor(access: ServiceAccess): ServiceAgents {
  if (!access.caFile && !access.certFile) return { httpAgent: sharedHttpAgent, httpsAgent: sharedHttpsAgent };
  return {
    httpAgent: sharedHttpAgent,
    httpsAgent: new https.Agent({
      keepAlive: true,
      maxSockets: 32,
      ...(access.caFile ? { ca: fs.readFileSync(access.caFile) } : {}),
      ...(access.certFile && access.keyFile
        ? { cert: fs.readFileSync(access.certFile), key: fs.readFileSync(access.keyFile) }
        : {}),
    }),
  };
}

/** The Authorization header a service's requests carry, if any. */
export function authorizationOf(access: ServiceAccess): string | undefined {
  if (!access.auth) return undefined;
  if ('token' in access.auth) return `Bearer ${access.auth.token}`;
  const { username, password } = access.auth;
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}
