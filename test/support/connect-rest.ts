import axios, { AxiosResponse } from 'axios';
import { Config, loadConfig } from '../../src/config';
import { agentsFor, authorizationOf, ServiceAccess } from '../../src/ras/service-access';
import { eventually } from './wait';

/**
 * Kafka Connect refuses requests while its worker group rebalances (409, 500 or 503 saying "a
 * rebalance is expected", "rebalance in progress", ...). The refusal is not an answer about the
 * connector, so a test's own look at Connect asks again instead of reading it as one.
 */
export function rebalanceRefusal(res: AxiosResponse): boolean {
  const message =
    typeof res.data === 'object' && res.data !== null
      ? String((res.data as { message?: unknown }).message ?? '')
      : String(res.data ?? '');
  return [409, 500, 503].includes(res.status) && /rebalanc/i.test(message);
}

/** Where Kafka Connect is: DF's config, or a URL reached with the TLS and credentials the environment gives DF. */
export type ConnectTarget = string | Pick<Config, 'kafkaConnectUrl' | 'serviceSecurity'>;

function accessOf(target: ConnectTarget): ServiceAccess {
  const config = typeof target === 'string' ? undefined : target;
  const security = (config ?? loadConfig({ DF_DEV_MODE: 'true', ...process.env })).serviceSecurity.kafkaConnect;
  return { url: config?.kafkaConnectUrl ?? (target as string), ...security };
}

/**
 * Kafka Connect's REST API as tests look at it, with DF's own TLS material and credentials: any
 * status is returned, rebalance refusals are asked again.
 */
export function connectRest(target: ConnectTarget) {
  const access = accessOf(target);
  const authorization = authorizationOf(access);
  const http = axios.create({
    baseURL: access.url,
    validateStatus: () => true,
    timeout: 30000,
    ...agentsFor(access),
    headers: authorization ? { Authorization: authorization } : {},
  });
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
    delete: (path: string) => answered(`DELETE ${path} past Connect's rebalance`, () => http.delete(path)),
    /** One request as Connect answers it, refusals included. */
    raw: http,
  };
}

export type ConnectRest = ReturnType<typeof connectRest>;
