import type { RasName } from './http';

/** The prefix of each service's variables (KAFKA_CONNECT_URL, KAFKA_CONNECT_USERNAME, …), for hints in errors. */
const VARIABLE_PREFIX: Partial<Record<RasName, string>> = {
  'kafka-connect': 'KAFKA_CONNECT',
  flink: 'FLINK',
  'flink-sql-gateway': 'FLINK_SQL_GATEWAY',
  'schema-registry': 'SCHEMA_REGISTRY',
};

const UNKNOWN_AUTHORITY = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

function variable(ras: RasName, suffix: string): string {
  const prefix = VARIABLE_PREFIX[ras];
  return prefix ? `${prefix}_${suffix}` : suffix;
}

/**
 * What kept a request from getting any answer, in plain words: the TLS handshake's verdict or the
 * network's, from Node's error code and message (which never carry the request's credentials).
 */
export function plainNetworkCause(ras: RasName, code: string | undefined, message: string): string {
  if (code && UNKNOWN_AUTHORITY.has(code))
    return `TLS: certificate signed by an unknown authority (give its CA in ${variable(ras, 'TLS_CA_FILE')})`;
  if (code === 'CERT_HAS_EXPIRED') return 'TLS: certificate has expired';
  if (code === 'CERT_NOT_YET_VALID') return 'TLS: certificate is not valid yet';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return `TLS: certificate is not for this host (${message})`;
  // The alerts of a server that wants a client certificate or refuses the one it got: OpenSSL
  // servers say "unknown ca", Java ones (Flink, Kafka Connect) "certificate unknown".
  if (
    /alert certificate required|alert handshake failure|alert bad certificate|alert unknown ca|alert certificate unknown/i.test(
      message,
    )
  )
    return `TLS: the service refused the connection's client certificate, or wanted one (${variable(ras, 'TLS_CERT_FILE')}, ${variable(ras, 'TLS_KEY_FILE')})`;
  if (code === 'EPROTO' || /wrong version number|packet length too long/i.test(message))
    return 'TLS: the handshake failed: the service does not speak TLS on that port (http:// URL?)';
  if (code === 'ECONNREFUSED') return 'connection refused: nothing listens at that address';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name not found';
  if (code === 'ECONNRESET' || code === 'EPIPE') return 'the service closed the connection';
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return 'no answer in time';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'no route to the host';
  if (code === 'ERR_FR_TOO_MANY_REDIRECTS') return 'too many redirects';
  return code ?? message;
}

/**
 * A registry that checks credentials at an identity provider (Apicurio trades basic auth for an
 * OIDC token) answers the same 401 while it cannot reach that provider as for wrong credentials:
 * an operator who finds them right needs the other cause named.
 */
const CHECKED_ELSEWHERE: Partial<Record<RasName, string>> = {
  'schema-registry': 'or the registry could not reach the identity provider it checks them with (Apicurio with OIDC)',
};

/** The plain-words reason a service gave for refusing DF's credentials, and which variables to check. */
export function plainAuthRefusal(ras: RasName, status: 401 | 403, carried: 'basic' | 'bearer' | 'none'): string {
  const check =
    carried === 'basic'
      ? `check ${variable(ras, 'USERNAME')}/${variable(ras, 'PASSWORD')}`
      : carried === 'bearer'
        ? `check ${variable(ras, 'TOKEN')}`
        : `the service asks for credentials: set ${variable(ras, 'USERNAME')}/${variable(ras, 'PASSWORD')} or ${variable(ras, 'TOKEN')}`;
  if (status === 403) return `HTTP 403: the credentials are not allowed this request (${check})`;
  const elsewhere = carried !== 'none' ? CHECKED_ELSEWHERE[ras] : undefined;
  return `HTTP 401: authentication failed (${check})${elsewhere ? `, ${elsewhere}` : ''}`;
}
