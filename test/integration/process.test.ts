import http from 'node:http';
import axios from 'axios';
import { aroundBuiltService, freePort, runBuiltService as run } from '../support/built-service';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

/**
 * The built service as users run it (`node dist/src/main.js`, what `npm start` runs after the
 * stack is up): it refuses bad config at start, serves, stops on SIGTERM, and starts again.
 */
describe('the service process', () => {
  const db = uniqueName('it_process');

  aroundBuiltService(db);

  it('stops at start on a malformed variable, naming it', async () => {
    const p = run({ DF_PORT: 'eighty' });
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain('Invalid environment variable DF_PORT');
  });

  it('serves /api/df/config, stops on SIGTERM, and serves again after a restart', async () => {
    const port = await freePort();
    const env = {
      DF_PORT: String(port),
      MONGO_DB: db,
      DF_TASK_QUEUE: uniqueName('it-process'),
      DF_SYNC_INTERVAL: '0',
      DF_STARTUP_SYNC: 'false',
    };
    const url = `http://127.0.0.1:${port}/api/df/config`;

    const first = run(env);
    const plugins = await eventually(
      'first start to serve',
      async () => (await axios.get(url)).data as { class: string }[],
      60000,
    );
    expect(plugins.map((p) => p.class)).toContain('org.apache.kafka.connect.file.FileStreamSourceConnector');
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = run(env);
    try {
      const again = await eventually(
        'second start to serve',
        async () => (await axios.get(url)).data as { class: string }[],
        60000,
      );
      expect(again.map((p) => p.class)).toContain('com.mongodb.kafka.connect.MongoSinkConnector');
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
  it("holds an idle kept-alive connection past Node's 5 s, and still stops at once on SIGTERM with it open", async () => {
    const port = await freePort();
    const p = run({
      DF_PORT: String(port),
      MONGO_DB: db,
      DF_TASK_QUEUE: uniqueName('it-keepalive'),
      DF_SYNC_INTERVAL: '0',
      DF_STARTUP_SYNC: 'false',
    });
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = http.get(`http://127.0.0.1:${port}/api/openapi.json`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on('error', reject);
      });
    try {
      await eventually('the service to serve', async () => (await get()).status === 200 || undefined, 60000);
      await new Promise((resolve) => setTimeout(resolve, 6000));
      // Idle for longer than Node's default keep-alive: the same connection still carries a request.
      expect(await get()).toEqual({ status: 200, reused: true });
      p.child.kill('SIGTERM');
      const stopped = await Promise.race([
        p.exited,
        new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15000)),
      ]);
      expect(stopped).toBe(0);
    } finally {
      agent.destroy();
      if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  }, 90000);
});
