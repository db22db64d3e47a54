import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ENV_DEFAULTS, loadConfig } from '../../src/config';

/**
 * docker-compose.yml cannot run here (no Docker engine), so this keeps it honest: the same
 * services, host ports and env vars as the native stack and the config module.
 */
interface ComposeService {
  image?: string;
  build?: string;
  ports?: string[];
  environment?: Record<string, string>;
}
// DF's settings are one YAML anchor merged into the API's and the worker's environment, as Compose merges it.
const compose = parse(fs.readFileSync(path.resolve(__dirname, '../../docker-compose.yml'), 'utf8'), {
  merge: true,
}) as {
  services: Record<string, ComposeService>;
};
const app = compose.services.datafibers;
const worker = compose.services['datafibers-worker'];

/** host port -> [service, container port] */
function published(): Map<number, [string, number]> {
  const map = new Map<number, [string, number]>();
  for (const [name, svc] of Object.entries(compose.services)) {
    for (const p of svc.ports ?? []) {
      const [host, hostPort, containerPort] = p.split(':');
      expect(host).toBe('127.0.0.1');
      map.set(Number(hostPort), [name, Number(containerPort)]);
    }
  }
  return map;
}

function portOf(url: string): [string, number] {
  const u = new URL(url.includes('://') ? url : `tcp://${url}`);
  return [u.hostname, Number(u.port)];
}

describe('docker-compose.yml', () => {
  it('has every service of the topology, from official images or built here on them', () => {
    expect(Object.keys(compose.services).sort()).toEqual([
      'datafibers',
      'datafibers-worker',
      'flink-jobmanager',
      'flink-sql-gateway',
      'flink-taskmanager',
      'kafka',
      'kafka-connect',
      'mongo',
      'schema-registry',
      'temporal',
      'temporal-db',
      'temporal-namespace',
      'temporal-schema',
      'temporal-ui',
      'volumes-init',
    ]);
    for (const [name, svc] of Object.entries(compose.services)) {
      if (svc.build !== undefined) continue;
      expect([name, svc.image]).toEqual([
        name,
        expect.stringMatching(/^(temporalio|postgres|mongo|apache|confluentinc|busybox)[/:]/),
      ]);
    }
  });

  it('publishes the same host ports as the native stack, on loopback', () => {
    const ports = published();
    expect([...ports.keys()].sort((a, b) => a - b)).toEqual([7233, 8080, 8081, 8082, 8083, 8084, 8233, 9092, 27017]);
    expect(ports.get(7233)?.[0]).toBe('temporal');
    expect(ports.get(8233)?.[0]).toBe('temporal-ui');
    expect(ports.get(27017)?.[0]).toBe('mongo');
    expect(ports.get(9092)?.[0]).toBe('kafka');
    expect(ports.get(8083)?.[0]).toBe('kafka-connect');
    expect(ports.get(8081)?.[0]).toBe('schema-registry');
    expect(ports.get(8082)?.[0]).toBe('flink-jobmanager');
    expect(ports.get(8084)?.[0]).toBe('flink-sql-gateway');
    expect(ports.get(8080)?.[0]).toBe('datafibers');
    // The native stack's defaults use the same host ports.
    for (const v of [
      'TEMPORAL_ADDRESS',
      'MONGO_URL',
      'KAFKA_CONNECT_URL',
      'SCHEMA_REGISTRY_URL',
      'FLINK_URL',
      'FLINK_SQL_GATEWAY_URL',
      'KAFKA_BROKERS',
    ] as const) {
      expect(ports.has(portOf(ENV_DEFAULTS[v])[1])).toBe(true);
    }
  });

  it('gives the app every variable of the config module, each valid', () => {
    const env = app.environment ?? {};
    for (const name of Object.keys(ENV_DEFAULTS)) expect(Object.keys(env)).toContain(name);
    // Compose reads "$$" as a literal "$" (its interpolation escape).
    const asComposeGivesIt = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\$/g, '$')]),
    );
    expect(() => loadConfig(asComposeGivesIt)).not.toThrow();
    expect(asComposeGivesIt.DF_SECRET_KEYS).toBe(ENV_DEFAULTS.DF_SECRET_KEYS);
    expect(env.DF_PORT).toBe(ENV_DEFAULTS.DF_PORT);
  });

  it("gives the worker the API's settings, but for where its metrics are served", () => {
    const { DF_WORKER_METRICS: apiScrapes, ...apiRest } = app.environment ?? {};
    const { DF_WORKER_METRICS: workerServes, ...workerRest } = worker.environment ?? {};
    expect(workerRest).toEqual(apiRest);
    expect(apiScrapes).toBe('datafibers-worker:9464');
    expect(workerServes).toBe('0.0.0.0:9464');
  });

  it("points the app's URLs at the services and container ports that serve them", () => {
    const env = app.environment ?? {};
    const expected: Record<string, string> = {
      TEMPORAL_ADDRESS: 'temporal',
      MONGO_URL: 'mongo',
      KAFKA_CONNECT_URL: 'kafka-connect',
      SCHEMA_REGISTRY_URL: 'schema-registry',
      FLINK_URL: 'flink-jobmanager',
      FLINK_SQL_GATEWAY_URL: 'flink-sql-gateway',
      KAFKA_BROKERS: 'kafka',
    };
    const containerPorts = new Map<string, number[]>();
    for (const [name, svc] of Object.entries(compose.services)) {
      containerPorts.set(
        name,
        (svc.ports ?? []).map((p) => Number(p.split(':')[2])),
      );
    }
    for (const [variable, service] of Object.entries(expected)) {
      const [host, port] = portOf(env[variable]);
      expect([variable, host]).toEqual([variable, service]);
      if (variable !== 'KAFKA_BROKERS')
        expect([variable, containerPorts.get(service)]).toEqual([variable, expect.arrayContaining([port])]);
    }
  });
});
