import http from 'node:http';
import { msSince } from './stats';

export interface LoadResult {
  latenciesMs: number[];
  failures: number;
  /** Calls the server refused for now (503 OVERLOADED, "send it again"): neither done nor failed. */
  refused: number;
  firstFailure?: string;
  sent: number;
  seconds: number;
}

// No socket limit: in an open loop a slow server must show as latency, not as calls queued in the client.
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/** What a call returns when the server turned it away for now (503 OVERLOADED). */
export const REFUSED = 'refused';

export interface HttpAnswer {
  status: number;
  body: string;
}

export function request(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
    const req = http.request(
      url,
      {
        method: options.method ?? 'GET',
        agent,
        headers: {
          ...(payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Open-loop load: starts one call every 1/rate seconds for `seconds`, whether or not earlier calls
 * have answered (so a slow server shows as latency, not as a lower rate), and records each call's
 * latency. `ok` decides whether an answer counts as a success ('refused': turned away for now).
 */
export async function openLoop(
  rate: number,
  seconds: number,
  call: (i: number) => Promise<boolean | string>,
): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let refused = 0;
  let firstFailure: string | undefined;
  const pending: Promise<void>[] = [];
  const start = process.hrtime.bigint();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = (i * 1000) / rate;
    const wait = due - msSince(start);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const sent = process.hrtime.bigint();
    pending.push(
      call(i).then(
        (ok) => {
          if (ok === true) latenciesMs.push(msSince(sent));
          else if (ok === REFUSED) refused++;
          else {
            failures++;
            firstFailure ??= typeof ok === 'string' ? ok : 'failed';
          }
        },
        (error: unknown) => {
          failures++;
          firstFailure ??= String(error);
        },
      ),
    );
  }
  await Promise.all(pending);
  return { latenciesMs, failures, refused, firstFailure, sent: total, seconds: msSince(start) / 1000 };
}
