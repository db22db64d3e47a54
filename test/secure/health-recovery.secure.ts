import axios from 'axios';
import { aroundBuiltService, freePort, runBuiltService, BuiltService } from '../support/built-service';
import { stackAsync, uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { eventuallyHealthy } from '../support/df-health';

/**
 * DF started while a secured service is out of reach keeps serving, says which one and why (in
 * /health and in a start-up log line), and turns healthy by itself once the service is back: what
 * an orchestrator restarting dependencies in any order needs.
 */
describe('DF on the secure profile: unhealthy while Kafka Connect is down, healthy once it is back', () => {
  const db = uniqueName('sec_health');
  aroundBuiltService(db);
  let service: BuiltService | undefined;

  afterAll(async () => {
    service?.child.kill('SIGTERM');
    await service?.exited;
    await stackAsync('up', 'connect');
  });

  it('answers 503 naming Kafka Connect and the cause, logs it at start, serves, then reports healthy', async () => {
    await stackAsync('down', 'connect');
    const port = await freePort();
    service = runBuiltService({
      DF_PORT: String(port),
      MONGO_DB: db,
      DF_TASK_QUEUE: uniqueName('sec-health'),
      DF_SYNC_INTERVAL: '0',
      DF_STARTUP_SYNC: 'false',
    });
    const health = () => axios.get(`http://127.0.0.1:${port}/health`, { validateStatus: () => true });

    const down = await eventually(
      'a /health answer',
      async () => (await health().catch(() => undefined)) ?? undefined,
      120000,
    );
    expect(down.status).toBe(503);
    expect(down.data.dependencies.kafkaConnect).toMatchObject({
      status: 'down',
      error: expect.stringMatching(/connection refused: nothing listens at that address/),
    });
    for (const name of ['temporal', 'store', 'kafka', 'schemaRegistry', 'flink', 'flinkSqlGateway'])
      expect(down.data.dependencies[name]).toMatchObject({ status: 'up' });
    await eventually(
      'the start-up line saying what /health says',
      async () =>
        service!.output().includes(`kafkaConnect is out of reach: ${down.data.dependencies.kafkaConnect.error}`)
          ? true
          : undefined,
      30000,
    );
    expect((await axios.get(`http://127.0.0.1:${port}/api/df/ps`, { validateStatus: () => true })).status).toBe(200);

    await stackAsync('up', 'connect');
    const up = await eventuallyHealthy(port);
    expect(up.data.dependencies.kafkaConnect).toMatchObject({ status: 'up' });
    expect(service.child.exitCode).toBeNull();
  });
});
