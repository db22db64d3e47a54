import axios from 'axios';
import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { DfApp, startDfApp } from '../support/df-app';
import { fieldsOf } from '../support/field-errors';
import { produce } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

/**
 * Bad transform input on the real stack: each is refused with a 4xx that names the problem, and
 * nothing is left behind: no task stored, no job running in Flink.
 */
describe('Transform errors: refused clearly, nothing stored, nothing running', () => {
  let app: DfApp;
  let topic: string;
  const flinkJobsNamed = async (name: string) => {
    const jobs = (await axios.get(`${app.config.flinkUrl}/jobs/overview`)).data.jobs as {
      name: string;
      state: string;
    }[];
    return jobs.filter((j) => j.name === name);
  };
  const expectNothingLeft = async (id: string) => {
    expect(await app.services.store.db.collection(TASK_COLLECTION).findOne({ _id: id as never })).toBeNull();
    expect(await flinkJobsNamed(`df-${id}`)).toEqual([]);
  };
  const sqla2a = (id: string, config: Record<string, string | undefined>) =>
    app.api.post('/tr', {
      id,
      name: id,
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: Object.fromEntries(
        Object.entries({
          topic_in: topic,
          topic_out: topic,
          format: 'json',
          columns_in: 'id STRING, amount INT',
          trans_sql: `SELECT * FROM \`${topic}\``,
          ...config,
        }).filter(([, v]) => v !== undefined),
      ),
    });

  beforeAll(async () => {
    // Submitting to a busy Flink can outlast the default wait: these specs read each operation's own answer.
    app = await startDfApp('transform_errors', { DF_SYNC_WAIT_MS: '180000' });
    topic = uniqueName('it-tr-err');
    await app.services.kafka.ensureTopic(topic, 1, 1);
  });

  afterAll(async () => {
    await app?.close();
  });

  it("invalid SQL: 400 with Flink's words", async () => {
    const id = uniqueName('badsql');
    const res = await sqla2a(id, { trans_sql: `SELECT id, FROM \`${topic}\`` });
    expect(res.status).toBe(400);
    expect(res.data.error.code).toBe('VALIDATION_FAILED');
    expect(res.data.error.message).toMatch(/Flink refused the SQL: .*near the keyword 'FROM'/);
    await expectNothingLeft(id);
  });

  it('SQL naming a column the input does not have: 400 naming the column', async () => {
    const id = uniqueName('badcol');
    const res = await sqla2a(id, { trans_sql: `SELECT id, price FROM \`${topic}\`` });
    expect(res.status).toBe(400);
    expect(res.data.error.message).toMatch(/Column 'price' not found/);
    await expectNothingLeft(id);
  });

  it('a statement that is not a query where a query belongs: 400 before Flink is asked', async () => {
    const id = uniqueName('insert');
    const res = await sqla2a(id, { trans_sql: `INSERT INTO x SELECT * FROM \`${topic}\`` });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.data)).toHaveProperty(['connectorConfig.trans_sql']);
    await expectNothingLeft(id);
  });

  it('unknown input topic, or unknown output topic with create_topic_out false: 400 naming the topic', async () => {
    const missing = uniqueName('it-no-such-topic');
    for (const config of [{ topic_in: missing }, { topic_out: missing, create_topic_out: 'false' }]) {
      const id = uniqueName('notopic');
      const res = await sqla2a(id, config);
      expect(res.status).toBe(400);
      expect(res.data.error.message).toContain(`unknown topic ${missing}`);
      await expectNothingLeft(id);
    }
  });

  it('an Avro input without a registered schema and without columns_in: 400 asking for columns_in', async () => {
    const id = uniqueName('nocols');
    const res = await sqla2a(id, { format: 'avro-confluent', columns_in: undefined });
    expect(res.status).toBe(400);
    expect(fieldsOf(res.data)).toHaveProperty(['connectorConfig.columns_in']);
    await expectNothingLeft(id);
  });

  it('a jar that was never uploaded: 400 naming it', async () => {
    const id = uniqueName('nojar');
    const res = await app.api.post('/tr', {
      id,
      name: id,
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_JAR',
      connectorConfig: { trans_jar: 'never-uploaded-000000000000.jar' },
    });
    expect(res.status).toBe(400);
    expect(res.data.error.message).toMatch(/no uploaded jar never-uploaded-000000000000\.jar/);
    await expectNothingLeft(id);
  });

  it('an upload that is not a jar: 400; a non-multipart upload: 415', async () => {
    const form = new FormData();
    form.append('file', new Blob(['just text']), 'notes.jar');
    const res = await app.api.post('/uploaded_files', form);
    expect(res.status).toBe(400);
    expect(res.data.error.message).toMatch(/not a jar/);
    expect((await app.api.post('/uploaded_files', { file: 'x' })).status).toBe(415);
  });

  it('wrong or missing kind and config fields: 400 naming each field', async () => {
    const kind = await app.api.post('/tr', {
      name: 'x',
      connectorType: 'TRANSFORM_EXCHANGE_SPARK_SQL',
      connectorConfig: {},
    });
    expect(kind.status).toBe(400);
    expect(fieldsOf(kind.data)).toHaveProperty(['connectorType']);
    const fields = await app.api.post('/tr', {
      name: 'x',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: { topic_in: 'a b' },
    });
    expect(fields.status).toBe(400);
    expect(Object.keys(fieldsOf(fields.data)).sort()).toEqual([
      'connectorConfig.topic_in',
      'connectorConfig.topic_out',
      'connectorConfig.trans_sql',
    ]);
  });

  it('unknown id: 404 for read, update, delete, status and savepoints', async () => {
    const id = uniqueName('ghost');
    expect((await app.api.get(`/tr/${id}`)).status).toBe(404);
    expect((await app.api.patch(`/tr/${id}`, { name: 'y' })).status).toBe(404);
    expect((await app.api.delete(`/tr/${id}`)).status).toBe(404);
    expect((await app.api.get(`/status/${id}`)).status).toBe(404);
    expect((await app.api.get(`/tr/${id}/savepoints`)).status).toBe(404);
    expect((await app.api.post(`/tr/${id}/savepoint`)).status).toBe(404);
  });

  it('bad modes: 400 naming the parameter', async () => {
    const up = await app.api.patch(`/tr/x?upgradeMode=hot`, { name: 'y' });
    expect(up.status).toBe(400);
    expect(fieldsOf(up.data)).toHaveProperty(['upgradeMode']);
    const del = await app.api.delete(`/tr/x?mode=kill`);
    expect(del.status).toBe(400);
    expect(fieldsOf(del.data)).toHaveProperty(['mode']);
  });

  it("a job that keeps failing: an update needing its savepoint is refused 409 with Flink's reason and the way out", async () => {
    const id = uniqueName('crashloop');
    const input = uniqueName('it-tr-crash');
    await app.services.kafka.ensureTopic(input, 1, 1);
    const added = await app.api.post('/tr', {
      id,
      name: id,
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: {
        topic_in: input,
        topic_out: topic,
        format: 'json',
        columns_in: 'id STRING, amount INT',
        trans_sql: `SELECT CAST(id AS INT) AS n FROM \`${input}\``,
      },
    });
    expect(added.status).toBe(201);
    const jobId = added.data.jobConfig.flink_job_id as string;
    // A record the query cannot cast fails the job each time it is read again after a restart.
    await produce(app.config.kafkaBrokers, input, [{ id: 'not a number', amount: 1 }]);
    // Between restarts the job runs for a moment before it reads the record again, and a savepoint
    // taken then succeeds. Flink's restart backoff grows with each failure, so after a few the job
    // spends almost all its time waiting to restart: the update is sent in that wait.
    await eventually(
      'the job to have failed three times and be waiting to restart',
      async () => {
        const [job, exceptions] = await Promise.all([
          axios.get(`${app.config.flinkUrl}/jobs/${jobId}`),
          axios.get(`${app.config.flinkUrl}/jobs/${jobId}/exceptions`),
        ]);
        const failures = (exceptions.data.exceptionHistory?.entries ?? []).length as number;
        return job.data.state === 'RESTARTING' && failures >= 3 ? true : undefined;
      },
      120000,
      100,
    );

    const refused = await app.api.patch(`/tr/${id}`, { connectorConfig: { trans_sql: `SELECT id FROM \`${input}\`` } });
    expect(refused.status).toBe(409);
    expect(refused.data.error.message).toMatch(/savepoint of job .*: \S/);
    expect(refused.data.error.details.reason).toEqual(expect.any(String));
    expect(refused.data.error.details.reason.length).toBeGreaterThan(0);
    expect(refused.data.error.details.reason).not.toContain('\n');
    expect(refused.data.error.details.hint).toMatch(/\?upgradeMode=stateless/);
    expect(refused.data.error.details.hint).toMatch(/\?mode=cancel/);

    // The way out the hint names works: the update without a savepoint, then the delete without one.
    const stateless = await app.api.patch(`/tr/${id}?upgradeMode=stateless`, {
      connectorConfig: { trans_sql: `SELECT id FROM \`${input}\`` },
    });
    expect(stateless.status).toBe(200);
    expect(stateless.data.connectorConfig.trans_sql).toBe(`SELECT id FROM \`${input}\``);
    expect((await app.api.delete(`/tr/${id}?mode=cancel`)).status).toBe(200);
    expect(await app.services.store.db.collection(TASK_COLLECTION).findOne({ _id: id as never })).toBeNull();
    expect(
      (await flinkJobsNamed(`df-${id}`)).filter((j) => !['CANCELED', 'FINISHED', 'FAILED'].includes(j.state)),
    ).toEqual([]);
  });
});
