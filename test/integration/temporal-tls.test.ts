import axios from 'axios';
import { aroundBuiltService, freePort, runBuiltService as run } from '../support/built-service';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

const API_KEY = 'df-it-api-key-must-never-show-7f3a9c';

/**
 * The built service told to reach the stack's Temporal (plaintext) over TLS: the transport refuses,
 * and DF must say so in plain words while it keeps serving, never showing the API key.
 */
describe('a Temporal connection that TLS cannot make', () => {
  const db = uniqueName('it_temporal_tls');

  aroundBuiltService(db);

  it('keeps the process up, /health 503 and the start-up log naming the TLS cause, no secret shown', async () => {
    const port = await freePort();
    const p = run({
      DF_PORT: String(port),
      MONGO_DB: db,
      DF_TASK_QUEUE: uniqueName('it-temporal-tls'),
      DF_SYNC_INTERVAL: '0',
      DF_STARTUP_SYNC: 'false',
      DF_WORKER_METRICS: 'off',
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_TLS: 'true',
      TEMPORAL_API_KEY: API_KEY,
    });
    try {
      const health = await eventually(
        '/health to report Temporal down',
        async () => {
          const res = await axios.get(`http://127.0.0.1:${port}/health`, { validateStatus: () => true });
          return res.status === 503 && res.data.dependencies.temporal.status === 'down' ? res.data : undefined;
        },
        60000,
      );
      expect(health.dependencies.temporal.error).toMatch(/^TLS: the server does not speak TLS at this address/);
      expect(health.dependencies.store.status).toBe('up');
      await eventually(
        'the worker and the API to log the cause',
        async () =>
          /Temporal cannot be reached, the worker retries: TLS: the server does not speak TLS/.test(p.output()) &&
          /Temporal cannot be reached: TLS: the server does not speak TLS/.test(p.output())
            ? true
            : undefined,
        60000,
      );
      expect(p.child.exitCode).toBeNull();
      const health2 = await axios.get(`http://127.0.0.1:${port}/health`, { validateStatus: () => true });
      expect(health2.status).toBe(503);
      expect(p.output()).not.toContain(API_KEY);
      expect(JSON.stringify(health2.data)).not.toContain(API_KEY);
    } finally {
      p.child.kill('SIGTERM');
      await p.exited;
    }
  }, 120000);
});
