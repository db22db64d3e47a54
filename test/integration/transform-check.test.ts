import axios from 'axios';
import { TASK_COLLECTION } from '../../src/repository/task-repository';
import { DfApp, startDfApp } from '../support/df-app';
import { flinkKafkaSecuritySql } from '../support/kafka';
import { uniqueName } from '../support/stack';

/**
 * The plan check (POST /tr/check) on the real SQL Gateway: Flink plans the transform as its add
 * would; a refusal names each problem at its line and column in the SQL as the user wrote it; and
 * nothing is created: no task, no topic, no Flink job, no workflow run.
 */
describe('Transform plan check: Flink plans the SQL, problems at their lines, nothing created', () => {
  let app: DfApp;
  let topicIn: string;
  const topicOut = uniqueName('it-check-out');
  const ids: string[] = [];
  let runsBefore: number;
  const runsOnQueue = async () =>
    (await app.temporal.client.workflow.count(`TaskQueue = '${app.config.temporal.taskQueue}'`)).count;
  const check = (body: Record<string, unknown>) => app.api.post('/tr/check', body);
  const sqla2a = (trans_sql: string) => {
    const id = uniqueName('check');
    ids.push(id);
    return check({
      id,
      name: 'Checked',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: {
        topic_in: topicIn,
        topic_out: topicOut,
        format: 'json',
        columns_in: 'id STRING, amount INT',
        trans_sql,
      },
    });
  };
  const kafkaTable = (topic: string) =>
    `'connector'='kafka', 'topic'='${topic}', 'properties.bootstrap.servers'='${app.config.kafkaBrokers[0]}', 'format'='json'${flinkKafkaSecuritySql()}`;

  beforeAll(async () => {
    app = await startDfApp('transform_check');
    topicIn = uniqueName('it-check-in');
    await app.services.kafka.ensureTopic(topicIn, 1, 1);
    runsBefore = await runsOnQueue();
  });

  afterAll(async () => {
    await app?.close();
  });

  it('answers ok for an SQLA2A query Flink accepts', async () => {
    const res = await sqla2a(`SELECT id, amount * 2 AS doubled FROM \`${topicIn}\``);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ ok: true });
  });

  it("names a misspelt column at its line and column in the user's SQL, past the comment DF drops", async () => {
    const res = await sqla2a(
      ['-- doubles every amount', 'SELECT id,', '  amunt * 2 AS doubled', `FROM \`${topicIn}\``].join('\n'),
    );
    expect(res.status).toBe(400);
    expect(res.data.error.code).toBe('VALIDATION_FAILED');
    expect(res.data.error.details.problems).toEqual([
      {
        field: 'connectorConfig.trans_sql',
        line: 3,
        column: 3,
        message: expect.stringContaining("'amunt'"),
      },
    ]);
    expect(res.data.error.message).toContain('(line 3, column 3)');
  });

  it('places a syntax error where the user wrote it, in the words Flink used', async () => {
    const res = await sqla2a(`-- a stray comma\nSELECT id,\nFROM \`${topicIn}\``);
    expect(res.status).toBe(400);
    const [problem] = res.data.error.details.problems;
    expect(problem).toMatchObject({ line: 3, column: 1 });
    // Flink saw the query without its comment line: its "line 2" is the user's line 3.
    expect(problem.message).toMatch(/near the keyword 'FROM' at line 3, column 1/);
  });

  it('names line 3 of a script whose INSERT on line 3 is wrong', async () => {
    const id = uniqueName('check-script');
    ids.push(id);
    const res = await check({
      id,
      name: 'Script',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQL',
      connectorConfig: {
        trans_sql: [
          `CREATE TABLE words (word STRING) WITH (${kafkaTable(topicIn)});`,
          `CREATE TABLE loud (word STRING, n INT) WITH (${kafkaTable(topicOut)});`,
          'INSERT INTO loud SELECT UPPER(wrd), CHAR_LENGTH(word) FROM words;',
        ].join('\n'),
      },
    });
    expect(res.status).toBe(400);
    expect(res.data.error.details.problems).toEqual([
      expect.objectContaining({ line: 3, column: 31, message: expect.stringContaining("'wrd'") }),
    ]);
  });

  it('refuses input Flink never sees with one problem per field, without a line', async () => {
    const id = uniqueName('check-bad');
    ids.push(id);
    const res = await check({
      id,
      name: 'Bad',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: { topic_in: uniqueName('it-no-such-topic'), topic_out: topicOut, trans_sql: 'SELECT 1' },
    });
    expect(res.status).toBe(400);
    expect(res.data.error.details.problems).toEqual([
      { field: 'connectorConfig.topic_in', message: expect.stringContaining('no topic') },
    ]);
  });

  it("validates a jar transform's input only: it has no SQL, and its jar is not handed to Flink", async () => {
    const jar = { name: 'Jar', connectorType: 'TRANSFORM_EXCHANGE_FLINK_JAR' };
    const ok = await check({ ...jar, connectorConfig: { trans_jar: 'not-uploaded-1234.jar', trans_jar_class: 'a.B' } });
    expect(ok.status).toBe(200);
    const bad = await check({ ...jar, connectorConfig: { trans_jar: 'no jar at all' } });
    expect(bad.status).toBe(400);
    expect(bad.data.error.details.problems).toEqual([expect.objectContaining({ field: 'connectorConfig.trans_jar' })]);
  });

  it('created nothing: no task, no output topic, no Flink job, no workflow run', async () => {
    for (const id of ids) {
      expect(await app.services.store.db.collection(TASK_COLLECTION).findOne({ _id: id as never })).toBeNull();
    }
    expect(await app.services.kafka.partitionCount(topicOut)).toBeUndefined();
    const jobs = (await axios.get(`${app.config.flinkUrl}/jobs/overview`)).data.jobs as { name: string }[];
    expect(jobs.filter((j) => ids.some((id) => j.name === `df-${id}`))).toEqual([]);
    expect(await runsOnQueue()).toBe(runsBefore);
  });
});
