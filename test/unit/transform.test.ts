import { fakeIdSuffix } from '../support/fake-id-suffix';
import { DfError } from '../../src/domain/errors';
import {
  columnsOfAvroRecord,
  columnsOfDescribe,
  parseSqlScript,
  singleQuery,
  splitSqlScript,
} from '../../src/domain/flink-sql';
import { dfStatusOfFlinkJob } from '../../src/domain/flink-status';
import {
  parseTransformAdd,
  parseTransformUpdate,
  requireTransformKind,
  sqlOfPlainSelect,
  transformKindOf,
} from '../../src/domain/transform-input';
import { SAVEPOINT_WAY_OUT, savepointFailureReason } from '../../src/domain/savepoint-refusal';
import { planSqlJob } from '../../src/domain/transform-plan';
import { statementFailure } from '../../src/ras/sql-gateway';
import { fieldErrorsOf } from '../support/field-errors';

describe('Flink job state → DF status', () => {
  const job = (state: string, vertices: string[] = []) => ({
    jid: 'j',
    name: 'n',
    state,
    vertices: vertices.map((status, i) => ({ id: `v${i}`, name: `v${i}`, status })),
  });

  it.each([
    ['INITIALIZING', [], 'UNASSIGNED'],
    ['CREATED', [], 'UNASSIGNED'],
    ['RECONCILING', [], 'UNASSIGNED'],
    ['RUNNING', ['RUNNING', 'RUNNING'], 'RUNNING'],
    ['RUNNING', ['RUNNING', 'FINISHED'], 'RUNNING'],
    ['RUNNING', ['RUNNING', 'DEPLOYING'], 'UNASSIGNED'],
    ['RUNNING', ['RUNNING', 'FAILED'], 'RWE'],
    ['FAILING', [], 'RESTARTING'],
    ['RESTARTING', [], 'RESTARTING'],
    ['SUSPENDED', [], 'RESTARTING'],
    ['FAILED', [], 'FAILED'],
    ['CANCELLING', [], 'CANCELED'],
    ['CANCELED', [], 'CANCELED'],
    ['FINISHED', [], 'FINISHED'],
    ['SOMETHING_NEW', [], 'NONE'],
  ])('%s with vertices %j is %s', (state, vertices, status) => {
    expect(dfStatusOfFlinkJob(job(state, vertices as string[])).status).toBe(status);
  });

  it("gives a failed job its root exception's message line as the reason, not the causes that may carry the job's data", () => {
    const trace =
      'org.apache.flink.runtime.JobException: Recovery is suppressed\n\tat x\nCaused by: java.lang.ArithmeticException: / by zero\n\tat y';
    expect(dfStatusOfFlinkJob(job('FAILED'), trace).reason).toBe(
      'Flink job FAILED: org.apache.flink.runtime.JobException: Recovery is suppressed',
    );
  });
});

