import { execFileSync, spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { freePort, MAIN, runBuiltService, BuiltService } from '../support/built-service';
import { REPO_ROOT, uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { eventuallyHealthy } from '../support/df-health';

/** The store binary the stack's recipe builds (scripts/stack/services/store.sh). */
function storeBinary(): string {
  const script = 'source scripts/stack/lib.sh >/dev/null; source scripts/stack/services/store.sh; store_binary';
  const binary = execFileSync('bash', ['-c', script], { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  if (!fs.existsSync(binary)) throw new Error(`${binary} is missing: \`npm run stack -- up store\` builds it`);
  return binary;
}

/**
 * DF started while its store is out of reach keeps running, says why (in /health and in a start-up
 * line), refuses what needs the store with 503 and that cause, and takes tasks once a store answers
 * at that address: what an orchestrator starting the store after DF needs. The store here is a
 * FerretDB of the test's own, started late on a port of its own.
 */
describe('DF started before its store', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'df-store-away-'));
  const id = uniqueName('store_away_fs');
  let service: BuiltService | undefined;
  let store: ChildProcess | undefined;
  let port: number;

  beforeAll(() => {
    if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` (npm test does)`);
  });

  afterAll(async () => {
    if (port) await axios.delete(`http://127.0.0.1:${port}/api/df/ps/${id}`, { validateStatus: () => true });
    service?.child.kill('SIGTERM');
    await service?.exited;
    store?.kill('SIGTERM');
    if (store && store.exitCode === null) await new Promise((resolve) => store!.once('exit', resolve));
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('answers 503 naming the store and the cause, logs it at start, then takes a task once the store answers', async () => {
    const storePort = await freePort();
    const storeUrl = `mongodb://127.0.0.1:${storePort}`;
    port = await freePort();
    service = runBuiltService({
      DF_PORT: String(port),
      MONGO_URL_FILE: '',
      MONGO_URL: storeUrl,
      MONGO_DB: 'df_store_away',
      DF_DATA_DIR: path.join(dir, 'data'),
      DF_TASK_QUEUE: uniqueName('store-away'),
      DF_SYNC_INTERVAL: '0',
      DF_STARTUP_SYNC: 'false',
    });
    const health = () => axios.get(`http://127.0.0.1:${port}/health`, { validateStatus: () => true });
    const refused = `connection refused: connect ECONNREFUSED 127.0.0.1:${storePort}`;

    const down = await eventually('a /health answer', async () => (await health().catch(() => undefined)) ?? undefined);
    expect(down.status).toBe(503);
    expect(down.data.dependencies.store).toMatchObject({ status: 'down', target: storeUrl, error: refused });
    const startLine = service
      .output()
      .split('\n')
      .find((line) => line.includes('store is out of reach'));
    expect(JSON.parse(startLine ?? '{}')).toMatchObject({
      level: 'warn',
      msg: `store is out of reach: ${refused}; DF keeps running and connects once it answers`,
      target: storeUrl,
    });
    const list = await axios.get(`http://127.0.0.1:${port}/api/df/ps`, { validateStatus: () => true });
    expect(list.status).toBe(503);
    expect(list.data.error).toMatchObject({ code: 'STORE_ERROR', message: `the store does not answer: ${refused}` });

    const sqlite = path.join(dir, 'store');
    await fs.promises.mkdir(sqlite);
    store = spawn(
      storeBinary(),
      ['-listen-addr', `127.0.0.1:${storePort}`, '-sqlite-url', `file:${sqlite}/`, '-log-level', 'warn'],
      { stdio: 'ignore' },
    );
    const up = await eventuallyHealthy(port);
    expect(up.data.dependencies.store).toMatchObject({ status: 'up', target: storeUrl });
    expect(service.output()).toContain('"msg":"store answers"');

    const file = path.join(dir, 'data', 'lines.txt');
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await fs.promises.writeFile(file, 'alpha\n');
    const created = await axios.post(
      `http://127.0.0.1:${port}/api/df/ps`,
      {
        id,
        name: 'A task kept in a store that came late',
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { tasks_max: 1, file, topic: uniqueName('store-away-topic') },
      },
      { validateStatus: () => true },
    );
    expect(created.status).toBe(201);
    const read = await axios.get(`http://127.0.0.1:${port}/api/df/ps/${id}`);
    expect(read.data).toMatchObject({ id, name: 'A task kept in a store that came late' });
    await eventually('the store indexes', async () =>
      service!.output().includes('store indexes created, after the store answered') ? true : undefined,
    );
  });
});
