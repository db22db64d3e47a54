import fs from 'node:fs/promises';
import path from 'node:path';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { stack, uniqueName } from '../support/stack';
import { addDatagenTransform } from '../support/transforms';
import { eventually } from '../support/wait';

const INTERVAL_MS = 2000;

/**
 * The df-status-sync schedule against the real engines: whatever happens to a connector or a job
 * behind DF's back shows in the repository within two intervals, and a network fault never turns
 * into a false status.
 */
describe('status sync: the repository follows Kafka Connect and Flink', () => {
  let app: DfApp;
  let dir: string;
  const created: string[] = [];
  const connect = () => engineHttp(app.config, 'kafkaConnect');
  const task = async (id: string) => (await app.api.get(`/processor/${id}`)).data;
  type Row = { from: string; to: string; event: string; reason?: string };
  const history = async (id: string) => (await app.api.get(`/status/${id}/history`)).data as Row[];
  /** The task's history once it holds what `has` looks for: a round writes the status, then the history. */
  const historyHolding = (id: string, what: string, has: (rows: Row[]) => boolean) =>
    eventually(
      what,
      async () => {
        const rows = await history(id);
        return has(rows) ? rows : undefined;
      },
      10_000,
      100,
    );

  /** Waits until the task's stored status passes `check`; returns the task and how long it took. */
  async function synced(
    id: string,
    what: string,
    check: (t: { status: string; statusReason?: string }) => boolean,
    timeoutMs = 2 * INTERVAL_MS + 4000,
  ) {
    const started = Date.now();
    const t = await eventually(
      what,
      async () => {
        const current = await task(id);
        return check(current) ? current : undefined;
      },
      timeoutMs,
      100,
    );
    return { task: t, ms: Date.now() - started };
  }

  async function fileSource(id: string): Promise<void> {
    const file = path.join(dir, `${id}.txt`);
    await fs.writeFile(file, 'one\n');
    const res = await app.api.post('/ps', {
      id,
      name: id,
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { file, topic: uniqueName('it-sync') },
    });
    expect(res.status).toBe(201);
    expect(res.data.status).toBe('RUNNING');
    created.push(id);
  }

  beforeAll(async () => {
    app = await startDfApp('status_sync', { DF_SYNC_INTERVAL: `${INTERVAL_MS}ms`, DF_SYNC_GRACE: '4s' });
    dir = await dataTempDir(app, 'df-it-sync-');
  });

  afterAll(async () => {
    for (const id of created) await connect().delete(`/connectors/${id}`);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs as the schedule df-status-sync-<queue>: every interval, overlap skip', async () => {
    const schedule = await app.temporal.client.schedule
      .getHandle(`df-status-sync-${app.config.temporal.taskQueue}`)
      .describe();
    expect(schedule.spec.intervals?.map((i) => i.every)).toEqual([INTERVAL_MS]);
    expect(schedule.policies.overlap).toBe('SKIP');
    expect(schedule.action).toMatchObject({
      type: 'startWorkflow',
      workflowType: 'statusSync',
      taskQueue: app.config.temporal.taskQueue,
    });
  });

  it('a connector paused directly in Kafka Connect reads PAUSED, with the change in the history', async () => {
    const id = uniqueName('sync-pause');
    await fileSource(id);
    expect(
      (await connect().put(`/connectors/${id}/pause`, undefined, { headers: { 'Content-Type': 'application/json' } }))
        .status,
    ).toBe(202);
    const { ms } = await synced(id, 'PAUSED', (t) => t.status === 'PAUSED');
    expect(ms).toBeLessThanOrEqual(2 * INTERVAL_MS + 4000);
    await historyHolding(id, 'RUNNING to PAUSED in the history', (rows) =>
      rows.some((h) => h.from === 'RUNNING' && h.to === 'PAUSED' && h.event === 'status'),
    );
  });

  it('a connector deleted directly in Kafka Connect reads LOST; the record stays', async () => {
    const id = uniqueName('sync-lost');
    await fileSource(id);
    expect((await connect().delete(`/connectors/${id}`)).status).toBe(204);
    const { task: lost } = await synced(id, 'LOST', (t) => t.status === 'LOST');
    expect(lost.statusReason).toBe('Kafka Connect has no connector by this name');
  });

  it('a Flink job cancelled directly reads CANCELED', async () => {
    const id = uniqueName('sync-job');
    const added = await addDatagenTransform(app, id);
    expect(added.status).toBe('RUNNING');
    const jobId = added.jobConfig.flink_job_id;
    expect((await engineHttp(app.config, 'flink').patch(`/jobs/${jobId}?mode=cancel`)).status).toBe(202);
    await synced(id, 'CANCELED', (t) => t.status === 'CANCELED');
    await historyHolding(id, 'RUNNING to CANCELED in the history', (rows) =>
      rows.some((h) => h.from === 'RUNNING' && h.to === 'CANCELED'),
    );
    await app.api.delete(`/tr/${id}`);
  });

  it('with Kafka Connect stopped, tasks keep their status marked unreachable, and recover when it is back', async () => {
    const id = uniqueName('sync-down');
    await fileSource(id);
    stack('down', 'connect');
    try {
      const { task: down } = await synced(id, 'unreachable', (t) => t.statusReason === 'unreachable');
      expect(down.status).toBe('RUNNING');
      expect(Date.parse(down.unreachableSince)).toBeGreaterThan(Date.now() - 60_000);
      // More rounds change nothing: still RUNNING, never FAILED for a network fault.
      await new Promise((r) => setTimeout(r, 2 * INTERVAL_MS));
      expect(await task(id)).toMatchObject({ status: 'RUNNING', statusReason: 'unreachable' });
    } finally {
      stack('up', 'connect');
    }
    const { task: back } = await synced(
      id,
      'reachable again',
      (t) => t.statusReason !== 'unreachable' && t.status === 'RUNNING',
      90_000,
    );
    expect(back.unreachableSince).toBeUndefined();
    await historyHolding(id, 'unreachable, then reachable, in the history', (rows) =>
      ['unreachable', 'reachable'].every((event) => rows.some((h) => h.event === event)),
    );
  });

  it('auto-restart: a connector whose task keeps failing is restarted with growing backoff, each attempt recorded, then given up', async () => {
    const id = uniqueName('sync-restart');
    const res = await app.api.post('/ps', {
      id,
      name: id,
      connectorType: 'CONNECT_SINK_KAFKA_FlatFile',
      connectorConfig: { file: path.join(dir, 'no-such-dir', 'out.txt'), topics: uniqueName('it-restart') },
      autoRestart: { enabled: true, maxRestarts: 2, backoff: '1s' },
    });
    expect(res.status).toBe(201);
    created.push(id);
    // The task fails as it starts, a moment after the add has seen the connector running.
    expect(res.data).toMatchObject({ autoRestart: { enabled: true, maxRestarts: 2, backoff: '1s' } });
    await synced(id, 'RWE', (t) => t.status === 'RWE');
    const { task: gaveUp } = await synced(
      id,
      'given up',
      (t) => /^auto-restart gave up after 2 attempts/.test(t.statusReason ?? ''),
      60_000,
    );
    expect(gaveUp.restarts).toMatchObject({ attempts: 2, gaveUp: true });
    const rows = await historyHolding(id, 'gave-up in the history', (r) => r.some((h) => h.event === 'gave-up'));
    const restarts = rows
      .filter((h) => h.event === 'restart')
      .map((h) => h.reason)
      .sort();
    expect(restarts).toEqual(['auto-restart attempt 1 of 2', 'auto-restart attempt 2 of 2']);
  });

  it('auto-restart mends a connector whose cause went away', async () => {
    const id = uniqueName('sync-mend');
    const outDir = path.join(dir, `later-${id}`);
    const res = await app.api.post('/ps', {
      id,
      name: id,
      connectorType: 'CONNECT_SINK_KAFKA_FlatFile',
      connectorConfig: { file: path.join(outDir, 'out.txt'), topics: uniqueName('it-mend') },
      autoRestart: { maxRestarts: 5, backoff: '1s' },
    });
    expect(res.status).toBe(201);
    created.push(id);
    await synced(
      id,
      'first attempt',
      (t) => ((t as { restarts?: { attempts: number } }).restarts?.attempts ?? 0) >= 1,
      30_000,
    );
    await fs.mkdir(outDir);
    const { task: mended } = await synced(id, 'RUNNING after a restart', (t) => t.status === 'RUNNING', 60_000);
    expect(mended.restarts.gaveUp).toBeUndefined();
  });
});