describe('Flink SQL text', () => {
  it('splits a script on ";" outside strings, quoted names and comments, dropping the comments', () => {
    expect(
      splitSqlScript(
        `-- head\nCREATE TABLE \`a;b\` (x STRING) WITH ('k'='v;w'); /* c; */ INSERT INTO t SELECT 'it''s;' FROM s;`,
      ),
    ).toEqual(["CREATE TABLE `a;b` (x STRING) WITH ('k'='v;w')", "INSERT INTO t SELECT 'it''s;' FROM s"]);
  });

  it('takes one query for SQLA2A and refuses scripts and INSERTs', () => {
    expect(singleQuery('SELECT a FROM t; -- done', 'f')).toBe('SELECT a FROM t');
    expect(fieldErrorsOf(() => singleQuery('SELECT 1; SELECT 2', 'f'))).toHaveProperty('f');
    expect(fieldErrorsOf(() => singleQuery('INSERT INTO x SELECT 1', 'f')).f[0]).toMatch(/not INSERT/);
  });

  it('separates a script into declarations and INSERTs, flattening a statement set, and wants an INSERT', () => {
    expect(
      parseSqlScript(
        'CREATE TABLE a (x INT); BEGIN STATEMENT SET; INSERT INTO b SELECT * FROM a; INSERT INTO c SELECT * FROM a; END;',
        'f',
      ),
    ).toEqual({
      declarations: ['CREATE TABLE a (x INT)'],
      inserts: ['INSERT INTO b SELECT * FROM a', 'INSERT INTO c SELECT * FROM a'],
    });
    expect(fieldErrorsOf(() => parseSqlScript('CREATE TABLE a (x INT)', 'f')).f[0]).toMatch(/INSERT/);
    expect(fieldErrorsOf(() => parseSqlScript('SELECT * FROM a', 'f')).f[0]).toMatch(/SELECT without INSERT/);
  });

  it('maps an Avro record to Flink columns, nullability and logical types included', () => {
    const schema = {
      type: 'record',
      name: 'R',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'n', type: ['null', 'long'] },
        { name: 'at', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'price', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
        { name: 'tags', type: { type: 'array', items: 'string' } },
        { name: 'kind', type: { type: 'enum', name: 'K', symbols: ['A'] } },
        { name: 'inner', type: { type: 'record', name: 'I', fields: [{ name: 'x', type: 'int' }] } },
      ],
    };
    expect(columnsOfAvroRecord(schema, 't')).toBe(
      '`id` STRING NOT NULL, `n` BIGINT, `at` TIMESTAMP(3) NOT NULL, `price` DECIMAL(10, 2) NOT NULL, ' +
        '`tags` ARRAY<STRING NOT NULL> NOT NULL, `kind` STRING NOT NULL, `inner` ROW<`x` INT NOT NULL> NOT NULL',
    );
    expect(
      fieldErrorsOf(() =>
        columnsOfAvroRecord({ type: 'record', fields: [{ name: 'u', type: ['int', 'string'] }] }, 't'),
      ),
    ).toHaveProperty(['connectorConfig.columns_in']);
    expect(fieldErrorsOf(() => columnsOfAvroRecord({ type: 'string' }, 't'))).toHaveProperty([
      'connectorConfig.columns_in',
    ]);
  });

  it('declares the sink from DESCRIBE, without time attribute markers', () => {
    expect(
      columnsOfDescribe([
        { name: 'id', type: 'STRING', nullable: true },
        { name: 'ts', type: 'TIMESTAMP_LTZ(3) *PROCTIME*', nullable: false },
      ]),
    ).toBe('`id` STRING, `ts` TIMESTAMP_LTZ(3) NOT NULL');
  });
});

