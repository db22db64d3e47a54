import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { ENV_NAMES, loadConfig, SETTINGS, type EnvName, type Setting } from '../../src/config';

/**
 * The Helm chart in deploy/helm/datafibers: scripts/check-helm.sh lints it, renders it and checks
 * the manifests against the Kubernetes API schemas; the rendered manifests are read here too, to
 * hold the chart to what DF reads and where it writes.
 */
const ROOT = path.resolve(__dirname, '../..');
const CHART = path.join(ROOT, 'deploy/helm/datafibers');
const EVERYTHING_ON = path.join(CHART, 'ci/everything-values.yaml');
const run = promisify(execFile);
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'df-helm-spec-'));
// Helm keeps no state of its own for these renders.
const helmEnv = {
  ...process.env,
  HELM_CONFIG_HOME: path.join(scratch, 'config'),
  HELM_CACHE_HOME: path.join(scratch, 'cache'),
  HELM_DATA_HOME: path.join(scratch, 'data'),
};
let helm = '';

interface EnvVar {
  name: string;
  value?: string;
}
interface Container {
  name: string;
  image: string;
  ports: { name: string; containerPort: number; protocol: string }[];
  env?: EnvVar[];
  envFrom: { configMapRef: { name: string } }[];
  readinessProbe: { httpGet: { path: string; port: string | number } };
  livenessProbe: { httpGet: { path: string; port: string | number } };
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean };
  volumeMounts: { name: string; mountPath: string }[];
}
interface Volume {
  name: string;
  emptyDir?: object;
  persistentVolumeClaim?: { claimName: string };
  secret?: { secretName: string; items: { key: string; path: string }[] };
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: {
    accessModes?: string[];
    template?: { spec: { securityContext: { runAsNonRoot: boolean }; containers: Container[]; volumes: Volume[] } };
  };
}

async function checkHelm(...args: string[]): Promise<{ failed: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run('bash', ['scripts/check-helm.sh', ...args], { cwd: ROOT, env: helmEnv });
    return { failed: false, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { failed: true, output: stdout + stderr };
  }
}

async function render(...args: string[]): Promise<Manifest[]> {
  const { stdout } = await run(helm, ['template', 'datafibers', CHART, '--namespace', 'df', ...args], {
    env: helmEnv,
    maxBuffer: 16 * 1024 * 1024,
  });
  return parseAllDocuments(stdout)
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((m): m is Manifest => m !== null);
}

function one(manifests: Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  expect(found).toHaveLength(1);
  return found[0];
}

function podOf(manifests: Manifest[], name: string) {
  const pod = one(manifests, 'Deployment', name).spec?.template?.spec;
  if (!pod) throw new Error(`Deployment ${name} has no pod template`);
  return { pod, container: pod.containers[0] };
}

/** The rows of src/config.ts whose values are secrets or carry credentials. */
const SECRET_SETTINGS = ENV_NAMES.filter((name) => {
  const row: Setting = SETTINGS[name];
  return row.secret === true || row.holdsCredentials === true;
});

/** Each secret value as its variable's name, so a leak names itself. */
const inlineSecrets = (names: readonly string[]): string[] =>
  names.flatMap((name) => ['--set-string', `secrets.values.${name}=value-of-${name}`]);

