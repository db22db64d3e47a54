import http from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { runWorkflow } from '../../../src/temporal/run';
import { startFloorWorker } from './worker';
import { floorOperation } from './workflows';

/**
 * The throughput floor as a service of its own (a process, as DF's is): a worker running
 * floorOperation and an HTTP endpoint that starts one per request and answers from its outcome
 * update, as DF's API starts its operations, with the same bound on operations in flight. What it
 * costs is what Temporal costs an operation of that shape on this machine, with none of DF's work.
 */
async function main(): Promise<void> {
  const env = process.env;
  const address = env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233';
  const namespace = env.TEMPORAL_NAMESPACE ?? 'default';
  const taskQueue = env.FLOOR_TASK_QUEUE ?? 'bench-floor';
  const steps = Number(env.FLOOR_STEPS ?? 7);
  const maxInFlight = Number(env.FLOOR_MAX_IN_FLIGHT ?? 32);
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const { worker, nativeConnection, running } = await startFloorWorker(
    address,
    namespace,
    taskQueue,
    Number(env.FLOOR_WORKER_CACHE ?? 250),
  );
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace });
  let inFlight = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    const id = (req.url ?? '').split('/').pop() ?? '';
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (inFlight >= maxInFlight) {
      answer(503, { error: { code: 'OVERLOADED', message: 'too many operations in flight', details: {} } });
      return;
    }
    inFlight++;
    runWorkflow(client, floorOperation, {
      taskQueue,
      workflowId: `${taskQueue}-${id}`,
      args: [steps],
      waitMs: 60_000,
      onConflict: 'refuse',
    })
      .then(
        (outcome) => answer(outcome.state === 'completed' ? 201 : 202, { id, status: 'RUNNING' }),
        (error: unknown) => answer(500, { error: { code: 'INTERNAL', message: String(error), details: {} } }),
      )
      .finally(() => inFlight--);
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(env.FLOOR_PORT ?? 0), '127.0.0.1', () => {
    const port = (server.address() as { port: number }).port;
    process.stdout.write(`listening ${port}\n`);
  });
  const stop = () => {
    server.close();
    worker.shutdown();
  };
  process.once('SIGTERM', stop);
  await running;
  await connection.close();
  await nativeConnection.close();
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
