import fs from 'node:fs/promises';
import path from 'node:path';
import { flinkRegistryOptions } from '../../src/domain/kafka-security';
import { DfApp, startDfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { buildCountingJobJar } from '../support/job-jar';
import { flinkKafkaSecuritySql, produce, readTopic } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { addTransform, DeletedTransform, operationAnswer } from '../support/transforms';
import { eventually } from '../support/wait';

/**
 * The other transform kinds on the real stack: SQLA2A on Avro topics (columns from the registry),
 * a user-written SQL script, a bounded batch query with its row count, and an uploaded jar.
 */
describe('Transform kinds: Avro SQLA2A, SQL script, batch SQL, jar', () => {
  let app: DfApp;
  const flink = () => engineHttp(app.config, 'flink');
  const jobState = async (jobId: string) => (await flink().get(`/jobs/${jobId}`)).data.state as string;
  const cleanup: string[] = [];

  beforeAll(async () => {
    app = await startDfApp('transform_kinds');
  });

  afterAll(async () => {
    for (const id of cleanup) await app.api.delete(`/tr/${id}`, { params: { mode: 'cancel' } });
    await app?.close();
  });

  it('SQLA2A on Avro topics: input columns come from the registry, the output schema is registered for topic_out', async () => {
    const topicIn = uniqueName('it-avro-in');
    const topicOut = uniqueName('it-avro-out');
    await app.services.kafka.ensureTopic(topicIn, 1, 1);
    await app.services.kafka.ensureTopic(topicOut, 1, 1);
    // Fill the input the way an Avro producer would: Flink writes it and registers <topic>-value,
    // reaching the registry with the credentials and CA DF's config gives Flink.
    const registryOptions = Object.entries(flinkRegistryOptions(app.config.transforms.flinkRegistryAccess))
      .map(([key, value]) => `, '${key}'='${value}'`)
      .join('');
    const gateway = app.services.sqlGateway;
    const session = await gateway.openSession();
    await gateway.run(
      session,
      `CREATE TEMPORARY TABLE src (id STRING NOT NULL, amount INT NOT NULL) WITH ('connector'='kafka', 'topic'='${topicIn}', 'properties.bootstrap.servers'='${app.config.kafkaBrokers[0]}', 'format'='avro-confluent', 'avro-confluent.url'='${app.config.transforms.flinkSchemaRegistryUrl}'${registryOptions}${flinkKafkaSecuritySql()})`,
    );
    const fill = await gateway.run(session, `INSERT INTO src VALUES ('x', 5), ('y', 7)`);
    await eventually(
      'input written',
      async () => ((await jobState(fill.jobId!)) === 'FINISHED' ? true : undefined),
      60000,
    );
    await gateway.closeSession(session);

    const id = uniqueName('avro');
    cleanup.push(id);
    const added = await addTransform(app, {
      id,
      name: 'Avro doubling',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: {
        topic_in: topicIn,
        topic_out: topicOut,
        trans_sql: `SELECT id, amount * 2 AS doubled FROM \`${topicIn}\``,
      },
    });
    expect(added).toMatchObject({ status: 'RUNNING', connectorConfig: { format: 'avro-confluent' } });
    expect(JSON.parse(added.jobConfig.source_columns ?? '')).toEqual({
      [topicIn]: '`id` STRING NOT NULL, `amount` INT NOT NULL',
    });
    expect(await readTopic(app.config.kafkaBrokers, topicOut, 2)).toHaveLength(2);
    const registered = await app.services.schemaRegistry.version(`${topicOut}-value`);
    expect(JSON.parse(registered!.schema).fields.map((f: { name: string }) => f.name)).toEqual(['id', 'doubled']);

    // A stateless upgrade cancels the old job and takes no savepoint.
    const oldJobId = added.jobConfig.flink_job_id;
    const upgraded = await operationAnswer(
      app,
      await app.api.patch(`/tr/${id}?upgradeMode=stateless`, {
        connectorConfig: { trans_sql: `SELECT id, amount * 3 AS doubled FROM \`${topicIn}\`` },
      }),
      200,
    );
    expect(upgraded.status).toBe('RUNNING');
    expect(upgraded.jobConfig.savepoint_path).toBeUndefined();
    expect(upgraded.savepoints).toBeUndefined();
    expect(await jobState(oldJobId)).toBe('CANCELED');

    // Delete with mode=cancel: cancelled, no final savepoint.
    const del = await operationAnswer<DeletedTransform>(
      app,
      await app.api.delete(`/tr/${id}`, { params: { mode: 'cancel' } }),
      200,
    );
    expect(del.savepoint).toBeUndefined();
    expect(await jobState(upgraded.jobConfig.flink_job_id)).toBe('CANCELED');
  });

  it('SQL script: the user declares source and sink; every INSERT runs as one job', async () => {
    const topicIn = uniqueName('it-script-in');
    const topicOut = uniqueName('it-script-out');
    await app.services.kafka.ensureTopic(topicIn, 1, 1);
    await app.services.kafka.ensureTopic(topicOut, 1, 1);
    await produce(app.config.kafkaBrokers, topicIn, [{ word: 'hello' }, { word: 'world' }]);
    const kafka = (topic: string, extra = '') =>
      `'connector'='kafka', 'topic'='${topic}', 'properties.bootstrap.servers'='${app.config.kafkaBrokers[0]}', 'format'='json'${extra}${flinkKafkaSecuritySql()}`;
    const id = uniqueName('script');
    cleanup.push(id);
    const added = await addTransform(app, {
      id,
      name: 'Shout',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQL',
      connectorConfig: {
        trans_sql: `-- words in, loud words out
          CREATE TABLE words (word STRING) WITH (${kafka(topicIn, ", 'scan.startup.mode'='earliest-offset'")});
          CREATE TABLE loud (word STRING, n INT) WITH (${kafka(topicOut)});
          INSERT INTO loud SELECT UPPER(word), CHAR_LENGTH(word) FROM words;`,
      },
    });
    expect(added.status).toBe('RUNNING');
    const out = (await readTopic(app.config.kafkaBrokers, topicOut, 2)).map((v) => JSON.parse(v));
    expect(out).toEqual([
      { word: 'HELLO', n: 5 },
      { word: 'WORLD', n: 5 },
    ]);
  });

  it('batch SQL: a bounded query over a topic finishes and its row count and result place are recorded', async () => {
    const topicIn = uniqueName('it-batch-in');
    await app.services.kafka.ensureTopic(topicIn, 1, 1);
    await produce(
      app.config.kafkaBrokers,
      topicIn,
      [1, 2, 3, 4, 5].map((n) => ({ id: `r${n}`, amount: n })),
    );
    const id = uniqueName('batch');
    await addTransform(app, {
      id,
      name: 'Big amounts',
      connectorType: 'TRANSFORM_BATCH_FLINK_SQL',
      connectorConfig: {
        topic_in: topicIn,
        format: 'json',
        columns_in: 'id STRING, amount INT',
        trans_sql: `SELECT id, amount FROM \`${topicIn}\` WHERE amount > 2`,
      },
    });
    const task = await eventually(
      'batch FINISHED',
      async () => {
        const t = (await app.api.get(`/tr/${id}`)).data;
        if (t.status === 'FAILED') throw new Error(`batch failed: ${t.statusReason}`);
        return t.status === 'FINISHED' ? t : undefined;
      },
      90000,
    );
    expect(task.jobConfig).toMatchObject({
      result_rows: '3',
      result_path: expect.stringMatching(new RegExp(`^file://.*/${id}/`)),
    });
    expect(JSON.parse(task.jobConfig.result_columns).map((c: { name: string }) => c.name)).toEqual(['id', 'amount']);
    expect(task.statusReason).toMatch(/^3 rows at /);
    // The result set is JSON lines in the recorded place, ready for stream back.
    const dir = task.jobConfig.result_path.replace(/^file:\/\//, '');
    const lines = (
      await Promise.all(
        (await fs.readdir(dir)).filter((f) => !f.startsWith('.')).map((f) => fs.readFile(`${dir}/${f}`, 'utf8')),
      )
    )
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id).sort()).toEqual(['r3', 'r4', 'r5']);
    await operationAnswer<DeletedTransform>(app, await app.api.delete(`/tr/${id}`), 200);
  });

  it('jar: an uploaded job jar runs with its class and arguments, and delete stops it', async () => {
    const jarPath = await buildCountingJobJar();
    const form = new FormData();
    form.append('file', new Blob([await fs.readFile(jarPath)]), 'counting-job.jar');
    const upload = await app.api.post('/uploaded_files', form);
    expect(upload.status).toBe(201);
    expect(upload.data).toMatchObject({
      jarId: expect.stringMatching(/counting-job-[0-9a-f]{12}\.jar$/),
      name: expect.stringMatching(/^counting-job-/),
    });
    expect(upload.data.uploaded_file_name).toBe(upload.data.name);
    await expect(fs.stat(path.join(app.config.transforms.uploadDir, upload.data.name))).resolves.toBeTruthy();

    const id = uniqueName('jar');
    const jobName = uniqueName('df-counting');
    const added = await addTransform(app, {
      id,
      name: 'Counting',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_JAR',
      connectorConfig: {
        trans_jar: upload.data.jarId,
        trans_jar_class: 'df.test.CountingJob',
        trans_jar_para: jobName,
      },
    });
    expect(added.status).toBe('RUNNING');
    const jobId = added.jobConfig.flink_job_id;
    expect((await flink().get(`/jobs/${jobId}`)).data).toMatchObject({ name: jobName, state: 'RUNNING' });

    const del = await operationAnswer<DeletedTransform>(app, await app.api.delete(`/tr/${id}`), 200);
    expect(del).toMatchObject({ deleted: true, savepoint: expect.stringMatching(/savepoint-/) });
    expect(await jobState(jobId)).toBe('FINISHED');
    expect((await app.api.get(`/tr/${id}`)).status).toBe(404);
  });
});