describe('Transform input', () => {
  it('fills defaults: an id made from the name, format, group id, cuid; topic lists joined', () => {
    const input = parseTransformAdd(
      {
        name: 'My Job',
        connectorType: 'transform_exchange_flink_sqla2a',
        connectorConfig: { topic_in: ['a', 'b'], topic_out: 'c', trans_sql: 'SELECT * FROM a' },
      },
      fakeIdSuffix,
    );
    expect(input).toMatchObject({
      id: 'my-job-0123456789abcdef',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: {
        topic_in: 'a,b',
        topic_out: 'c',
        format: 'avro-confluent',
        group_id: 'df-my-job-0123456789abcdef',
        cuid: 'my-job-0123456789abcdef',
      },
    });
  });

  it("keeps the original's type names (any case) and runs each as its DF kind", () => {
    const udf = parseTransformAdd(
      {
        name: 'u',
        connectorType: 'TRANSFORM_EXCHANGE_FLINK_UDF',
        connectorConfig: { trans_jar: 'x.jar' },
      },
      fakeIdSuffix,
    );
    expect(udf.connectorType).toBe('TRANSFORM_EXCHANGE_FLINK_UDF');
    expect(requireTransformKind(udf.connectorType)).toBe('TRANSFORM_EXCHANGE_FLINK_JAR');
    const gene = parseTransformAdd(
      {
        name: 'g',
        connectorType: 'transform_flink_sql_gene',
        connectorConfig: { topic_in: 'a', topic_out: 'b', trans_sql: 'SELECT * FROM a' },
      },
      fakeIdSuffix,
    );
    expect(gene.connectorType).toBe('TRANSFORM_FLINK_SQL_GENE');
    expect(transformKindOf(gene.connectorType)).toBe('TRANSFORM_EXCHANGE_FLINK_SQLA2A');
    // A UDF transform is checked as the jar transform it runs as.
    expect(
      fieldErrorsOf(() =>
        parseTransformAdd({ name: 'u', connectorType: 'TRANSFORM_EXCHANGE_FLINK_UDF' }, fakeIdSuffix),
      ),
    ).toHaveProperty(['connectorConfig.trans_jar']);
  });

  it('refuses a Table API script transform, saying exactly what to send instead', () => {
    const refusal = (connectorConfig: Record<string, string>) => {
      try {
        parseTransformAdd(
          { name: 's', connectorType: 'TRANSFORM_EXCHANGE_FLINK_Script', connectorConfig },
          fakeIdSuffix,
        );
      } catch (error) {
        return error as DfError;
      }
      throw new Error('expected a refusal');
    };
    const plain = refusal({ topic_in: 'people', topic_out: 'names', trans_script: 'select("name, age")' });
    expect(plain).toMatchObject({ code: 'VALIDATION_FAILED', httpStatus: 400 });
    expect(plain.message).toBe(
      'connectorType TRANSFORM_EXCHANGE_FLINK_Script (a Flink Table API chain in trans_script) is not run by DF, which runs Flink SQL: ' +
        'send connectorType TRANSFORM_EXCHANGE_FLINK_SQLA2A with the same topic_in and topic_out and ' +
        'connectorConfig.trans_sql set to the query as SQL, e.g. SELECT `name`, `age` FROM `people`',
    );
    expect(Object.keys((plain.details as { fields: object }).fields)).toEqual([
      'connectorType',
      'connectorConfig.trans_sql',
    ]);
    // A chain that is more than a plain select gets the shape of the query to write.
    expect(refusal({ topic_in: 'people', trans_script: 'filter("age > 3").select("name")' }).message).toMatch(
      /e\.g\. SELECT <columns> FROM `people` WHERE <condition>$/,
    );
  });

  it('turns a plain Table API select into SQL, and nothing more complex', () => {
    expect(sqlOfPlainSelect('select("name")', 't')).toBe('SELECT `name` FROM `t`');
    expect(sqlOfPlainSelect(' .select( "a,b" ) ', 't')).toBe('SELECT `a`, `b` FROM `t`');
    expect(sqlOfPlainSelect('select("a").where("a > 1")', 't')).toBeUndefined();
    expect(sqlOfPlainSelect('select("a.count")', 't')).toBeUndefined();
  });

  it('names every bad field of a kind', () => {
    expect(
      Object.keys(
        fieldErrorsOf(() =>
          parseTransformAdd(
            {
              name: 'j',
              connectorType: 'TRANSFORM_EXCHANGE_FLINK_JAR',
              connectorConfig: { trans_jar: 'x', trans_jar_class: '1bad', parallelism: 0 },
            },
            fakeIdSuffix,
          ),
        ),
      ).sort(),
    ).toEqual(['connectorConfig.parallelism', 'connectorConfig.trans_jar', 'connectorConfig.trans_jar_class']);
    expect(
      fieldErrorsOf(() =>
        parseTransformAdd(
          {
            name: 's',
            connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
            connectorConfig: { topic_in: 'a', topic_out: 'b', trans_sql: 'x', columns_in: 'a INT); DROP TABLE x; (' },
          },
          fakeIdSuffix,
        ),
      ),
    ).toHaveProperty(['connectorConfig.columns_in']);
  });

  it('carries the upgrade mode and revision of an update', () => {
    expect(
      parseTransformUpdate('t', { connectorConfig: { trans_sql: null } }, 'merge', {
        upgradeMode: 'stateless',
        expectedRevision: 2,
      }),
    ).toEqual({ id: 't', connectorConfigPatch: { trans_sql: null }, upgradeMode: 'stateless', expectedRevision: 2 });
  });
});

describe('SQL plans', () => {
  const env = { kafkaBrokers: 'k:9092', schemaRegistryUrl: 'http://sr' };

  it('SQLA2A: sources continue from the group offsets, the sink is declared from the result view', () => {
    const plan = planSqlJob(
      'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      { topic_in: 'in', topic_out: 'out', trans_sql: 'SELECT * FROM `in`', format: 'json', group_id: 'g' },
      { taskId: 't', env, sourceColumns: { in: 'id STRING' } },
    );
    expect(plan.config['execution.runtime-mode']).toBe('streaming');
    expect(plan.declarations[0]).toBe(
      "CREATE TEMPORARY TABLE `in` (id STRING) WITH ('connector' = 'kafka', 'topic' = 'in', 'properties.bootstrap.servers' = 'k:9092', " +
        "'properties.group.id' = 'g', 'scan.startup.mode' = 'group-offsets', 'properties.auto.offset.reset' = 'earliest', 'format' = 'json', 'json.fail-on-missing-field' = 'false')",
    );
    expect(plan.declarations[1]).toBe('CREATE TEMPORARY VIEW `__df_result` AS SELECT * FROM `in`');
    expect(plan.sink).toMatchObject({ view: '__df_result', options: { topic: 'out', format: 'json' } });
  });

  it('batch: sources are bounded, the result goes to files as JSON lines', () => {
    const plan = planSqlJob(
      'TRANSFORM_BATCH_FLINK_SQL',
      { topic_in: 'in', trans_sql: 'SELECT 1', format: 'avro-confluent' },
      { taskId: 't', env, sourceColumns: { in: 'id STRING' }, resultPath: 'file:///r/t/j' },
    );
    expect(plan.config['execution.runtime-mode']).toBe('batch');
    expect(plan.declarations[0]).toContain("'scan.bounded.mode' = 'latest-offset'");
    expect(plan.declarations[0]).toContain("'avro-confluent.url' = 'http://sr'");
    expect(plan.sink?.options).toEqual({ connector: 'filesystem', path: 'file:///r/t/j', format: 'json' });
  });
});

