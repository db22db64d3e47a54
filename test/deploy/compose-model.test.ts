import fs from 'node:fs';
import path from 'node:path';
import { ENV_DEFAULTS, loadConfig } from '../../src/config';
import { DF_SEARCH_ATTRIBUTES } from '../../src/protocol/search-attributes';
import { ComposeModel, loadComposeModel, ModelService } from '../support/compose-model';
import { readDockerfile } from '../support/dockerfile';
import { REPO_ROOT } from '../support/stack';

/**
 * docker-compose.yml as Docker Compose loads it (compose-go: interpolation, normalisation,
 * validation), held to what every feature of DF needs from the stack it describes. No Docker
 * engine runs here; the images' own contents are checked in test/unit/dockerfile.test.ts.
 */
describe('docker-compose.yml, loaded by compose-go', () => {
  let model: ComposeModel;
  const service = (name: string): ModelService => {
    const svc = model.services[name];
    if (!svc) throw new Error(`docker-compose.yml has no service ${name}`);
    return svc;
  };
  const oneShot = (svc: ModelService) => svc.restart === 'no';
  const shell = (svc: ModelService) => [...(svc.entrypoint ?? []), ...(svc.command ?? [])].join(' ');
  const dfServices = ['datafibers', 'datafibers-worker'];
  const flinkServices = ['flink-jobmanager', 'flink-taskmanager', 'flink-sql-gateway'];

  beforeAll(() => {
    // The first run builds the checker (about a minute, cold); later runs find it in the cache.
    model = loadComposeModel();
  }, 900000);

  it('is a valid Compose project, every service with a restart policy', () => {
    expect(model.name).toBe('datafibers');
    for (const [name, svc] of Object.entries(model.services)) {
      expect([name, svc.restart]).toEqual([
        name,
        expect.stringMatching(/^(unless-stopped|always|on-failure(:\d+)?|no)$/),
      ]);
    }
  });

  it('has a healthcheck on every long-running service, and none disabled', () => {
    for (const [name, svc] of Object.entries(model.services)) {
      if (oneShot(svc)) continue;
      expect([name, svc.healthcheck?.disable ?? false]).toEqual([name, false]);
      expect([name, svc.healthcheck?.test?.[0]]).toEqual([name, expect.stringMatching(/^CMD(-SHELL)?$/)]);
    }
  });

  it('starts each service after what it needs is healthy, or done for one-shot setup', () => {
    for (const [name, svc] of Object.entries(model.services)) {
      for (const [needed, { condition }] of Object.entries(svc.depends_on ?? {})) {
        const target = service(needed);
        const expected = oneShot(target) ? 'service_completed_successfully' : 'service_healthy';
        expect([name, needed, condition]).toEqual([name, needed, expected]);
      }
    }
    // DF needs every service it drives, Temporal's namespace and the shared folder set up.
    const needs = [
      'temporal',
      'temporal-namespace',
      'mongo',
      'kafka',
      'kafka-connect',
      'schema-registry',
      ...flinkServices,
      'volumes-init',
    ];
    for (const name of dfServices) expect(Object.keys(service(name).depends_on ?? {}).sort()).toEqual(needs.sort());
  });

  it('names every image by an exact tag, never latest, and builds none from a moving base', () => {
    for (const [name, svc] of Object.entries(model.services)) {
      expect([name, svc.image]).toEqual([name, expect.stringMatching(/^[a-z0-9][\w./-]*:[\w.-]+$/)]);
      expect([name, svc.image?.endsWith(':latest')]).toEqual([name, false]);
      if (!svc.build) continue;
      for (const stage of readDockerfile(path.join(svc.build.context, svc.build.dockerfile))) {
        expect([name, stage.image]).toEqual([name, expect.stringMatching(/^[a-z0-9][\w./-]*:\d[\w.-]*$/)]);
      }
    }
  });

  it('sets up Temporal with its server image and admin tools, not the deprecated auto-setup', () => {
    for (const [name, svc] of Object.entries(model.services)) {
      expect([name, svc.image]).not.toEqual([name, expect.stringContaining('temporalio/auto-setup')]);
    }
    expect(service('temporal').image).toMatch(/^temporalio\/server:/);
    const schema = service('temporal-schema');
    expect(schema.image).toMatch(/^temporalio\/admin-tools:/);
    for (const step of ['temporal-sql-tool', 'setup-schema', 'update-schema', 'temporal_visibility']) {
      expect(shell(schema)).toContain(step);
    }
    expect(service('temporal').depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
  });

  it("creates DF's namespace and every search attribute its workflows set", () => {
    const setup = shell(service('temporal-namespace'));
    const namespace = service('datafibers').environment?.TEMPORAL_NAMESPACE ?? '';
    expect(setup).toContain(`namespace create --namespace ${namespace}`);
    for (const key of DF_SEARCH_ATTRIBUTES) expect(setup).toContain(key.name);
    expect(setup).toContain('--type Keyword');
  });

  it('gives the API and the worker every variable of the config module, each valid as Compose passes it', () => {
    for (const name of dfServices) {
      const env = Object.fromEntries(Object.entries(service(name).environment ?? {}).map(([k, v]) => [k, v ?? '']));
      for (const variable of Object.keys(ENV_DEFAULTS)) expect([name, variable in env]).toEqual([name, true]);
      expect(() => loadConfig(env)).not.toThrow();
      // Compose's interpolation turned the file's "$$" into the "$" DF expects.
      expect(env.DF_SECRET_KEYS).toBe(ENV_DEFAULTS.DF_SECRET_KEYS);
    }
    expect(service('datafibers').command).toEqual(['node', 'dist/src/api-main.js']);
    expect(service('datafibers-worker').command).toEqual(['node', 'dist/src/worker-main.js']);
  });

  it('builds Flink with the Kafka SQL connector and the avro-confluent format in lib/', () => {
    const images = new Set(flinkServices.map((name) => service(name).image));
    expect(images.size).toBe(1);
    for (const name of flinkServices) {
      const build = service(name).build;
      expect([name, build && path.relative(REPO_ROOT, build.context)]).toEqual([name, 'deploy/flink']);
    }
    const { context, dockerfile } = service('flink-jobmanager').build!;
    const adds = readDockerfile(path.join(context, dockerfile))[0].instructions.filter((i) => i.keyword === 'ADD');
    const added = adds.map((a) => a.args);
    expect(added).toEqual([
      expect.stringMatching(
        /\/flink-sql-connector-kafka-\$\{FLINK_KAFKA_CONNECTOR_VERSION\}\.jar \/opt\/flink\/lib\/$/,
      ),
      expect.stringMatching(/\/flink-sql-avro-confluent-registry-\$\{FLINK_VERSION\}\.jar \/opt\/flink\/lib\/$/),
    ]);
  });

  it('keeps Kafka, the store, Temporal and the shared data in named volumes', () => {
    const mounts = (name: string) => (service(name).volumes ?? []).filter((v) => v.type === 'volume');
    expect(mounts('kafka')).toEqual([expect.objectContaining({ source: 'kafka', target: '/var/lib/kafka/data' })]);
    // The registry's schemas live in Kafka's _schemas topic, so in Kafka's volume.
    expect(service('kafka').environment?.KAFKA_LOG_DIRS).toBe('/var/lib/kafka/data');
    expect(service('schema-registry').environment?.SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS).toBe('kafka:29092');
    expect(mounts('mongo')).toEqual([expect.objectContaining({ source: 'mongo', target: '/data/db' })]);
    expect(mounts('temporal-db')).toEqual([
      expect.objectContaining({ source: 'temporal-db', target: '/var/lib/postgresql/data' }),
    ]);
    // A fixed cluster id: the formatted log folder is the same cluster's after down and up.
    expect(service('kafka').environment?.CLUSTER_ID).toMatch(/^[\w-]{22}$/);
    expect(Object.keys(model.volumes).sort()).toEqual(['df-data', 'kafka', 'mongo', 'temporal-db']);
  });

  it('lets Flink (uid 9999), Kafka Connect and DF all write the shared data folder', () => {
    const sharing = Object.entries(model.services)
      .filter(([, svc]) => (svc.volumes ?? []).some((v) => v.source === 'df-data'))
      .map(([name]) => name);
    expect(sharing.sort()).toEqual([...dfServices, ...flinkServices, 'kafka-connect', 'volumes-init'].sort());
    // The init gives the folder to Flink's uid and gid, group-writable and setgid, before anyone mounts it.
    const init = shell(service('volumes-init'));
    expect(init).toContain('chown -R 9999:9999 /df-data');
    expect(init).toContain('chmod -R g+rwX /df-data');
    expect(init).toContain('chmod g+s');
    const umask = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').includes('umask 0002');
    for (const name of sharing.filter((n) => n !== 'volumes-init')) {
      const svc = service(name);
      expect([name, svc.depends_on?.['volumes-init']?.condition]).toEqual([name, 'service_completed_successfully']);
      if (flinkServices.includes(name)) {
        // Flink's image runs as flink (9999:9999), through an entrypoint that keeps files group-writable.
        expect(umask('deploy/flink/entrypoint.sh')).toBe(true);
      } else {
        expect([name, svc.group_add]).toEqual([name, ['9999']]);
        expect([name, name === 'kafka-connect' ? shell(svc).includes('umask 0002') : umask('Dockerfile')]).toEqual([
          name,
          true,
        ]);
      }
    }
  });

  it('publishes every port on loopback only', () => {
    for (const [name, svc] of Object.entries(model.services)) {
      for (const port of svc.ports ?? []) expect([name, port.host_ip]).toEqual([name, '127.0.0.1']);
    }
  });
});
