import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import axios from 'axios';
import { aroundBuiltService, freePort } from '../support/built-service';
import { buildImageTree, ImageTree } from '../support/image-tree';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

/**
 * The DF image without a Docker engine: its runtime stage assembled natively from the Dockerfile's
 * steps (production dependencies only, the build's dist/), then its commands run against the real
 * stack and its healthchecks asked, as the container engine would ask them.
 */
describe("the DF image's runtime tree", () => {
  const db = uniqueName('it_image');
  let tree: ImageTree;
  const children: ChildProcess[] = [];

  aroundBuiltService(db);

  beforeAll(() => {
    tree = buildImageTree();
  }, 600000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    tree?.remove();
  });

  /** One of the image's commands, from the tree, with the image's ENV and these variables over the test's. */
  function start(main: string, env: Record<string, string>): { child: ChildProcess; output(): string } {
    const child = spawn(process.execPath, [main], {
      cwd: tree.dir,
      // Only the tree's node_modules may serve a require: no NODE_PATH into the clone's.
      env: { ...process.env, ...tree.env, NODE_PATH: '', DF_LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    return { child, output: () => output };
  }

  /** The image's HEALTHCHECK command (`node deploy/probe.js [port path]`) in a container with this env: its exit code. */
  function probe(env: Record<string, string>, ...args: string[]): number | null {
    return spawnSync(process.execPath, ['deploy/probe.js', ...args], {
      cwd: tree.dir,
      env: { ...tree.env, ...env },
      timeout: 10000,
    }).status;
  }

  /** What every DF process of this spec needs: its own database, queue and data folder, no syncs. */
  function dfEnv(port: number): Record<string, string> {
    return {
      DF_HOST: '127.0.0.1',
      DF_PORT: String(port),
      MONGO_DB: db,
      DF_TASK_QUEUE: uniqueName('it-image'),
      DF_DATA_DIR: path.join(tree.dir, 'data'),
      DF_SYNC_INTERVAL: '0',
      DF_STARTUP_SYNC: 'false',
      DF_WORKER_METRICS: 'off',
    };
  }

  it('holds the production dependencies and no package only development needs', () => {
    const installed = (name: string) => fs.existsSync(path.join(tree.dir, 'node_modules', name, 'package.json'));
    const pkg = JSON.parse(fs.readFileSync(path.join(tree.dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // The lock marks `dev` what only the development dependencies need (typescript, jest, eslint...).
    const lock = JSON.parse(fs.readFileSync(path.join(tree.dir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.entries(lock.packages)
      .filter(([where, entry]) => entry.dev && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(where))
      .map(([where]) => where.slice('node_modules/'.length));
    expect(devOnly).toEqual(expect.arrayContaining(['typescript', 'jest', 'eslint']));
    for (const name of Object.keys(pkg.dependencies)) expect([name, installed(name)]).toEqual([name, true]);
    for (const name of devOnly) expect([name, installed(name)]).toEqual([name, false]);
  });

  it('runs the API alone (dist/src/api-main.js): it serves /health, the console and the API docs', async () => {
    const port = await freePort();
    const api = start('dist/src/api-main.js', dfEnv(port));
    const health = await eventually(
      `the API from the image tree to answer /health (its output: ${api.output().slice(-2000)})`,
      async () => {
        const res = await axios.get(`http://127.0.0.1:${port}/health`, { validateStatus: () => true });
        return res.status === 200 ? res.data : undefined;
      },
      120000,
      1000,
    );
    expect(health).toEqual(expect.objectContaining({ status: expect.any(String) }));
    // The web console, the OpenAPI document and Swagger UI's assets are served from the tree's own files.
    for (const asset of ['/', '/console/app.js', '/api/openapi.json', '/api/docs/swagger-ui-bundle.js']) {
      const res = await axios.get(`http://127.0.0.1:${port}${asset}`, { validateStatus: () => true });
      expect([asset, res.status]).toEqual([asset, 200]);
    }
    api.child.kill('SIGTERM');
    await new Promise((resolve) => api.child.once('exit', resolve));
  });

  it("passes the image's HEALTHCHECK (GET /livez on DF_PORT) once the API serves", async () => {
    const port = await freePort();
    start('dist/src/api-main.js', dfEnv(port));
    await eventually(
      'the API from the image tree to serve',
      async () => ((await axios.get(`http://127.0.0.1:${port}/health`)).status === 200 ? true : undefined),
      120000,
      1000,
    );
    expect(probe({ DF_PORT: String(port) })).toBe(0);
  });

  it("runs a worker alone (dist/src/worker-main.js) from the build's workflow bundle, its metrics served for the API", async () => {
    const metricsPort = await freePort();
    const worker = start('dist/src/worker-main.js', {
      ...dfEnv(await freePort()),
      DF_WORKER_METRICS: `127.0.0.1:${metricsPort}`,
    });
    await eventually(
      'the worker from the image tree to poll',
      async () => (worker.output().includes('"worker polling"') ? true : undefined),
      120000,
      500,
    );
    expect(probe({}, String(metricsPort), '/metrics')).toBe(0);
    worker.child.kill('SIGTERM');
    await new Promise((resolve) => worker.child.once('exit', resolve));
  });

  it("passes the image's HEALTHCHECK on a worker alone: its probe listener (DF_PROBE_ADDRESS) answers /livez", async () => {
    const env: Record<string, string> = {
      ...dfEnv(await freePort()),
      DF_PROBE_ADDRESS: `127.0.0.1:${await freePort()}`,
    };
    const worker = start('dist/src/worker-main.js', env);
    await eventually(
      'the worker from the image tree to poll',
      async () => (worker.output().includes('"worker polling"') ? true : undefined),
      120000,
      500,
    );
    expect(probe({ DF_PORT: env.DF_PORT, DF_PROBE_ADDRESS: env.DF_PROBE_ADDRESS })).toBe(0);
  });
});
