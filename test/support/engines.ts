import axios, { AxiosInstance } from 'axios';
import type { Config, ServiceKey } from '../../src/config';
import { Endpoints, failoverAdapter } from '../../src/ras/endpoints';
import { agentsFor, authorizationOf, ServiceAccess } from '../../src/ras/service-access';

const URLS_OF: Record<ServiceKey, (config: Config) => readonly string[]> = {
  kafkaConnect: (c) => c.kafkaConnectUrls,
  flink: (c) => [c.flinkUrl],
  flinkSqlGateway: (c) => [c.flinkSqlGatewayUrl],
  schemaRegistry: (c) => c.schemaRegistryUrls,
};

/** How DF's config reaches one engine: its URL(s) with its CA, client certificate and credentials. */
export function engineAccess(config: Config, service: ServiceKey): ServiceAccess {
  const [url, ...alternateUrls] = URLS_OF[service](config);
  return { url, alternateUrls, ...config.serviceSecurity[service] };
}

/**
 * An engine's REST API as a spec looks at it behind DF's back, reached the way DF's config says
 * (so the same spec runs on the plain and the secure profile, and through any worker of a Connect
 * group that answers); every status is returned.
 */
export function engineHttp(config: Config, service: ServiceKey): AxiosInstance {
  const access = engineAccess(config, service);
  const authorization = authorizationOf(access);
  const endpoints = new Endpoints([access.url, ...(access.alternateUrls ?? [])]);
  return axios.create({
    baseURL: access.url,
    timeout: 30000,
    ...agentsFor(access),
    headers: authorization ? { Authorization: authorization } : {},
    validateStatus: () => true,
    adapter: failoverAdapter(endpoints, axios.getAdapter(axios.defaults.adapter)),
  });
}