beforeAll(async () => {
  // First use on a machine: Helm is built from the Go module proxy (minutes) and the schemas
  // installed from PyPI; later runs find both in the cache.
  helm = (await run('bash', ['scripts/ensure-helm.sh'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 })).stdout.trim();
  await run('bash', ['scripts/ensure-kubernetes-validate.sh'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
}, 30 * 60_000);

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('the Helm chart check (scripts/check-helm.sh)', () => {
  it('passes the chart with default values and with every option on: lint, render, strict Kubernetes schemas', async () => {
    const { failed, output } = await checkHelm();
    expect(output).toContain('ok default values');
    expect(output).toContain('ok values: deploy/helm/datafibers/ci/everything-values.yaml');
    expect(failed).toBe(false);
  });

  it.each([
    [
      'a probe port of the wrong type',
      ['--set', 'api.readinessProbe.httpGet.port=true'],
      'spec.template.spec.containers.0.readinessProbe.httpGet.port: True is not valid',
    ],
    [
      'a misspelt resources field (strict schemas refuse unknown fields)',
      ['--set', 'api.resources.limit.memory=1Gi'],
      "spec.template.spec.containers.0.resources: Additional properties are not allowed ('limit' was unexpected)",
    ],
    [
      'a memory limit that is no quantity',
      ['--set', 'worker.resources.limits.memory=lots'],
      "at '/worker/resources/limits/memory'",
    ],
    ['a worker probe port that is no port', ['--set', 'worker.probePort=ninety'], "at '/worker/probePort'"],
  ])('fails on %s, naming the field', async (_, args, field) => {
    const { failed, output } = await checkHelm(...args);
    expect(output).toContain(field);
    expect(output).toContain('[check-helm] FAILED');
    expect(failed).toBe(true);
  });
});

describe('the Helm chart (deploy/helm/datafibers)', () => {
  it('takes every secret setting of DF as a secret; the Temporal client key comes with the mTLS secret', () => {
    const values = parse(fs.readFileSync(path.join(CHART, 'values.yaml'), 'utf8')) as {
      secrets: { values: Record<string, string> };
    };
    const viaTemporalTls: EnvName[] = ['TEMPORAL_TLS_CLIENT_KEY_DATA'];
    expect(Object.keys(values.secrets.values).sort()).toEqual(
      SECRET_SETTINGS.filter((n) => !viaTemporalTls.includes(n)).sort(),
    );
  });

  it('keeps secrets out of the ConfigMap: they are files of the Secret, passed as NAME_FILE', async () => {
    const names = SECRET_SETTINGS.filter((n) => n !== 'TEMPORAL_TLS_CLIENT_KEY_DATA');
    const manifests = await render(...inlineSecrets(names));
    const config = one(manifests, 'ConfigMap').data ?? {};
    const secret = one(manifests, 'Secret');
    for (const name of names) {
      expect(JSON.stringify(config)).not.toContain(`value-of-${name}`);
      expect(Buffer.from(secret.data?.[name] ?? '', 'base64').toString()).toBe(`value-of-${name}`);
    }
    for (const deployment of ['datafibers-api', 'datafibers-worker']) {
      const { pod, container } = podOf(manifests, deployment);
      const secretVolume = pod.volumes.find((v) => v.secret?.secretName === secret.metadata.name);
      const mount = container.volumeMounts.find((m) => m.name === secretVolume?.name);
      for (const name of names) {
        expect(secretVolume?.secret?.items).toContainEqual({ key: name, path: name });
        expect(config[`${name}_FILE`]).toBe(`${mount?.mountPath}/${name}`);
      }
      // Nothing secret in the pod's environment either.
      expect(JSON.stringify(container.env ?? [])).not.toContain('value-of-');
    }
  });

  it('uses an existing Secret instead of creating one', async () => {
    const manifests = await render('-f', EVERYTHING_ON);
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    const { pod } = podOf(manifests, 'datafibers-worker');
    expect(pod.volumes.find((v) => v.name === 'secrets')?.secret?.secretName).toBe('datafibers-credentials');
  });

  it('refuses a secret setting given as a plain one, and a secret key DF does not read', async () => {
    await expect(render('--set-string', 'config.MONGO_URL=mongodb://u:p@store/')).rejects.toThrow(
      'config.MONGO_URL holds secrets',
    );
    await expect(render('--set-string', 'secrets.values.MONGO_PASSWORD=x')).rejects.toThrow(
      'MONGO_PASSWORD is not a secret setting of DF',
    );
  });

  it('sets only variables DF reads', async () => {
    const manifests = await render('-f', EVERYTHING_ON);
    const names = new Set(Object.keys(one(manifests, 'ConfigMap').data ?? {}));
    for (const deployment of ['datafibers-api', 'datafibers-worker']) {
      for (const v of podOf(manifests, deployment).container.env ?? []) names.add(v.name);
    }
    // The worker's probe listener; the process's own tuning of glibc and Node.
    const beyondTheTable = ['DF_PROBE_ADDRESS', 'MALLOC_ARENA_MAX', 'NODE_OPTIONS'];
    const unknown = [...names].filter(
      (n) =>
        !(ENV_NAMES as string[]).includes(n) &&
        !beyondTheTable.includes(n) &&
        !(n.endsWith('_FILE') && (SECRET_SETTINGS as string[]).includes(n.slice(0, -'_FILE'.length))),
    );
    expect(unknown).toEqual([]);
  });

  it('gives DF settings it starts with, answering to its Service names, with its secrets from files', async () => {
    const secrets = {
      DF_PAYLOAD_KEY: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
      DF_API_TOKENS: 'an-admin-token-of-some-length:admin',
      MONGO_URL: 'mongodb://df:pw@mongo.df.svc:27017/?replicaSet=rs0',
      TEMPORAL_API_KEY: 'tmprl-api-key-0123456789',
    };
    const manifests = await render(
      '--set',
      'temporal.address=orders.a1b2c.tmprl.cloud:7233',
      ...Object.entries(secrets).flatMap(([k, v]) => ['--set-string', `secrets.values.${k}=${v}`]),
    );
    const data = one(manifests, 'ConfigMap').data ?? {};
    const worker = podOf(manifests, 'datafibers-worker').container;
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(data)) env[k] = v;
    for (const v of worker.env ?? []) if (v.value !== undefined) env[v.name] = v.value;
    // The Secret's files, where the pod would have them mounted.
    for (const [name, value] of Object.entries(secrets)) {
      const file = path.join(scratch, name);
      fs.writeFileSync(file, `${value}\n`);
      env[`${name}_FILE`] = file;
    }
    const config = loadConfig(env);
    expect(config.host).toBe('0.0.0.0');
    expect(config.dataDir).toBe('/var/lib/datafibers');
    expect(config.mongo.url).toBe(secrets.MONGO_URL);
    expect(config.api.tokens).toEqual([
      { token: 'an-admin-token-of-some-length', role: 'admin', name: expect.stringMatching(/^token-[0-9a-f]{6}$/) },
    ]);
    expect(config.api.allowedHosts).toEqual(
      expect.arrayContaining(['localhost', 'datafibers-api', 'datafibers-api.df.svc.cluster.local']),
    );
    expect(config.workerMetricsAddress).toBe('0.0.0.0:9464');
    expect(config.temporal.connection).toMatchObject({ apiKey: secrets.TEMPORAL_API_KEY, tls: {} });
  });

  it('runs as non-root on a read-only root file system, writing only to the shared data volume and /tmp', async () => {
    const manifests = await render();
    expect(one(manifests, 'PersistentVolumeClaim').spec?.accessModes).toEqual(['ReadWriteMany']);
    const dataDir = one(manifests, 'ConfigMap').data?.DF_DATA_DIR;
    for (const deployment of ['datafibers-api', 'datafibers-worker']) {
      const { pod, container } = podOf(manifests, deployment);
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(container.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
      });
      const volumeAt = (dir: string | undefined) =>
        pod.volumes.find((v) => v.name === container.volumeMounts.find((m) => m.mountPath === dir)?.name);
      expect(volumeAt(dataDir)?.persistentVolumeClaim?.claimName).toBe('datafibers-data');
      expect(volumeAt('/tmp')?.emptyDir).toBeDefined();
    }
  });

  it('mounts an existing claim, shared with Flink and Connect, instead of creating one', async () => {
    const manifests = await render('--set', 'data.existingClaim=shared-df-data');
    expect(manifests.filter((m) => m.kind === 'PersistentVolumeClaim')).toEqual([]);
    for (const deployment of ['datafibers-api', 'datafibers-worker']) {
      const { pod } = podOf(manifests, deployment);
      expect(pod.volumes.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName).toBe('shared-df-data');
    }
  });

  it("probes the API on its HTTP port and the workers on their probe listener, and tags the image with the chart's appVersion, DF's version", async () => {
    const manifests = await render();
    const chart = parse(fs.readFileSync(path.join(CHART, 'Chart.yaml'), 'utf8')) as { appVersion: string };
    const api = podOf(manifests, 'datafibers-api').container;
    expect(api.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(api.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http' });
    expect(api.ports).toContainEqual({ name: 'http', containerPort: 8080, protocol: 'TCP' });
    const worker = podOf(manifests, 'datafibers-worker').container;
    expect(worker.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'probe' });
    expect(worker.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'probe' });
    const probePort = worker.ports.find((p) => p.name === 'probe')?.containerPort;
    expect(worker.env).toContainEqual({ name: 'DF_PROBE_ADDRESS', value: `0.0.0.0:${probePort}` });
    for (const container of [api, worker]) expect(container.image).toBe(`datafibers:${chart.appVersion}`);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(chart.appVersion).toBe(pkg.version);
  });
});
