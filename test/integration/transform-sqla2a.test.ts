import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { DfApp, startDfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { produce, readTopic } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { operationAnswer } from '../support/transforms';
import { eventually } from '../support/wait';

/**
 * A streaming SQL transform (TRANSFORM_EXCHANGE_FLINK_SQLA2A) through its life on the real stack:
 * records produced to the input topic come out of the output topic as the SQL says, an update
 * moves the job over a savepoint, a bad update leaves the running version alone, delete stops it.
 */
describe('Transform LAUD: a streaming SQL transform (SQLA2A, json topics) from add to delete', () => {
  let app: DfApp;
  const id = uniqueName('tr');
  const topicIn = uniqueName('it-tr-in');
  const topicOut = uniqueName('it-tr-out');
  const flink = () => engineHttp(app.config, 'flink');
  const jobState = async (jobId: string) => (await flink().get(`/jobs/${jobId}`)).data.state as string;
  const stored = () => app.services.store.db.collection(TASK_COLLECTION).findOne({ _id: id as never });
  const jobIds: string[] = [];

  beforeAll(async () => {
    app = await startDfApp('transform_sqla2a');
    await app.services.kafka.ensureTopic(topicIn, 1, 1);
    await app.services.kafka.ensureTopic(topicOut, 1, 1);
    await produce(app.config.kafkaBrokers, topicIn, [
      { id: 'a', amount: 1 },
      { id: 'b', amount: 2 },
      { id: 'c', amount: 3 },
    ]);
  });

  afterAll(async () => {
    for (const jobId of jobIds) await flink().patch(`/jobs/${jobId}?mode=cancel`);
    await app?.close();
  });

  it('adds: the job runs in Flink, the task records its id, and the output follows the SQL', async () => {
    const res = await app.api.post('/tr', {
      id,
      name: 'Double the amounts',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: {
        topic_in: topicIn,
        topic_out: topicOut,
        format: 'json',
        columns_in: 'id STRING, amount INT',
        trans_sql: `SELECT id, amount * 2 AS doubled FROM \`${topicIn}\``,
      },
    });
    expect(res.headers['x-df-workflow-id']).toBe(`df-transform-add-${id}`);
    const added = await operationAnswer(app, res);
    expect(added).toMatchObject({
      id,
      connectorCategory: 'TRANSFORM',
      status: 'RUNNING',
      connectorConfig: { group_id: `df-${id}` },
    });
    const jobId = added.jobConfig.flink_job_id;
    jobIds.push(jobId);
    expect(await jobState(jobId)).toBe('RUNNING');
    expect((await stored())?.status).toBe('RUNNING');
    const out = (await readTopic(app.config.kafkaBrokers, topicOut, 3)).map((v) => JSON.parse(v));
    expect(out).toEqual([
      { id: 'a', doubled: 2 },
      { id: 'b', doubled: 4 },
      { id: 'c', doubled: 6 },
    ]);
  });

  it("lists it under /tr and shows one live status row per job vertex, with the original's status and Flink job id", async () => {
    const list = await app.api.get('/tr', { params: { q: id } });
    expect(list.status).toBe(200);
    expect(list.data.map((t: { id: string }) => t.id)).toEqual([id]);
    expect((await app.api.get('/ps', { params: { q: id } })).data).toEqual([]);
    const flinkJobId = (await app.api.get(`/tr/${id}`)).data.jobConfig.flink_job_id;
    // The original UI's state tab asks /status?id=<task> and reads each row's status and jobId.
    for (const status of [await app.api.get(`/status/${id}`), await app.api.get('/status', { params: { id } })]) {
      expect(status.status).toBe(200);
      expect(status.data.length).toBeGreaterThanOrEqual(1);
      for (const row of status.data)
        expect(row).toMatchObject({
          taskId: id,
          jobId: flinkJobId,
          status: 'RUNNING',
          taskState: 'RUNNING',
          state: 'RUNNING',
          dfTaskState: 'RUNNING',
        });
    }
  });

  it('refuses an update whose SQL names a missing column with 400, and the running job stays as it was', async () => {
    const before = (await app.api.get(`/tr/${id}`)).data;
    const res = await app.api.patch(`/tr/${id}`, {
      connectorConfig: { trans_sql: `SELECT id, nope FROM \`${topicIn}\`` },
    });
    expect(res.status).toBe(400);
    expect(res.data.error.message).toMatch(/Column 'nope' not found/);
    const after = (await app.api.get(`/tr/${id}`)).data;
    expect(after.jobConfig.flink_job_id).toBe(before.jobConfig.flink_job_id);
    expect(after.connectorConfig.trans_sql).toBe(before.connectorConfig.trans_sql);
    expect(after.revision).toBe(before.revision);
    expect(await jobState(before.jobConfig.flink_job_id)).toBe('RUNNING');
  });

  it('updates the SQL over a savepoint: the old job ends with it, the new one restores from it, output follows the new SQL', async () => {
    const oldJobId = (await app.api.get(`/tr/${id}`)).data.jobConfig.flink_job_id;
    const updated = await operationAnswer(
      app,
      await app.api.patch(`/tr/${id}`, {
        connectorConfig: { trans_sql: `SELECT id, amount * 10 AS tenfold FROM \`${topicIn}\`` },
      }),
      200,
    );
    const newJobId = updated.jobConfig.flink_job_id;
    jobIds.push(newJobId);
    expect(newJobId).not.toBe(oldJobId);
    expect(updated.jobConfig).toMatchObject({
      previous_flink_job_id: oldJobId,
      savepoint_path: expect.stringMatching(/savepoint-/),
    });
    expect(updated.status).toBe('RUNNING');
    expect(await jobState(oldJobId)).toBe('FINISHED');
    const checkpoints = (await flink().get(`/jobs/${newJobId}/checkpoints`)).data;
    expect(checkpoints.latest.restored.external_path).toBe(updated.jobConfig.savepoint_path);
    expect(updated.savepoints).toEqual([
      expect.objectContaining({ jobId: oldJobId, path: updated.jobConfig.savepoint_path, reason: 'update' }),
    ]);

    await produce(app.config.kafkaBrokers, topicIn, [{ id: 'd', amount: 4 }]);
    const out = (await readTopic(app.config.kafkaBrokers, topicOut, 4)).map((v) => JSON.parse(v));
    // The group's offsets carried over: the old records are not transformed a second time.
    expect(out.slice(3)).toEqual([{ id: 'd', tenfold: 40 }]);
  });

  it('takes a savepoint on request and lists the savepoints newest first', async () => {
    const savepoint = await operationAnswer(app, await app.api.post(`/tr/${id}/savepoint`));
    expect(savepoint).toMatchObject({ reason: 'manual', path: expect.stringMatching(/savepoint-/) });
    const list = await app.api.get(`/tr/${id}/savepoints`);
    expect(list.data.map((s: { reason: string }) => s.reason)).toEqual(['manual', 'update']);
    const task = (await app.api.get(`/tr/${id}`)).data;
    expect(await jobState(task.jobConfig.flink_job_id)).toBe('RUNNING');
  });

  it('deletes: the job stops with a final savepoint and the task is gone', async () => {
    const jobId = (await app.api.get(`/tr/${id}`)).data.jobConfig.flink_job_id;
    const res = await app.api.delete(`/tr/${id}`);
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      id,
      deleted: true,
      jobExisted: true,
      savepoint: expect.stringMatching(/savepoint-/),
    });
    await eventually(
      'job ended',
      async () => (['FINISHED', 'CANCELED'].includes(await jobState(jobId)) ? true : undefined),
      30000,
    );
    expect(await stored()).toBeNull();
    expect((await app.api.get(`/tr/${id}`)).status).toBe(404);
  });
});
