import fs from 'node:fs/promises';
import axios from 'axios';
import { engineHttp } from '../../support/engines';
import { dataTempDir, DfApp, startDfApp } from '../../support/df-app';
import { eventually } from '../../support/wait';
import { ConnectPlan, connectDisagreements } from './connect-operations';

/** DF for one scenario, a folder for its connectors' files, and what its connects are called. */
export interface FaultDeployment {
  app: DfApp;
  dir: string;
  /** Every connect of the scenario has a name starting with this. */
  prefix: string;
  /** Removes what the scenario left in Kafka Connect, the store and on disk. */
  close(): Promise<void>;
}

export async function startFaultDeployment(
  prefix: string,
  env: Record<string, string> = {},
  options: { worker?: boolean } = {},
): Promise<FaultDeployment> {
  const app = await startDfApp(`faults_${prefix}`, env, options);
  const dir = await dataTempDir(app, `df-faults-${prefix}-`);
  return {
    app,
    dir,
    prefix,
    async close() {
      await removeConnectors(app, prefix);
      await app.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Waits (up to `timeoutMs`) for the repository and Kafka Connect to agree with the plan: after a
 * restart Connect brings its connectors back through a rebalance. Fails listing what still differs.
 */
export async function expectAgreement(
  app: Pick<DfApp, 'services' | 'config'>,
  plan: ConnectPlan,
  timeoutMs: number,
): Promise<void> {
  const connect = engineHttp(app.config, 'kafkaConnect');
  const problems = () => connectDisagreements(app.services.tasks, connect, plan);
  await eventually(
    'the repository and Kafka Connect agreeing',
    async () => ((await problems()).length === 0 ? true : undefined),
    timeoutMs,
    1000,
  ).catch(async () => expect(await problems()).toEqual([]));
}

/** A worker process for this app's deployment: its store database and task queue, the syncs off. */
export function workerEnv(app: DfApp, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MONGO_DB: app.config.mongo.db,
    DF_TASK_QUEUE: app.config.temporal.taskQueue,
    DF_SYNC_INTERVAL: '0',
    DF_STARTUP_SYNC: 'false',
    DF_WORKER_METRICS: 'off',
    ...extra,
  };
}

/** Deletes, straight in Kafka Connect, the connectors a scenario left (their names start with prefix). */
async function removeConnectors(app: DfApp, prefix: string): Promise<void> {
  const connect = axios.create({ baseURL: app.config.kafkaConnectUrl, validateStatus: () => true, timeout: 10_000 });
  const names = (await connect.get<string[]>('/connectors').catch(() => ({ data: [] as string[] }))).data ?? [];
  await Promise.all(
    names
      .filter((n) => n.startsWith(prefix))
      .map((n) => connect.delete(`/connectors/${encodeURIComponent(n)}`).catch(() => undefined)),
  );
}

/** How many operation runs Temporal holds for each connect of the plan, beside how many it sent. */
export async function runsPerConnect(
  app: Pick<DfApp, 'temporal'>,
  plan: ConnectPlan,
): Promise<{ id: string; operations: number; runs: number }[]> {
  const counts: { id: string; operations: number; runs: number }[] = [];
  for (const lane of plan.lanes) {
    const id = lane[0].connect;
    let runs = 0;
    for await (const _ of app.temporal.client.workflow.list({ query: `DfTaskId = '${id}' AND DfCategory = 'CONNECT'` }))
      runs++;
    counts.push({ id, operations: lane.length, runs });
  }
  return counts;
}

/** Connects of the deployment marked FAILED or LOST: a network fault must never make one. */
export async function failedOrLost(app: DfApp): Promise<string[]> {
  const page = await app.services.tasks.list({
    category: 'CONNECT',
    statuses: ['FAILED', 'LOST'],
    sort: 'id',
    order: 'ASC',
    skip: 0,
    limit: 1000,
  });
  return page.items.map((t) => `${t.id} ${t.status} ${t.statusReason ?? ''}`);
}