describe('SQL Gateway failures', () => {
  const trace = (...causes: string[]) => [
    `Internal server error.`,
    `<Exception on server side:\norg.apache.flink.table.gateway.api.utils.SqlGatewayException: Failed\n${causes.map((c) => `Caused by: ${c}\n\tat x`).join('\n')}`,
  ];

  it("a statement fault is bad input with Flink's deepest words", () => {
    const error = statementFailure(
      'SELECT nope',
      trace(
        'org.apache.flink.table.gateway.service.utils.SqlExecutionException: Failed to execute the operation 1.',
        "org.apache.flink.table.api.ValidationException: SQL validation failed. From line 1: Column 'nope' not found in any table",
        "org.apache.calcite.sql.validate.SqlValidatorException: Column 'nope' not found in any table",
      ),
    );
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      httpStatus: 400,
      retryable: false,
      message: "Flink refused the SQL: Column 'nope' not found in any table",
    });
  });

  it('a statement fault keeps where in the statement Flink points, though its deepest words do not say', () => {
    const error = statementFailure(
      'SELECT\n  nope FROM t',
      trace(
        "org.apache.flink.table.api.ValidationException: SQL validation failed. From line 2, column 3 to line 2, column 6: Column 'nope' not found in any table",
        "org.apache.calcite.sql.validate.SqlValidatorException: Column 'nope' not found in any table",
      ),
    );
    expect(error.details).toMatchObject({
      rasMessage: "Column 'nope' not found in any table",
      position: { line: 2, column: 3 },
    });
  });

  it('a cluster fault is retryable, even under a TableException', () => {
    const error = statementFailure(
      'INSERT …',
      trace(
        'org.apache.flink.table.api.TableException: Failed to execute sql',
        'org.apache.flink.runtime.client.JobSubmissionException: Failed to submit ExecutionPlan.',
        'java.net.ConnectException: Connection refused',
      ),
    );
    expect(error).toMatchObject({
      code: 'RAS_SERVER_ERROR',
      retryable: true,
      message: expect.stringContaining('Connection refused'),
    });
  });
});

describe('A refused savepoint', () => {
  const trace =
    'java.util.concurrent.CompletionException: org.apache.flink.runtime.checkpoint.CheckpointException: Checkpoint triggering task Source (1/1) is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required tasks are currently running.\n' +
    '\tat java.base/java.util.concurrent.CompletableFuture.encodeRelay(CompletableFuture.java:368)\n\t... 5 more\n';

  it("gives Flink's reason as one line, without the wrapping exception classes", () => {
    expect(savepointFailureReason(trace, 'java.util.concurrent.CompletionException')).toBe(
      'Checkpoint triggering task Source (1/1) is not being executed at the moment. Aborting checkpoint. Failure reason: Not all required tasks are currently running.',
    );
  });

  it('falls back to the exception class, then to saying Flink gave none; never empty', () => {
    expect(savepointFailureReason('\n\n', 'org.apache.flink.SomeException')).toBe('org.apache.flink.SomeException');
    expect(savepointFailureReason(undefined, undefined)).toBe('Flink gave no reason');
  });

  it('is bounded', () => {
    expect(savepointFailureReason(`x${'y'.repeat(5000)}`, undefined).length).toBeLessThanOrEqual(600);
  });

  it('names the options that skip the savepoint', () => {
    expect(SAVEPOINT_WAY_OUT).toMatch(/\?upgradeMode=stateless/);
    expect(SAVEPOINT_WAY_OUT).toMatch(/\?mode=cancel/);
  });
});
