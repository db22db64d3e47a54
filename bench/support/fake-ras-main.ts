import { benchStatusOf } from './seed';
import { startFakeRas } from './fake-ras';
import type { FakeRasProcessOptions, FakeRasReply, FakeRasRequest } from './fake-ras-process';

/**
 * The FAKE Kafka Connect / Flink REST servers in a process of their own (forked by
 * startFakeRasProcess): answering thousands of statuses in the benchmark's own process would stall
 * its load generator and count the stall as the service's latency.
 */
async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as FakeRasProcessOptions;
  const fake = await startFakeRas({
    latencyMs: options.latencyMs,
    connectors: options.connectors,
    jobs: options.jobs,
    ...(options.benchStates ? { connectorState: benchStatusOf } : {}),
  });
  const reply = (message: FakeRasReply) => process.send?.(message);
  process.on('message', (request: FakeRasRequest) => {
    switch (request.cmd) {
      case 'totalCalls':
        reply({ id: request.id, value: fake.totalCalls() });
        break;
      case 'resetCalls':
        fake.resetCalls();
        reply({ id: request.id });
        break;
      case 'setStates':
        for (const [name, state] of request.states.connectors ?? []) fake.setConnectorState(name, state);
        for (const [jid, state] of request.states.jobs ?? []) fake.setJobState(jid, state);
        reply({ id: request.id });
        break;
      case 'close':
        void fake.close().then(() => {
          reply({ id: request.id });
          process.exit(0);
        });
        break;
    }
  });
  process.on('disconnect', () => process.exit(0)); // the benchmark is gone
  reply({ id: 0, value: 0, urls: { connectUrl: fake.connectUrl, flinkUrl: fake.flinkUrl } });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
