import http from 'node:http';
import { log } from './logger';
import { LIVE, readinessAnswer, ReadinessReport } from './readiness';

export interface ProbeServer {
  address: string;
  close(): Promise<void>;
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function notServed(method: string | undefined, path: string) {
  const message = `the probe listener serves only GET /livez and GET /readyz, not ${method ?? '?'} ${path}`;
  // The API's error shape, top-level message included.
  return { error: { code: 'NOT_FOUND', message, details: { method: method ?? null, path } }, message };
}

/**
 * The probes of a process without the API (`npm run worker`): GET /livez and /readyz on
 * DF_PROBE_ADDRESS, nothing else, no auth (they tell only up or not, and what is away). A process
 * with the API serves both on its API port instead.
 */
export async function startProbeServer(
  address: string,
  readiness: () => Promise<ReadinessReport>,
): Promise<ProbeServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (read && path === '/livez') return send(res, 200, LIVE);
    if (read && path === '/readyz') {
      readiness().then(
        (report) => {
          const { status, body } = readinessAnswer(report);
          send(res, status, body);
        },
        (error: unknown) =>
          send(res, 503, {
            status: 'not-ready',
            checkedAt: new Date().toISOString(),
            dependencies: {},
            reason: String(error),
          }),
      );
      return;
    }
    send(res, 404, notServed(req.method, path));
  });
  // A probe opens a connection, asks once and closes it: nothing to keep alive.
  server.keepAliveTimeout = 5_000;
  server.requestTimeout = 10_000;
  const at = address.lastIndexOf(':');
  const host = address.slice(0, at);
  const port = Number(address.slice(at + 1));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `DF_PROBE_ADDRESS ${address} cannot be bound: ${error.code ?? error.message}; another process (another DF worker on this machine?) holds it: give each process an address of its own, or DF_PROBE_ADDRESS=off`,
        ),
      ),
    );
    server.listen(port, host, () => resolve());
  });
  const bound = server.address();
  const served = typeof bound === 'object' && bound ? `${host}:${bound.port}` : address;
  log('info', 'probes listening', { livez: `http://${served}/livez`, readyz: `http://${served}/readyz` });
  return {
    address: served,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
