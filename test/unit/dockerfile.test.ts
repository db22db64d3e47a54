import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { copyPaths, instructionsOf, readDockerfile, Stage } from '../support/dockerfile';

/**
 * No Docker engine here, so the images are checked as files: what the Dockerfiles build from,
 * copy and run. test/deploy/image-tree.test.ts runs the DF image's steps natively.
 */
const ROOT = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const stages = readDockerfile(path.join(ROOT, 'Dockerfile'));
const runtime = stages[stages.length - 1];
const runs = (stage: Stage) => instructionsOf(stage, 'RUN').map((i) => i.args);

/** The native stack's pinned versions (scripts/stack/lib.sh). */
function stackVersion(name: string): string {
  const match = new RegExp(`^${name}=(\\S+)$`, 'm').exec(read('scripts/stack/lib.sh'));
  if (!match) throw new Error(`${name} is not in scripts/stack/lib.sh`);
  return match[1];
}

/** The value of an ARG's default in a Dockerfile. */
function argDefault(file: string, name: string): string {
  const match = new RegExp(`^ARG ${name}=(\\S+)$`, 'm').exec(read(file));
  if (!match) throw new Error(`ARG ${name} has no default in ${file}`);
  return match[1];
}

describe("DF's Dockerfile", () => {
  it('builds in one stage and runs from another, on an exact Node LTS tag', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      // An exact release of an even-numbered (LTS) Node line: never `latest`, never a moving tag.
      expect(stage.image).toMatch(/^node:(\d+)\.\d+\.\d+-[a-z]+(-slim)?$/);
      expect(Number(/^node:(\d+)/.exec(stage.image)?.[1]) % 2).toBe(0);
    }
    expect(new Set(stages.map((s) => s.image)).size).toBe(1);
  });

  it('compiles with every dependency in the build stage', () => {
    const build = stages.find((s) => s.name === 'build');
    expect(build).toBeDefined();
    expect(runs(build!)).toEqual(expect.arrayContaining(['npm ci --no-audit --no-fund', 'npm run build']));
  });

  it('runs with the production dependencies and the build output only', () => {
    expect(runs(runtime).some((r) => /^npm ci --omit=dev\b/.test(r))).toBe(true);
    expect(runs(runtime).some((r) => /npm (run|install|i)\b/.test(r))).toBe(false);
    const fromBuild = instructionsOf(runtime, 'COPY').filter((c) => c.flags.from === 'build');
    expect(fromBuild.map((c) => copyPaths(c).sources)).toEqual([['/app/dist']]);
  });

  it('copies everything `npm run build` reads into the build stage', () => {
    const build = stages.find((s) => s.name === 'build')!;
    const copied = instructionsOf(build, 'COPY').flatMap((c) => copyPaths(c).sources);
    const buildScript = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.build;
    const scripts = buildScript.match(/scripts\/[\w-]+\.js/g) ?? [];
    const tsconfig = /-p (\S+)/.exec(buildScript)?.[1] ?? '';
    const included = (JSON.parse(read(tsconfig)) as { include: string[] }).include;
    expect(scripts.length).toBeGreaterThan(0);
    expect(copied).toEqual(
      expect.arrayContaining([...scripts, tsconfig, 'tsconfig.json', 'package.json', 'package-lock.json', ...included]),
    );
  });

  it('sends the builder nothing but what it copies', () => {
    const ignore = read('.dockerignore')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(ignore[0]).toBe('*');
    const allowed = ignore.filter((l) => l.startsWith('!')).map((l) => l.slice(1));
    const sources = stages
      .flatMap((s) => instructionsOf(s, 'COPY'))
      .filter((c) => !c.flags.from)
      .flatMap((c) => copyPaths(c).sources);
    for (const source of sources) expect([source, allowed.includes(source)]).toEqual([source, true]);
    // The stack's keys and the CLI's state never reach the builder.
    expect(allowed.some((a) => a.startsWith('.stack') || a.startsWith('.df') || a === 'node_modules')).toBe(false);
  });

  it('runs as a user who is not root', () => {
    const users = instructionsOf(runtime, 'USER').map((u) => u.args);
    expect(users.length).toBeGreaterThan(0);
    expect(users[users.length - 1]).not.toMatch(/^(root|0)(:|$)/);
    // Nothing runs as root after the switch.
    const lastUser = runtime.instructions.findIndex((i) => i.keyword === 'USER' && i.args === users[users.length - 1]);
    expect(runtime.instructions.slice(lastUser).some((i) => i.keyword === 'RUN')).toBe(false);
  });

  it('reports its health from /livez with the probe it ships', () => {
    const [healthcheck] = instructionsOf(runtime, 'HEALTHCHECK');
    expect(healthcheck.args).toBe('CMD ["node", "deploy/probe.js"]');
    const shipped = instructionsOf(runtime, 'COPY').flatMap((c) => copyPaths(c).sources);
    expect(shipped).toContain('deploy/probe.js');
    expect(read('deploy/probe.js')).toContain("'/livez'");
  });

  it('starts the API and the worker by default, and any of the three entry points by command', () => {
    const [cmd] = instructionsOf(runtime, 'CMD');
    expect(JSON.parse(cmd.args)).toEqual(['node', 'dist/src/main.js']);
    for (const main of ['main', 'api-main', 'worker-main'])
      expect(fs.existsSync(path.join(ROOT, `src/${main}.ts`))).toBe(true);
  });
});

