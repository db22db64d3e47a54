import type { ConnectionOptions } from '@temporalio/client';
import type { NativeConnectionOptions } from '@temporalio/worker';
import type { TemporalConnection } from './connection-config';

/** Options of the API's gRPC connection (@temporalio/client): the same TLS and key as the worker's. */
export function clientConnectionOptions(connection: TemporalConnection): ConnectionOptions {
  return {
    address: connection.address,
    // false, not undefined: without TLS an API key would otherwise switch TLS on by itself.
    tls: connection.tls ?? false,
    ...(connection.apiKey !== undefined ? { apiKey: connection.apiKey } : {}),
    connectTimeout: '5 seconds',
  };
}

/** Options of the worker's native connection (@temporalio/worker). */
export function nativeConnectionOptions(connection: TemporalConnection): NativeConnectionOptions {
  return {
    address: connection.address,
    tls: connection.tls ?? false,
    ...(connection.apiKey !== undefined ? { apiKey: connection.apiKey } : {}),
  };
}

/** Matches on what the two transports (grpc-js for the client, rustls for the worker) say, first match wins. */
const CAUSES: ReadonlyArray<[RegExp, string]> = [
  [
    /wrong version number|InvalidContentType|corrupt message|packet length too long|http\/2 .*frame|unexpected eof|tls handshake eof|first record does not look like a TLS handshake/i,
    'TLS: the server does not speak TLS at this address (plaintext Temporal with TLS on?)',
  ],
  [
    /UnknownIssuer|unable to (get local issuer|verify the first) certificate|self[- ]signed certificate|unknown authority|certificate verify failed/i,
    'TLS: certificate signed by an unknown authority (set TEMPORAL_TLS_SERVER_CA_CERT_PATH to the CA that signed the server certificate)',
  ],
  [
    /NotValidForName|does not match certificate|altnames|certificate is not valid for|hostname mismatch/i,
    "TLS: the server certificate is not valid for this name (set TEMPORAL_TLS_SERVER_NAME to the name in the server's certificate)",
  ],
  [/certificate has expired|Expired|CERT_HAS_EXPIRED/, 'TLS: the server certificate has expired'],
  [
    /certificate required|bad certificate|alert unknown ca|alert handshake failure|CertificateRequired|BadCertificate/i,
    'TLS: the server refused the client certificate (check TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH)',
  ],
  [
    /\b16 UNAUTHENTICATED\b|Unauthenticated|invalid api key|api key/i,
    'API key refused (check TEMPORAL_API_KEY: expired, revoked or for another account)',
  ],
  [
    /\b7 PERMISSION_DENIED\b|PermissionDenied|Request unauthorized|not authorized/i,
    'access denied: the credentials are valid but not allowed on this namespace',
  ],
  // A TLS-only server drops a plaintext client without a word: grpc-js then names no cause, tonic a broken pipe.
  [
    /Last error: Failed to connect \(|stream closed because of a broken pipe/i,
    'the server closed the connection without answering (a Temporal that wants TLS, reached without it? set TEMPORAL_TLS_SERVER_CA_CERT_PATH or TEMPORAL_TLS=true)',
  ],
  [/ECONNREFUSED|Connection refused/i, 'unreachable: connection refused'],
  [
    /ENOTFOUND|EAI_AGAIN|failed to lookup|dns error|Name or service not known/i,
    'unreachable: the host name does not resolve',
  ],
  [/ETIMEDOUT|timed out|deadline exceeded|DEADLINE_EXCEEDED|before the deadline/i, 'unreachable: no answer in time'],
];

const MAX_DETAIL = 300;

/**
 * The cause of a failed Temporal call in plain words, for /health and the start-up log, followed
 * by the transport's own words; any secret given is masked, in case a transport ever echoes one.
 */
export function temporalFailureCause(error: unknown, secrets: readonly string[] = []): string {
  let detail = error instanceof Error ? error.message : String(error);
  for (const secret of secrets) if (secret.length > 0) detail = detail.split(secret).join('********');
  detail = detail.replace(/\s+/g, ' ').trim();
  if (detail.length > MAX_DETAIL) detail = `${detail.slice(0, MAX_DETAIL)}…`;
  const cause = CAUSES.find(([pattern]) => pattern.test(detail))?.[1];
  return cause ? `${cause} [${detail}]` : detail;
}
