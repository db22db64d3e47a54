import axios, { AxiosInstance } from 'axios';
import type { Config, ServiceKey } from '../../src/config';
import { agentsFor, authorizationOf, ServiceAccess } from '../../src/ras/service-access';

const URL_OF: Record<ServiceKey, (config: Config) => string> = {
  kafkaConnect: (c) => c.kafkaConnectUrl,
  flink: (c) => c.flinkUrl,
  flinkSqlGateway: (c) => c.flinkSqlGatewayUrl,
  schemaRegistry: (c) => c.schemaRegistryUrl,
};

/** How DF's config reaches one engine: its URL with its CA, client certificate and credentials. */
export function engineAccess(config: Config, service: ServiceKey): ServiceAccess {
  return { url: URL_OF[service](config), ...config.serviceSecurity[service] };
}

/**
 * An engine's REST API as a spec looks at it behind DF's back, reached the way DF's config says
 * (so the same spec runs on the plain and the secure profile); every status is returned.
 */
export function engineHttp(config: Config, service: ServiceKey): AxiosInstance {
  const access = engineAccess(config, service);
  const authorization = authorizationOf(access);
  return axios.create({
    baseURL: access.url,
    timeout: 30000,
    ...agentsFor(access),
    headers: authorization ? { Authorization: authorization } : {},
    validateStatus: () => true,
  });
}
