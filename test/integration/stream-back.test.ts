import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { runWorkerProcess } from '../support/built-service';
import { DfApp, startDfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { produce, readTopic } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { addStreamBackBatch, transformEnded } from '../support/transforms';
import { eventually } from '../support/wait';

const ROWS = 10_000;

/**
 * Stream back on the real stack: a Flink batch query's result goes to a JSON-lines file, a
 * FileStreamSource connector sends it to a topic, and the connector is deleted once every record
 * has arrived; a connector that cannot read its file fails the task without leaving an orphan.
 */
describe('stream back: batch result → file → connector → topic', () => {
  let app: DfApp;
  const topicIn = uniqueName('it-sb-in');
  const cleanup: string[] = [];
  const connect = () => engineHttp(app.config, 'kafkaConnect');

  const settled = (id: string) => transformEnded(app, id);

  function batch(id: string, sql: string, topicOut: string) {
    cleanup.push(id);
    return addStreamBackBatch(app, { id, topicIn, topicOut, sql });
  }

  beforeAll(async () => {
    app = await startDfApp('stream_back');
    await app.services.kafka.ensureTopic(topicIn, 1, 1);
    await produce(
      app.config.kafkaBrokers,
      topicIn,
      Array.from({ length: ROWS }, (_, n) => ({ n })),
    );
  });

  afterAll(async () => {
    for (const id of cleanup) await app.api.delete(`/tr/${id}`, { params: { mode: 'cancel' } });
    await app?.close();
  });

  it(`streams ${ROWS} rows back: the topic has exactly them, the connector is gone, the task FINISHED with the counts`, async () => {
    const id = uniqueName('sb');
    const topicOut = uniqueName('it-sb-out');
    const res = await batch(id, `SELECT n, n * 2 AS doubled FROM \`${topicIn}\``, topicOut);
    expect([201, 202]).toContain(res.status); // 202: Flink took longer than DF_SYNC_WAIT_MS to accept it
    const task = await settled(id);
    expect(task).toMatchObject({
      status: 'FINISHED',
      statusReason: expect.stringMatching(new RegExp(`^${ROWS} rows streamed back to ${topicOut} in `)),
    });
    expect(task.jobConfig).toMatchObject({
      result_rows: String(ROWS),
      stream_back_rows: String(ROWS),
      stream_back_delivered: String(ROWS),
    });
    expect(Number(task.jobConfig.stream_back_ms)).toBeGreaterThan(0);

    expect(await app.services.kafka.endOffsetSum(topicOut)).toBe(ROWS);
    const records = (await readTopic(app.config.kafkaBrokers, topicOut, ROWS)).map((v) => JSON.parse(v));
    expect(records).toHaveLength(ROWS);
    expect(new Set(records.map((r) => r.n)).size).toBe(ROWS);
    expect(records.every((r) => r.doubled === r.n * 2)).toBe(true);

    expect((await connect().get(`/connectors/${id}_streamback`)).status).toBe(404);
    expect((await app.api.get(`/processor/${id}_streamback`)).status).toBe(404);
    const progress = (await app.api.get(`/tr/${id}/streamback`)).data;
    expect(progress).toMatchObject({
      phase: 'finished',
      exportedRows: ROWS,
      deliveredRows: ROWS,
      topic: topicOut,
      workflowId: `df-streamback-${id}-${task.jobConfig.flink_job_id}`,
    });
    const kept = await fs.readFile(task.jobConfig.stream_back_file, 'utf8');
    expect(kept.split('\n').filter(Boolean)).toHaveLength(ROWS);
    const schema = await app.services.schemaRegistry.version(`${topicOut}-value`);
    expect(JSON.parse(schema?.schema ?? '{}')).toMatchObject({
      type: 'object',
      properties: { n: { type: ['integer', 'null'] }, doubled: { type: ['integer', 'null'] } },
    });
    const changes = (
      (await app.api.get(`/status/${id}/history`, { params: { _order: 'ASC' } })).data as { to: string }[]
    ).map((h) => h.to);
    expect(changes.slice(-2)).toEqual(['STREAMING', 'FINISHED']);
  });

  it('a connector that cannot read its file (removed before delivery): the task FAILED with the reason, the connector deleted', async () => {
    const id = uniqueName('sbgone');
    const topicOut = uniqueName('it-sb-gone');
    const dir = path.join(app.config.streamBack.dir, id);
    // Removes the exported file the moment it appears, before the connector can open it.
    let removed = '';
    const watcher = (async () => {
      for (let i = 0; i < 20_000 && !removed; i++) {
        const names = await fs.readdir(dir).catch(() => [] as string[]);
        const file = names.find((n) => n.endsWith('.json'));
        if (file) {
          await fs.rm(path.join(dir, file));
          removed = file;
        } else {
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    })();
    const res = await batch(id, `SELECT n FROM \`${topicIn}\` WHERE n < 100`, topicOut);
    expect([201, 202]).toContain(res.status);
    const task = await settled(id);
    await watcher;
    expect(removed).not.toBe('');
    expect(task.status).toBe('FAILED');
    expect(task.statusReason).toMatch(
      new RegExp(`^stream back to ${topicOut} failed: the file .*${removed} was removed with 0 of 100 rows delivered`),
    );
    expect((await connect().get(`/connectors/${id}_streamback`)).status).toBe(404);
    expect((await app.api.get(`/tr/${id}/streamback`)).data).toMatchObject({
      phase: 'failed',
      exportedRows: 100,
      deliveredRows: 0,
    });
  });
});

describe('stream back: the worker killed in the middle of delivery', () => {
  let app: DfApp;
  let workers: ChildProcess[] = [];
  const topicIn = uniqueName('it-sbk-in');
  const id = uniqueName('sbkill');

  beforeAll(async () => {
    app = await startDfApp('stream_back_kill', {}, { worker: false });
    await app.services.kafka.ensureTopic(topicIn, 1, 1);
    await produce(
      app.config.kafkaBrokers,
      topicIn,
      Array.from({ length: ROWS }, (_, n) => ({ n })),
    );
  });

  afterAll(async () => {
    for (const w of workers) w.kill('SIGKILL');
    await app?.close();
  });

  it('a new worker completes the run: every record arrives once, the connector was created once and is gone', async () => {
    const env = {
      MONGO_DB: app.config.mongo.db,
      DF_TASK_QUEUE: app.config.temporal.taskQueue,
      DF_SYNC_INTERVAL: '0',
      DF_STARTUP_SYNC: 'false',
      DF_STREAMBACK_DIR: app.config.streamBack.dir,
      DF_DATA_DIR: path.dirname(app.config.transforms.uploadDir),
      // Small producer batches keep the connector sending for a while, so the kill lands mid-delivery.
      DF_STREAMBACK_BATCH_BYTES: '1024',
    };
    const first = runWorkerProcess(env);
    workers.push(first.child);
    await first.polling;
    const topicOut = uniqueName('it-sbk-out');
    const res = await addStreamBackBatch(app, { id, topicIn, topicOut, sql: `SELECT n FROM \`${topicIn}\`` });
    expect([201, 202]).toContain(res.status);

    await eventually(
      'delivery under way',
      async () => {
        const progress = await app.api.get(`/tr/${id}/streamback`);
        return progress.data.phase === 'delivering' ? progress : undefined;
      },
      180_000,
      50,
    );
    // The connector has begun to send: kill the worker now, with nothing of its own to finish the job.
    const deliveredAtKill = await eventually(
      'first records on the topic',
      async () => {
        const count = await app.services.kafka.endOffsetSum(topicOut);
        return count > 0 ? count : undefined;
      },
      60_000,
      10,
    );
    first.child.kill('SIGKILL');

    const second = runWorkerProcess(env);
    workers.push(second.child);
    await second.polling;
    const task = await eventually(
      'FINISHED',
      async () => {
        const t = (await app.api.get(`/tr/${id}`)).data;
        if (t.status === 'FAILED') throw new Error(`stream back failed: ${t.statusReason}`);
        return t.status === 'FINISHED' && t.jobConfig.stream_back_rows ? t : undefined;
      },
      180_000,
      250,
    );

    expect(task.jobConfig).toMatchObject({ stream_back_rows: String(ROWS), stream_back_delivered: String(ROWS) });
    expect(await app.services.kafka.endOffsetSum(topicOut)).toBe(ROWS);
    expect(new Set((await readTopic(app.config.kafkaBrokers, topicOut, ROWS)).map((v) => JSON.parse(v).n)).size).toBe(
      ROWS,
    );
    expect((await engineHttp(app.config, 'kafkaConnect').get(`/connectors/${id}_streamback`)).status).toBe(404);

    const history = await app.temporal.client.workflow
      .getHandle(`df-streamback-${id}-${task.jobConfig.flink_job_id}`)
      .fetchHistory();
    const scheduled = (name: string) =>
      (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === name).length;
    expect({
      export: scheduled('exportStreamBackFile'),
      create: scheduled('createStreamBackConnector'),
      delete: scheduled('deleteStreamBackConnector'),
    }).toEqual({ export: 1, create: 1, delete: 1 });
    // Recorded for the closing figures: how far delivery had come when the worker died.
    process.stdout.write(
      `stream back kill: ${deliveredAtKill} of ${ROWS} records on the topic when the worker was killed\n`,
    );
    await app.api.delete(`/tr/${id}`, { params: { mode: 'cancel' } });
  });
});
