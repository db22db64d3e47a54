import fs from 'node:fs';
import axios, { AxiosInstance } from 'axios';
import { Config, loadConfig } from '../../../src/config';
import { openServices, Services } from '../../../src/services';
import { connectTemporal, TemporalClient } from '../../../src/temporal/client';
import { stackAsync } from '../../support/stack';

/**
 * The cluster profile's DF deployment as its clients see it: two API processes behind no balancer,
 * reached in turn; the store and Temporal reached as DF's own processes reach them, to check what
 * the operations left.
 */
export interface ClusterDeployment {
  config: Config;
  services: Services;
  temporal: TemporalClient;
  /** Axios on /api/df that sends each request to the next API process in turn; never throws on a status. */
  api: AxiosInstance;
  apiUrls: string[];
  connectUrls: string[];
  /** Requests sent and not yet answered (or failed): what a process killed now cuts off. */
  requestsInFlight(): number;
  close(): Promise<void>;
}

function listOf(value: string | undefined, name: string): string[] {
  if (!value) throw new Error(`${name} is not set: is the cluster profile's env loaded (test/support/cluster-env.ts)?`);
  return value.split(',').map((u) => u.trim());
}

/** The admin token the profile generated for its DF processes (DF_API_TOKENS_FILE holds `token:admin`). */
function adminToken(): string {
  const file = listOf(process.env.DF_API_TOKENS_FILE, 'DF_API_TOKENS_FILE')[0];
  return fs.readFileSync(file, 'utf8').trim().split(':')[0];
}

export async function openCluster(): Promise<ClusterDeployment> {
  const config = loadConfig();
  const services = await openServices(config);
  const temporal = await connectTemporal(config.temporal.connection, config.temporal.namespace, config.payloadKeys);
  const apiUrls = listOf(process.env.DF_CLUSTER_API_URLS, 'DF_CLUSTER_API_URLS');
  const connectUrls = listOf(process.env.KAFKA_CONNECT_URL, 'KAFKA_CONNECT_URL');
  const token = adminToken();
  let next = 0;
  let inFlight = 0;
  const api = axios.create({ validateStatus: () => true, timeout: 60_000 });
  api.interceptors.request.use((request) => {
    request.baseURL = `${apiUrls[next++ % apiUrls.length]}/api/df`;
    request.headers.set('Authorization', `Bearer ${token}`);
    inFlight++;
    return request;
  });
  api.interceptors.response.use(
    (response) => {
      inFlight--;
      return response;
    },
    (error: unknown) => {
      inFlight--;
      return Promise.reject(error);
    },
  );
  return {
    config,
    services,
    temporal,
    api,
    apiUrls,
    connectUrls,
    requestsInFlight: () => inFlight,
    async close() {
      await services.close();
      await temporal.close();
    },
  };
}

/** SIGKILL one process of the cluster (`stack.sh kill`): no shutdown, work in hand simply gone. */
export async function killProcess(name: string): Promise<number> {
  await stackAsync('kill', name);
  return Date.now();
}

/** Starts the missing members of a service again (`stack.sh up SERVICE`), waiting until it answers. */
export async function reviveService(service: string): Promise<void> {
  await stackAsync('up', service);
}
