import http from 'node:http';
import type { Duplex } from 'node:stream';
import { DfError } from '../domain/errors';
import { log } from '../logger';
import { errorBody } from './errors';

/** How long an idle kept-alive connection stays open: past the usual 60 s of load balancers and clients. */
export const KEEP_ALIVE_MS = 65_000;
/** Headers come in one packet from any real client; a client still sending them after this is holding a connection. */
export const HEADERS_TIMEOUT_MS = 20_000;
/** A whole request, a 100 MiB jar upload included (about 0.9 MB/s at the least). */
export const REQUEST_TIMEOUT_MS = 120_000;

/**
 * Options of the Node server. Node closes an idle kept-alive connection after 5 s, and a client
 * that sends its next request on it at that moment gets ECONNRESET (1 add in 6,000 under load);
 * clients and proxies keep idle connections up to a minute, so the server holds them longer.
 * Idle connections are not subject to the header and request timeouts, which count from a
 * request's first byte. A request without Host is left to the API's host check, which answers it
 * in the error shape (Node's own refusal has an empty body).
 */
export const SERVER_OPTIONS: http.ServerOptions = {
  keepAliveTimeout: KEEP_ALIVE_MS,
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  connectionsCheckingInterval: 5_000,
  requireHostHeader: false,
};

/** Node's refusal of a request it could not parse, as the API's error. */
export function clientErrorOf(code: string | undefined): DfError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new DfError('PAYLOAD_TOO_LARGE', `the request's headers are larger than ${http.maxHeaderSize} bytes`, {
        httpStatus: 431,
        details: { limitBytes: http.maxHeaderSize },
      });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new DfError(
        'TIMEOUT',
        `the request did not arrive in time (headers within ${HEADERS_TIMEOUT_MS} ms, the whole request within ${REQUEST_TIMEOUT_MS} ms)`,
        {
          httpStatus: 408,
          details: { headersTimeoutMs: HEADERS_TIMEOUT_MS, requestTimeoutMs: REQUEST_TIMEOUT_MS },
        },
      );
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new DfError('PAYLOAD_TOO_LARGE', "the request's chunk extensions are too large", {
        details: { reason: code },
      });
    default:
      return new DfError('VALIDATION_FAILED', `malformed HTTP request${code ? ` (${code})` : ''}`, {
        details: { reason: code ?? null },
      });
  }
}

/** A complete HTTP/1.1 answer, written on the socket by hand: Node's parser gave up on the request. */
export function rawErrorResponse(error: DfError): string {
  const body = JSON.stringify(errorBody(error));
  const reason = http.STATUS_CODES[error.httpStatus] ?? 'Error';
  return `HTTP/1.1 ${error.httpStatus} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

type ClientSocket = Duplex & { _httpMessage?: { _headerSent?: boolean } };

/**
 * Node's own refusals (a request it cannot parse, headers over its limit, a request too slow)
 * answered in the API's error shape, and the cap on open connections (DF_MAX_CONNECTIONS): past
 * it Node closes a new connection at once, which is logged at most once a minute.
 */
export function limitServer(server: http.Server, maxConnections: number): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: ClientSocket) => {
    // An answer already under way on this socket cannot be followed by another one.
    if (error.code === 'ECONNRESET' || !socket.writable || socket._httpMessage?._headerSent) {
      socket.destroy();
      return;
    }
    socket.end(rawErrorResponse(clientErrorOf(error.code)));
    socket.once('finish', () => socket.destroy());
  });
  if (maxConnections > 0) {
    server.maxConnections = maxConnections;
    let dropped = 0;
    let lastLog = 0;
    server.on('drop', () => {
      dropped++;
      if (Date.now() - lastLog < 60_000) return;
      lastLog = Date.now();
      log('warn', 'connections refused: the API holds DF_MAX_CONNECTIONS already', {
        maxConnections,
        refusedSinceLastLog: dropped,
      });
      dropped = 0;
    });
  }
}
