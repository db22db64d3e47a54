import path from 'node:path';
import fs from 'node:fs/promises';
import { engineHttp } from '../support/engines';
import { runWorkerProcess, WorkerProcess } from '../support/built-service';
import { eventually } from '../support/wait';
import { scenarioLine } from './support/connect-operations';
import { FaultDeployment, startFaultDeployment, workerEnv } from './support/fault-app';

const CONNECTS = 100;
const KILLS = 5;

interface BulkRunRow {
  state: string;
  counts?: Record<string, number>;
  items?: { id: string; state: string; workflowId?: string; message?: string }[];
}

/**
 * The worker is killed outright (SIGKILL) five times while one bulk action pauses 100 connects, and a
 * new one started each time. The bulk run picks up where its history says, so every item ends once:
 * one child run per connect, none started twice, and every connector paused in Kafka Connect.
 */
describe('fault: the worker killed with SIGKILL during a bulk pause of 100 connects', () => {
  let deployment: FaultDeployment;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    deployment = await startFaultDeployment('bulk', {}, { worker: false });
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await deployment?.close();
  });

  it('ends every item once, none twice, and Kafka Connect holds every connector paused', async () => {
    const { app, prefix, dir } = deployment;
    const start = async () => {
      const worker = runWorkerProcess(workerEnv(app));
      workers.push(worker);
      await worker.polling;
      return worker;
    };
    let current = await start();
    const file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, 'one\n');
    const ids = Array.from({ length: CONNECTS }, (_, i) => `${prefix}-bulk-${String(i).padStart(3, '0')}`);
    for (let i = 0; i < ids.length; i += 10) {
      await Promise.all(
        ids.slice(i, i + 10).map(async (id) => {
          const res = await app.api.post('/ps', {
            id,
            name: id,
            connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
            connectorConfig: { file, topic: `${prefix}-bulk-lines` },
          });
          if (res.status === 202) await app.temporal.client.workflow.getHandle(res.data.workflowId).result();
          else expect(res.status).toBe(201);
        }),
      );
    }

    const started = Date.now();
    const res = await app.api.post(
      '/bulk',
      { action: 'pause', ids, concurrency: 8 },
      { headers: { Prefer: 'respond-async' } },
    );
    expect(res.status).toBe(202);
    const bulkId: string = res.data.id;
    const progress = async () => (await app.api.get<BulkRunRow>(`/bulk/${bulkId}`)).data;

    const endedAtKill: number[] = [];
    while (endedAtKill.length < KILLS) {
      await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1500));
      const now = await progress().catch(() => undefined);
      if (now?.state !== 'RUNNING') break;
      endedAtKill.push(now.counts?.succeeded ?? 0);
      current.child.kill('SIGKILL');
      current = await start();
    }
    const run = await eventually(
      'the bulk run ended',
      async () => {
        const now = await progress();
        return now.state === 'RUNNING' ? undefined : now;
      },
      600_000,
      1000,
    );

    // One run per item: a child started before a kill is found again, never started anew.
    const runsOf = async (workflowId: string) => {
      let n = 0;
      for await (const _ of app.temporal.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n++;
      return n;
    };
    const twice: string[] = [];
    for (const item of run.items ?? [])
      if (item.workflowId && (await runsOf(item.workflowId)) !== 1) twice.push(item.id);
    const connect = engineHttp(app.config, 'kafkaConnect');
    const notPaused: string[] = [];
    for (const id of ids) {
      const { data } = await connect.get(`/connectors/${id}/status`);
      if (data?.connector?.state !== 'PAUSED') notPaused.push(`${id} ${data?.connector?.state}`);
    }
    process.stdout.write(
      scenarioLine('worker SIGKILL during a bulk pause', {
        items: run.items?.length ?? 0,
        'faults injected': endedAtKill.length,
        'items ended at the kills': endedAtKill.join('/'),
        'items run twice': twice.length,
        seconds: Math.round((Date.now() - started) / 1000),
      }),
    );

    expect(run.state).toBe('COMPLETED');
    expect(run.counts).toMatchObject({ succeeded: CONNECTS, failed: 0, cancelled: 0 });
    expect(endedAtKill.length).toBeGreaterThan(0);
    expect(twice).toEqual([]);
    expect(notPaused).toEqual([]);
  });
});
