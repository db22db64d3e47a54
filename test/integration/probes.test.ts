import type { ChildProcess } from 'node:child_process';
import net from 'node:net';
import axios from 'axios';
import { API_MAIN, aroundBuiltService, freePort, runBuiltService, runWorkerProcess } from '../support/built-service';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

const get = (url: string) => axios.get(url, { validateStatus: () => true });

/** The answer at url once the process serves it (a refused connection is a process still starting). */
const firstAnswer = (url: string) =>
  eventually(`an answer from ${url}`, async () => (await get(url).catch(() => undefined)) ?? undefined, 120000);

/** The answer at url once it is 200: a process is ready once its worker polls and Temporal and the store answered. */
const answer200 = (url: string) =>
  eventually(
    `200 from ${url}`,
    async () => {
      const res = await get(url).catch(() => undefined);
      return res?.status === 200 ? res : undefined;
    },
    120000,
  );

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * What an orchestrator probes, on the real processes against the real stack: /livez says the
 * process serves and nothing more; /readyz says whether the dependencies this process kind needs
 * answer, and names the one that does not. The API serves both on its port; a worker-only process
 * on DF_PROBE_ADDRESS.
 */
describe('liveness and readiness probes', () => {
  const db = uniqueName('it_probes');
  const children: ChildProcess[] = [];
  const quiet = { DF_SYNC_INTERVAL: '0', DF_STARTUP_SYNC: 'false', DF_WORKER_METRICS: 'off' };

  aroundBuiltService(db);

  afterAll(async () => {
    await Promise.all(children.map(stop));
  });

  it('an API process and a worker-only process are live and ready with the stack up', async () => {
    const apiPort = await freePort();
    const probePort = await freePort();
    const api = runBuiltService({ ...quiet, DF_PORT: String(apiPort), MONGO_DB: db }, API_MAIN);
    const worker = runWorkerProcess({
      ...quiet,
      MONGO_DB: db,
      DF_TASK_QUEUE: uniqueName('it-probes'),
      DF_PROBE_ADDRESS: `127.0.0.1:${probePort}`,
    });
    children.push(api.child, worker.child);

    const apiLive = await firstAnswer(`http://127.0.0.1:${apiPort}/livez`);
    expect([apiLive.status, apiLive.data]).toEqual([200, { status: 'ok' }]);
    const apiReady = await answer200(`http://127.0.0.1:${apiPort}/readyz`);
    expect(apiReady.data).toMatchObject({
      status: 'ready',
      dependencies: { temporal: { status: 'up' }, store: { status: 'up' } },
    });
    // The engines are /health's business: an API pod is not taken out of service for them.
    expect(Object.keys(apiReady.data.dependencies).sort()).toEqual(['store', 'temporal']);

    const workerLive = await firstAnswer(`http://127.0.0.1:${probePort}/livez`);
    expect([workerLive.status, workerLive.data]).toEqual([200, { status: 'ok' }]);
    await worker.polling;
    const workerReady = await answer200(`http://127.0.0.1:${probePort}/readyz`);
    expect(workerReady.data).toMatchObject({
      status: 'ready',
      dependencies: { temporal: { status: 'up' }, store: { status: 'up' }, worker: { status: 'up' } },
    });
    // The probe listener serves the probes and nothing else.
    const other = await get(`http://127.0.0.1:${probePort}/health`);
    expect(other.status).toBe(404);
    expect(other.data.error).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a process with the API and a worker serves both probes on its API port, counting its worker', async () => {
    const port = await freePort();
    const both = runBuiltService({
      ...quiet,
      DF_PORT: String(port),
      MONGO_DB: db,
      DF_TASK_QUEUE: uniqueName('it-probes-both'),
    });
    children.push(both.child);

    const live = await firstAnswer(`http://127.0.0.1:${port}/livez`);
    expect([live.status, live.data]).toEqual([200, { status: 'ok' }]);
    const ready = await answer200(`http://127.0.0.1:${port}/readyz`);
    expect(ready.data).toMatchObject({
      status: 'ready',
      dependencies: { temporal: { status: 'up' }, store: { status: 'up' }, worker: { status: 'up' } },
    });
  });

  it('is live but not ready, naming the store and why, while the store does not answer', async () => {
    const storePort = await freePort();
    const refused = `store: connection refused: connect ECONNREFUSED 127.0.0.1:${storePort}`;
    const away = { ...quiet, MONGO_URL_FILE: '', MONGO_URL: `mongodb://127.0.0.1:${storePort}`, MONGO_DB: db };
    const apiPort = await freePort();
    const probePort = await freePort();
    const api = runBuiltService({ ...away, DF_PORT: String(apiPort) }, API_MAIN);
    const worker = runWorkerProcess({
      ...away,
      DF_TASK_QUEUE: uniqueName('it-probes-away'),
      DF_PROBE_ADDRESS: `127.0.0.1:${probePort}`,
    });
    children.push(api.child, worker.child);

    for (const port of [apiPort, probePort]) {
      const live = await firstAnswer(`http://127.0.0.1:${port}/livez`);
      expect([live.status, live.data]).toEqual([200, { status: 'ok' }]);
    }
    const apiReady = await get(`http://127.0.0.1:${apiPort}/readyz`);
    expect(apiReady.status).toBe(503);
    expect(apiReady.data).toMatchObject({ status: 'not-ready', reason: refused });
    expect(apiReady.data.dependencies.store).toMatchObject({
      status: 'down',
      target: `mongodb://127.0.0.1:${storePort}`,
    });

    await worker.polling;
    const workerReady = await get(`http://127.0.0.1:${probePort}/readyz`);
    expect(workerReady.status).toBe(503);
    expect(workerReady.data).toMatchObject({ status: 'not-ready', reason: refused });
  });

  // Two DF processes on one machine both take the defaults.
  it.each(['DF_WORKER_METRICS', 'DF_PROBE_ADDRESS'])(
    'a worker whose %s address is taken stops at start, naming the setting',
    async (setting) => {
      const holder = net.createServer();
      await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
      const { port } = holder.address() as net.AddressInfo;
      try {
        const worker = runWorkerProcess({
          ...quiet,
          MONGO_DB: db,
          DF_TASK_QUEUE: uniqueName('it-probes-taken'),
          [setting]: `127.0.0.1:${port}`,
        });
        children.push(worker.child);
        await expect(worker.polling).rejects.toThrow(`${setting} 127.0.0.1:${port} cannot be bound`);
        expect(worker.child.exitCode).toBe(1);
      } finally {
        holder.close();
      }
    },
  );
});
