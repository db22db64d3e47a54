import fs from 'node:fs/promises';
import path from 'node:path';
import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { connectRest } from '../support/connect-rest';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { buildCountingJobJar } from '../support/job-jar';
import { uniqueName } from '../support/stack';

/**
 * The original DataFibers' dialect on the real stack: connect configs read and edited with "_" for
 * "." (its admin UI binds `tasks_max`, `batch_size`), and tasks created under its type names,
 * which they keep while running as DF's equivalents.
 */
describe("the original DataFibers' key spelling and type names", () => {
  let app: DfApp;
  let dir: string;
  const connect = () => connectRest(app.config);
  const connectConfig = async (id: string) => (await connect().get(`/connectors/${id}/config`)).data;
  const storedDoc = (id: string) => app.services.store.db.collection(TASK_COLLECTION).findOne({ _id: id as never });
  const created: string[] = [];

  beforeAll(async () => {
    // Operations answer within the wait, so each spec reads its own outcome instead of a 202.
    app = await startDfApp('original_dialect', { DF_SYNC_WAIT_MS: '180000' });
    dir = await dataTempDir(app, 'df-it-dialect-');
    await fs.writeFile(path.join(dir, 'lines.txt'), 'alpha\nbeta\n');
  });

  afterAll(async () => {
    for (const id of created) await connect().delete(`/connectors/${id}`);
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  describe('key spelling', () => {
    const id = uniqueName('spell');
    const topic = uniqueName('it-spell-topic');

    it("creates a connect from the original UI's body and answers in its spelling", async () => {
      created.push(id);
      const res = await app.api.post('/ps', {
        id,
        taskSeq: 1,
        name: 'Spelled the old way',
        connectorCategory: 'source',
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { tasks_max: 1, batch_size: 100, file: path.join(dir, 'lines.txt'), topic },
      });
      expect(res.status).toBe(201);
      expect(res.data).toMatchObject({
        keySpelling: 'underscore',
        connectorConfig: {
          connector_class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
          tasks_max: '1',
          batch_size: '100',
          topic,
        },
      });
      // Kafka Connect runs, and DF stores, its own spelling.
      expect(await connectConfig(id)).toMatchObject({ 'tasks.max': '1', 'batch.size': '100' });
      expect(Object.keys((await storedDoc(id))?.connectorConfig ?? {})).toEqual(
        expect.arrayContaining(['tasks%2Emax', 'batch%2Esize']),
      );
    });

    it('answers in either spelling when asked, and refuses a spelling that is neither', async () => {
      const dotted = await app.api.get(`/ps/${id}`, { params: { keySpelling: 'dotted' } });
      expect(dotted.data.connectorConfig).toEqual(await connectConfig(id));
      const listed = await app.api.get('/ps', { headers: { 'X-DF-Key-Spelling': 'dotted' }, params: { _end: 1000 } });
      expect(listed.data.find((t: { id: string }) => t.id === id).connectorConfig).toHaveProperty(
        ['batch.size'],
        '100',
      );
      const asCreated = await app.api.get('/processor', { params: { _end: 1000 } });
      expect(asCreated.data.find((t: { id: string }) => t.id === id).connectorConfig).toHaveProperty('batch_size');
      const bad = await app.api.get(`/ps/${id}`, { params: { keySpelling: 'camel' } });
      expect(bad.status).toBe(400);
      expect(bad.data.error.details.fields).toEqual({ keySpelling: ['expected one of dotted, underscore'] });
    });

    it('applies a plugin key edited through its "_" spelling in a record read back from the API', async () => {
      const { data: record } = await app.api.get(`/ps/${id}`);
      const res = await app.api.put(`/ps/${id}`, {
        ...record,
        connectorConfig: { ...record.connectorConfig, batch_size: '250' },
      });
      expect(res.status).toBe(200);
      expect(res.data).toMatchObject({ revision: record.revision + 1, connectorConfig: { batch_size: '250' } });
      expect(res.data.connectorConfig).not.toHaveProperty(['batch.size']);
      expect(await connectConfig(id)).toMatchObject({ 'batch.size': '250' });
    });

    it('applies the edit made through the other spelling, added next to the key read back', async () => {
      const { data: record } = await app.api.get(`/ps/${id}`);
      expect(record.connectorConfig.batch_size).toBe('250');
      const res = await app.api.put(`/ps/${id}`, {
        ...record,
        connectorConfig: { ...record.connectorConfig, 'batch.size': '300' },
      });
      expect(res.status).toBe(200);
      expect(res.data.connectorConfig).toMatchObject({ batch_size: '300' });
      expect(await connectConfig(id)).toMatchObject({ 'batch.size': '300' });
    });

    it('refuses two different new values for one key, naming it, and changes nothing', async () => {
      const { data: record } = await app.api.get(`/ps/${id}`);
      const res = await app.api.put(`/ps/${id}`, {
        ...record,
        connectorConfig: { ...record.connectorConfig, batch_size: '400', 'batch.size': '500' },
      });
      expect(res.status).toBe(400);
      expect(res.data.error.message).toMatch(/"batch_size" and "batch\.size" different new values/);
      expect(res.data.error.details.fields).toEqual({
        'connectorConfig.batch.size': ['given as "batch_size" and "batch.size" with different new values'],
      });
      expect(await connectConfig(id)).toMatchObject({ 'batch.size': '300' });
      expect((await app.api.get(`/ps/${id}`)).data.revision).toBe(record.revision);
    });

    it('patches a core key in the "_" spelling', async () => {
      const res = await app.api.patch(`/ps/${id}`, { connectorConfig: { tasks_max: 2 } });
      expect(res.status).toBe(200);
      expect(res.data.connectorConfig).toMatchObject({ tasks_max: '2' });
      expect(await connectConfig(id)).toMatchObject({ 'tasks.max': '2' });
    });

    it('refuses a create giving one key two values in its two spellings: nothing is stored or created', async () => {
      const other = uniqueName('spell-both');
      const res = await app.api.post('/ps', {
        id: other,
        name: other,
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { tasks_max: 1, 'tasks.max': 2, file: path.join(dir, 'lines.txt'), topic },
      });
      expect(res.status).toBe(400);
      expect(res.data.error.details.fields).toHaveProperty(['connectorConfig.tasks.max']);
      expect((await connect().get(`/connectors/${other}`)).status).toBe(404);
      expect(await storedDoc(other)).toBeNull();
    });
  });

  describe('type names', () => {
    const flink = () => engineHttp(app.config, 'flink');

    it('keeps a connect created under a 2017 name, running it as the connector that name stands for', async () => {
      const id = uniqueName('old-type');
      created.push(id);
      const res = await app.api.post('/ps', {
        id,
        name: 'Old type name',
        connectorType: 'CONNECT_KAFKA_SOURCE',
        connectorConfig: { tasks_max: 1, file: path.join(dir, 'lines.txt'), topic: uniqueName('it-old-type') },
      });
      expect(res.status).toBe(201);
      expect(res.data).toMatchObject({ connectorType: 'CONNECT_KAFKA_SOURCE', status: 'RUNNING' });
      expect(await connectConfig(id)).toMatchObject({
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      });
      const listed = await app.api.get('/ps', { params: { _end: 1000 } });
      expect(listed.data.find((t: { id: string }) => t.id === id).connectorType).toBe('CONNECT_KAFKA_SOURCE');
      expect((await app.api.delete(`/ps/${id}`)).status).toBe(200);
    });

    it('keeps a TRANSFORM_EXCHANGE_FLINK_UDF transform under that name, running it as a jar job', async () => {
      const jarPath = await buildCountingJobJar();
      const form = new FormData();
      form.append('file', new Blob([await fs.readFile(jarPath)]), 'counting-job.jar');
      const upload = await app.api.post('/uploaded_files', form);
      expect(upload.status).toBe(201);
      const id = uniqueName('udf');
      const jobName = uniqueName('df-udf');
      const res = await app.api.post('/tr', {
        id,
        name: 'Stream UDF/Jar',
        connectorType: 'TRANSFORM_EXCHANGE_FLINK_UDF',
        connectorConfig: {
          trans_jar: upload.data.jarId,
          trans_jar_class: 'df.test.CountingJob',
          trans_jar_para: jobName,
        },
      });
      expect(res.status).toBe(201);
      expect(res.data).toMatchObject({ connectorType: 'TRANSFORM_EXCHANGE_FLINK_UDF', status: 'RUNNING' });
      const jobId = res.data.jobConfig.flink_job_id;
      expect((await flink().get(`/jobs/${jobId}`)).data).toMatchObject({ name: jobName, state: 'RUNNING' });
      expect((await app.api.get(`/tr/${id}`)).data.connectorType).toBe('TRANSFORM_EXCHANGE_FLINK_UDF');
      expect((await app.api.delete(`/tr/${id}`, { params: { mode: 'cancel' } })).status).toBe(200);
    });

    it('refuses a Table API script transform with what to send instead, storing nothing', async () => {
      const id = uniqueName('script');
      const res = await app.api.post('/tr', {
        id,
        name: 'Stream API/Script',
        connectorType: 'TRANSFORM_EXCHANGE_FLINK_Script',
        connectorConfig: { topic_in: 'people', topic_out: 'names', trans_script: 'select("name")' },
      });
      expect(res.status).toBe(400);
      expect(res.data.error.message).toContain(
        'send connectorType TRANSFORM_EXCHANGE_FLINK_SQLA2A with the same topic_in and topic_out and connectorConfig.trans_sql set to the query as SQL, e.g. SELECT `name` FROM `people`',
      );
      expect(res.headers['x-df-workflow-id']).toBeUndefined();
      expect(await storedDoc(id)).toBeNull();
    });

    it('refuses a type DF cannot run, naming the kinds it can', async () => {
      const res = await app.api.post('/tr', {
        name: 'Batch SQL (off Queue)',
        connectorType: 'TRANSFORM_EXCHANGE_SPARK_SQL',
        connectorConfig: { trans_sql: 'SELECT 1' },
      });
      expect(res.status).toBe(400);
      expect(res.data.error.details.fields.connectorType[0]).toMatch(/TRANSFORM_EXCHANGE_FLINK_SQLA2A/);
    });
  });
});
