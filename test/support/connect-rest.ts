import type { AxiosResponse } from 'axios';
import type { Config } from '../../src/config';
import { connectRefusesForNow } from '../../src/ras/http';
import { engineHttp } from './engines';
import { eventually } from './wait';

/**
 * Kafka Connect refuses requests while its worker group rebalances (409, 500 or 503 saying "a
 * rebalance is expected", "rebalance in progress", ...) and, with 409, while a worker has not yet
 * read another client's config change ("momentarily due to stale configuration", "conflicting
 * operation"). The refusal is not an answer about the connector, so a test's own look at Connect
 * asks again instead of reading it as one. Specs share the stack, so any of them can set these off.
 */
export function rebalanceRefusal(res: AxiosResponse): boolean {
  const message =
    typeof res.data === 'object' && res.data !== null
      ? String((res.data as { message?: unknown }).message ?? '')
      : String(res.data ?? '');
  return connectRefusesForNow(res.status, message);
}

/**
 * Kafka Connect's REST API as tests look at it, reached the way DF's config says (its CA and
 * credentials on the secure profile): any status is returned, rebalance refusals are asked again.
 */
export function connectRest(config: Config) {
  const http = engineHttp(config, 'kafkaConnect');
  const answered = (what: string, call: () => Promise<AxiosResponse>) =>
    eventually(
      what,
      async () => {
        const res = await call();
        return rebalanceRefusal(res) ? undefined : res;
      },
      60000,
    );
  return {
    get: (path: string) => answered(`GET ${path} past Connect's rebalance`, () => http.get(path)),
    post: (path: string, body: unknown) =>
      answered(`POST ${path} past Connect's rebalance`, () => http.post(path, body)),
    put: (path: string, body: unknown) => answered(`PUT ${path} past Connect's rebalance`, () => http.put(path, body)),
    delete: (path: string) => answered(`DELETE ${path} past Connect's rebalance`, () => http.delete(path)),
    /** One request as Connect answers it, refusals included. */
    raw: http,
  };
}

export type ConnectRest = ReturnType<typeof connectRest>;
