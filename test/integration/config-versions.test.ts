import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Document } from 'mongodb';
import { SECRET_MASK } from '../../src/domain/secrets';
import { SEALED_PREFIX } from '../../src/repository/secret-cipher';
import { VERSION_COLLECTION } from '../../src/repository/version-repository';
import { connectRest } from '../support/connect-rest';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { produce, readTopic } from '../support/kafka';
import { uniqueName } from '../support/stack';

type Version = { version: number; operation: string; actor: string; restoredVersion?: number };

/**
 * Config versions on the real stack: every config DF applies to a connect or a transform is kept
 * as a numbered version (secrets sealed in the store, masked in answers), two versions can be
 * compared key by key and SQL line by line, and a rollback applies a kept version through the
 * update path, reaching Kafka Connect and Flink, and is kept as a version of its own.
 */
describe('config versions, diff and rollback', () => {
  let app: DfApp;
  let dir: string;
  const rawVersions = (taskId: string) =>
    app.services.store.db
      .collection(VERSION_COLLECTION)
      .find({ taskId } as Document)
      .toArray();

  beforeAll(async () => {
    app = await startDfApp('config_versions', {
      DF_PAYLOAD_KEY: `k1:${randomBytes(32).toString('base64')}`,
      DF_DEV_MODE: 'false',
      // Each step waits for its operation: a job moving over a savepoint outlasts the default wait.
      DF_SYNC_WAIT_MS: '180000',
    });
    dir = await dataTempDir(app, 'df-it-versions-');
  });

  afterAll(async () => {
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe('of a FileStreamSource connect', () => {
    const id = uniqueName('ver');
    const topics = [uniqueName('it-ver-a'), uniqueName('it-ver-b')];
    const files = () => [path.join(dir, 'first.txt'), path.join(dir, 'second.txt')];
    const passwords = [`pw-${randomBytes(6).toString('hex')}`, `pw-${randomBytes(6).toString('hex')}`];
    const connect = () => connectRest(app.config);

    beforeAll(async () => {
      for (const file of files()) await fs.writeFile(file, 'one\n');
    });
    afterAll(async () => {
      await connect().delete(`/connectors/${id}`);
    });

    it('keeps the add and two updates as versions 1, 2 and 3, newest first, secrets sealed and masked', async () => {
      const [first, second] = files();
      const added = await app.api.post('/ps', {
        id,
        name: 'versioned',
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { file: first, topic: topics[0], 'connection.password': passwords[0] },
      });
      expect(added.status).toBe(201);
      expect((await app.api.patch(`/ps/${id}`, { connectorConfig: { file: second } })).status).toBe(200);
      const third = await app.api.patch(`/ps/${id}`, {
        connectorConfig: { topic: topics[1], 'connection.password': passwords[1] },
      });
      expect(third.status).toBe(200);

      const list = await app.api.get(`/ps/${id}/versions`);
      expect(list.status).toBe(200);
      expect(list.headers['x-total-count']).toBe('3');
      expect(list.data.map((v: Version) => [v.version, v.operation, v.actor])).toEqual([
        [3, 'update', 'anonymous'],
        [2, 'update', 'anonymous'],
        [1, 'add', 'anonymous'],
      ]);
      expect(list.data[2]).toMatchObject({
        taskId: id,
        category: 'CONNECT',
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        workflowId: `df-connect-add-${id}`,
        connectorConfig: { file: first, topic: topics[0], 'connection.password': SECRET_MASK },
      });
      expect(list.data[0].workflowId).toBe(third.headers['x-df-workflow-id']);
      const stored = JSON.stringify(await rawVersions(id));
      for (const password of passwords) expect(stored).not.toContain(password);
      expect(stored).toContain(SEALED_PREFIX);

      const one = await app.api.get(`/ps/${id}/versions/2`);
      expect(one.status).toBe(200);
      expect(one.data).toMatchObject({ version: 2, connectorConfig: { file: second, topic: topics[0] } });
    });

    it('diffs two versions key by key, a changed secret masked', async () => {
      const [first, second] = files();
      const diff = await app.api.get(`/ps/${id}/versions/diff`, { params: { from: 1, to: 3 } });
      expect(diff.status).toBe(200);
      expect(diff.data).toEqual({
        id,
        from: 1,
        to: 3,
        changes: [
          { key: 'connection.password', change: 'changed', old: SECRET_MASK, new: SECRET_MASK },
          { key: 'file', change: 'changed', old: first, new: second },
          { key: 'topic', change: 'changed', old: topics[0], new: topics[1] },
        ],
      });
    });

    it('rolls back to version 1: Kafka Connect runs its config again, secret included, and it is kept as version 4', async () => {
      const [first] = files();
      const { data: before } = await app.api.get(`/ps/${id}`);
      const res = await app.api.post(
        `/ps/${id}/rollback`,
        { version: 1 },
        { headers: { 'If-Match': `"${before.revision}"` } },
      );
      expect(res.status).toBe(200);
      expect(res.headers['x-df-workflow-id']).toMatch(new RegExp(`^df-connect-rollback-${id}-`));
      expect(res.data).toMatchObject({
        status: 'RUNNING',
        revision: before.revision + 1,
        connectorConfig: { file: first, topic: topics[0], 'connection.password': SECRET_MASK },
      });
      const { data: inConnect } = await connect().get(`/connectors/${id}/config`);
      expect(inConnect).toMatchObject({ file: first, topic: topics[0], 'connection.password': passwords[0] });
      const { data: latest } = await app.api.get(`/ps/${id}/versions`, { params: { _start: 0, _end: 1 } });
      expect(latest).toEqual([
        expect.objectContaining({
          version: 4,
          operation: 'rollback',
          restoredVersion: 1,
          workflowId: res.headers['x-df-workflow-id'],
        }),
      ]);
    });

    it('refuses an unknown version 404, a bad body 400, a stale If-Match 412, and changes nothing', async () => {
      const { data: before } = await app.api.get(`/ps/${id}`);
      const unknown = await app.api.post(`/ps/${id}/rollback`, { version: 99 });
      expect(unknown.status).toBe(404);
      expect(unknown.data.error).toMatchObject({ code: 'NOT_FOUND', message: `connect ${id} has no version 99` });
      for (const body of [{}, { version: 'one' }, { version: 0 }, { version: 1, file: '/etc/passwd' }]) {
        const bad = await app.api.post(`/ps/${id}/rollback`, body);
        expect({ body, status: bad.status, code: bad.data.error.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      const stale = await app.api.post(`/ps/${id}/rollback`, { version: 2 }, { headers: { 'If-Match': '"1"' } });
      expect(stale.status).toBe(412);
      expect((await app.api.get(`/ps/${id}/versions/99`)).status).toBe(404);
      expect((await app.api.get(`/ps/${id}/versions/first`)).status).toBe(400);
      expect((await app.api.get(`/ps/${id}/versions/diff`, { params: { from: 1 } })).status).toBe(400);
      expect((await app.api.get(`/ps/${id}/versions/diff`, { params: { from: 1, to: 42 } })).status).toBe(404);
      expect((await app.api.get(`/ps/${uniqueName('nope')}/versions`)).status).toBe(404);
      expect((await app.api.post(`/ps/${uniqueName('nope')}/rollback`, { version: 1 })).status).toBe(404);
      const { data: after } = await app.api.get(`/ps/${id}`);
      expect(after.revision).toBe(before.revision);
      expect((await app.api.get(`/ps/${id}/versions`)).headers['x-total-count']).toBe('4');
    });

    it('refuses a version Kafka Connect no longer takes with 400 and its reason, and the connector keeps its config', async () => {
      const { data: before } = await app.api.get(`/ps/${id}`);
      // A version kept when it was valid, which this Connect refuses now.
      const { version } = await app.services.versions.keep(
        {
          taskId: id,
          category: 'CONNECT',
          operation: 'update',
          connectorType: before.connectorType,
          connectorConfig: { ...before.connectorConfig, 'tasks.max': 'many' },
          actor: 'anonymous',
        },
        { workflowId: uniqueName('seed'), runId: 'r' },
        new Date(),
      );
      const res = await app.api.post(`/ps/${id}/rollback`, { version });
      expect(res.status).toBe(400);
      expect(res.data.error.message).toMatch(/tasks\.max/);
      const { data: inConnect } = await connect().get(`/connectors/${id}/config`);
      expect(inConnect['tasks.max']).toBe(before.connectorConfig['tasks.max']);
      expect((await app.api.get(`/ps/${id}`)).data.revision).toBe(before.revision);
    });
  });

  describe('of a streaming SQL transform (SQLA2A)', () => {
    const id = uniqueName('vtr');
    const topicIn = uniqueName('it-vtr-in');
    const topicOut = uniqueName('it-vtr-out');
    const flink = () => engineHttp(app.config, 'flink');
    const jobState = async (jobId: string) => (await flink().get(`/jobs/${jobId}`)).data.state as string;
    const jobIds: string[] = [];
    const sql = (expression: string) => `SELECT id,\n  ${expression}\nFROM \`${topicIn}\``;
    const jobOf = async () => (await app.api.get(`/tr/${id}`)).data.jobConfig.flink_job_id as string;

    beforeAll(async () => {
      await app.services.kafka.ensureTopic(topicIn, 1, 1);
      await app.services.kafka.ensureTopic(topicOut, 1, 1);
      await produce(app.config.kafkaBrokers, topicIn, [{ id: 'a', amount: 1 }]);
    });
    afterAll(async () => {
      for (const jobId of jobIds) await flink().patch(`/jobs/${jobId}?mode=cancel`);
    });

    it('keeps the add as version 1', async () => {
      const added = await app.api.post('/tr', {
        id,
        name: 'versioned SQL',
        connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
        connectorConfig: {
          topic_in: topicIn,
          topic_out: topicOut,
          format: 'json',
          columns_in: 'id STRING, amount INT',
          trans_sql: sql('amount * 2 AS doubled'),
        },
      });
      expect(added.status).toBe(201);
      jobIds.push(added.data.jobConfig.flink_job_id);
      const { data: first } = await app.api.get(`/tr/${id}/versions/1`);
      expect(first).toMatchObject({ operation: 'add', workflowId: `df-transform-add-${id}` });
    });

    // Each update moves the job over a savepoint: two of them take a while on a busy machine.
    it('keeps two SQL updates as versions 2 and 3', async () => {
      for (const expression of ['amount * 10 AS doubled', 'amount * 100 AS doubled']) {
        const res = await app.api.patch(`/tr/${id}`, { connectorConfig: { trans_sql: sql(expression) } });
        expect(res.status).toBe(200);
        jobIds.push(res.data.jobConfig.flink_job_id);
      }
      const list = await app.api.get(`/tr/${id}/versions`);
      expect(list.data.map((v: Version) => [v.version, v.operation])).toEqual([
        [3, 'update'],
        [2, 'update'],
        [1, 'add'],
      ]);
      expect(list.data[2]).toMatchObject({
        category: 'TRANSFORM',
        connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
        connectorConfig: { trans_sql: sql('amount * 2 AS doubled') },
      });
    }, 300_000);

    it('diffs the SQL of two versions line by line', async () => {
      const diff = await app.api.get(`/tr/${id}/versions/diff`, { params: { from: 1, to: 3 } });
      expect(diff.status).toBe(200);
      expect(diff.data.changes).toEqual([
        {
          key: 'trans_sql',
          change: 'changed',
          old: sql('amount * 2 AS doubled'),
          new: sql('amount * 100 AS doubled'),
          lines: [
            { op: 'same', text: 'SELECT id,', oldLine: 1, newLine: 1 },
            { op: 'removed', text: '  amount * 2 AS doubled', oldLine: 2 },
            { op: 'added', text: '  amount * 100 AS doubled', newLine: 2 },
            { op: 'same', text: `FROM \`${topicIn}\``, oldLine: 3, newLine: 3 },
          ],
        },
      ]);
    });

    it('rolls back to version 1 over a savepoint: Flink runs a new job with the old SQL, kept as version 4', async () => {
      const oldJobId = await jobOf();
      const res = await app.api.post(`/tr/${id}/rollback`, { version: 1 });
      expect(res.status).toBe(200);
      const newJobId = res.data.jobConfig.flink_job_id;
      jobIds.push(newJobId);
      expect(newJobId).not.toBe(oldJobId);
      expect(res.data).toMatchObject({
        status: 'RUNNING',
        connectorConfig: { trans_sql: sql('amount * 2 AS doubled') },
        jobConfig: { previous_flink_job_id: oldJobId, savepoint_path: expect.stringMatching(/savepoint-/) },
      });
      expect(await jobState(oldJobId)).toBe('FINISHED');
      expect(await jobState(newJobId)).toBe('RUNNING');
      const checkpoints = (await flink().get(`/jobs/${newJobId}/checkpoints`)).data;
      expect(checkpoints.latest.restored.external_path).toBe(res.data.jobConfig.savepoint_path);
      // The group's offsets carried over every move: only the new record comes out, by version 1's SQL.
      await produce(app.config.kafkaBrokers, topicIn, [{ id: 'b', amount: 4 }]);
      const out = (await readTopic(app.config.kafkaBrokers, topicOut, 2)).map((v) => JSON.parse(v));
      expect(out).toEqual([
        { id: 'a', doubled: 2 },
        { id: 'b', doubled: 8 },
      ]);
      const { data: latest } = await app.api.get(`/tr/${id}/versions/4`);
      expect(latest).toMatchObject({ operation: 'rollback', restoredVersion: 1 });
    });

    it('refuses a version whose SQL Flink no longer plans with 400 and its reason, the running job untouched', async () => {
      const { data: before } = await app.api.get(`/tr/${id}`);
      const { version } = await app.services.versions.keep(
        {
          taskId: id,
          category: 'TRANSFORM',
          operation: 'update',
          connectorType: before.connectorType,
          connectorConfig: { ...before.connectorConfig, trans_sql: sql('nope') },
          actor: 'anonymous',
        },
        { workflowId: uniqueName('seed'), runId: 'r' },
        new Date(),
      );
      const res = await app.api.post(`/tr/${id}/rollback`, { version });
      expect(res.status).toBe(400);
      expect(res.data.error.message).toMatch(/Column 'nope' not found/);
      const { data: after } = await app.api.get(`/tr/${id}`);
      expect(after.jobConfig.flink_job_id).toBe(before.jobConfig.flink_job_id);
      expect(after.revision).toBe(before.revision);
      expect(await jobState(before.jobConfig.flink_job_id)).toBe('RUNNING');
      expect((await app.api.post(`/tr/${id}/rollback`, { version: 99 })).status).toBe(404);
    });
  });
});