describe('the images docker-compose.yml builds', () => {
  const compose = parse(read('docker-compose.yml'), { merge: true }) as {
    services: Record<string, { image?: string; build?: string }>;
  };

  it("adds the native stack's Kafka SQL connector and avro-confluent jars to Flink, checked by hash", () => {
    const [flink] = readDockerfile(path.join(ROOT, 'deploy/flink/Dockerfile'));
    const flinkVersion = stackVersion('FLINK_VERSION');
    const connectorVersion = stackVersion('FLINK_KAFKA_CONNECTOR_VERSION');
    expect(argDefault('deploy/flink/Dockerfile', 'FLINK_VERSION')).toBe(flinkVersion);
    expect(argDefault('deploy/flink/Dockerfile', 'FLINK_KAFKA_CONNECTOR_VERSION')).toBe(connectorVersion);
    expect(flink.image).toBe(`flink:${flinkVersion}-java17`);
    const adds = instructionsOf(flink, 'ADD');
    const jars = adds.map((a) => {
      const { sources, destination } = copyPaths(a);
      expect(a.flags.checksum).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(destination).toBe('/opt/flink/lib/');
      return path.basename(sources[0]);
    });
    expect(jars.sort()).toEqual([
      'flink-sql-avro-confluent-registry-${FLINK_VERSION}.jar',
      'flink-sql-connector-kafka-${FLINK_KAFKA_CONNECTOR_VERSION}.jar',
    ]);
    for (const name of ['flink-jobmanager', 'flink-taskmanager', 'flink-sql-gateway']) {
      expect([name, compose.services[name].build]).toEqual([name, 'deploy/flink']);
      expect([name, compose.services[name].image]).toEqual([
        name,
        `datafibers-flink:${flinkVersion}-kafka-${connectorVersion}`,
      ]);
    }
  });

  it("installs the native stack's MongoDB connector into Kafka Connect at build time", () => {
    const version = stackVersion('MONGO_CONNECTOR_VERSION');
    expect(argDefault('deploy/connect/Dockerfile', 'MONGO_CONNECTOR_VERSION')).toBe(version);
    expect(compose.services['kafka-connect'].image).toMatch(new RegExp(`-mongodb-${version.replace(/\./g, '\\.')}$`));
  });

  it("tags DF's image with the version in package.json", () => {
    const { version } = JSON.parse(read('package.json')) as { version: string };
    for (const name of ['datafibers', 'datafibers-worker']) {
      expect([name, compose.services[name].build, compose.services[name].image]).toEqual([
        name,
        '.',
        `datafibers:${version}`,
      ]);
    }
  });
});
