import { loadConfig } from '../../src/config';
import { checkConnectAdd, connectConfigProblems, defaultHostProblems } from '../../src/domain/connect-reach';
import { engineMessage } from '../../src/domain/engine-message';
import { isContainedColumnList } from '../../src/domain/flink-sql';
import { hostProblem, hostsOf, pathProblem, reachRefused, ReachPolicy, RealPath } from '../../src/domain/reach-policy';
import { sqlReachProblems, transformConfigProblems } from '../../src/domain/sql-reach';

/** A fake file system's real paths: /data/df/link points at /etc, /data/df/inner at /data/df/x. */
const fakeRealPath: RealPath = (p) =>
  p.replace(/^\/data\/df\/link(?=\/|$)/, '/etc').replace(/^\/data\/df\/inner(?=\/|$)/, '/data/df/x');

const policy: ReachPolicy = {
  connectorClasses: [
    'org.apache.kafka.connect.file.FileStreamSourceConnector',
    'com.mongodb.kafka.connect.MongoSinkConnector',
  ],
  pathRoots: ['/data/df', 's3://bucket/df/'],
  flinkConnectors: ['kafka', 'filesystem', 'datagen', 'blackhole', 'generic_in_memory'],
  hosts: ['127.0.0.1:9092', 'kafka:29092', '127.0.0.1:27017', 'registry'],
  sqlJars: false,
  connectorOverrides: false,
};
const settingsOf = (problems: { setting: string }[]) => problems.map((p) => p.setting);

describe('reach policy: paths', () => {
  it.each([
    '/data/df/in.txt',
    'file:///data/df/results/t/j',
    'file:/data/df/a',
    'file://localhost/data/df/a',
    '/data/df',
    '/data/df/inner/y',
    's3://bucket/df/x',
  ])('allows %s, under a root', (value) => {
    expect(pathProblem(value, policy, fakeRealPath)).toBeUndefined();
  });

  it.each([
    ['/etc/shadow', /outside the allowed roots/],
    ['file:///etc/shadow', /outside the allowed roots/],
    ['/data/dfx/a', /outside/],
    ['/data/df/../../etc/shadow', /contains "\.\."/],
    ['file:///data/df/%2e%2e/%2e%2e/etc/shadow', /contains "\.\."/],
    ['/data/df/link/shadow', /resolves to \/etc\/shadow/],
    ['in.txt', /relative/],
    ['file://evil.example/data/df/a', /on host evil\.example/],
    ['s3://other/df/x', /outside/],
    ['s3://bucket/df/../secret', /not a plain URI/],
  ])('refuses %s', (value, why) => {
    expect(pathProblem(value, policy, fakeRealPath)).toMatch(why);
  });
});

describe('reach policy: hosts', () => {
  it('reads the hosts of URIs, JDBC URLs and server lists', () => {
    expect(hostsOf('mongodb://u:p@a:1,b/db?replicaSet=x')).toEqual([
      { host: 'a', port: 1 },
      { host: 'b', port: 27017 },
    ]);
    expect(hostsOf('jdbc:postgresql://db.example:5432/x')).toEqual([{ host: 'db.example', port: 5432 }]);
    expect(hostsOf('k1:9092, PLAINTEXT://k2:9093')).toEqual([
      { host: 'k1', port: 9092 },
      { host: 'k2', port: 9093 },
    ]);
    expect(hostsOf('not a host')).toBeUndefined();
  });

  it('allows listed host:port entries and any port of a bare host entry', () => {
    expect(hostProblem('127.0.0.1:9092,kafka:29092', policy)).toBeUndefined();
    expect(hostProblem('mongodb://127.0.0.1/?directConnection=true', policy)).toBeUndefined();
    expect(hostProblem('http://registry:8081/apis', policy)).toBeUndefined();
  });

  it('refuses another host, another port of a listed one, and what it cannot read', () => {
    expect(hostProblem('mongodb://evil.example:27017', policy)).toMatch(/evil\.example:27017 is not an allowed host/);
    expect(hostProblem('mongodb://127.0.0.1:22', policy)).toMatch(/127\.0\.0\.1:22/);
    expect(hostProblem('mongodb://127.0.0.1@evil.example', policy)).toMatch(/evil\.example/);
    expect(hostProblem('jdbc:oracle:thin:@evil:1521:x', policy)).toMatch(/cannot tell/);
  });
});

describe('reach policy: Kafka Connect configs', () => {
  it('refuses a class outside the allowed ones, naming the setting', () => {
    const { problems } = checkConnectAdd(
      { connectorConfig: { 'connector.class': 'io.debezium.connector.mysql.MySqlConnector' } },
      policy,
      fakeRealPath,
    );
    expect(problems).toEqual([
      expect.objectContaining({ field: 'connectorConfig.connector.class', setting: 'DF_ALLOWED_CONNECTOR_CLASSES' }),
    ]);
  });

  it('pins the class a DF type stands for, so Connect gets the class that was checked', () => {
    const checked = checkConnectAdd(
      { connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile', connectorConfig: { file: '/data/df/in.txt' } },
      policy,
      fakeRealPath,
    );
    expect(checked).toEqual({
      problems: [],
      connectorConfig: {
        file: '/data/df/in.txt',
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      },
    });
    expect(
      checkConnectAdd({ connectorType: 'CONNECT_SINK_FlatFile', connectorConfig: {} }, policy, fakeRealPath).problems,
    ).toEqual([expect.objectContaining({ field: 'connectorType', setting: 'DF_ALLOWED_CONNECTOR_CLASSES' })]);
  });

  it("pins the class an original type name runs as (CONNECT_KAFKA_SOURCE: the flat file source's)", () => {
    expect(
      checkConnectAdd(
        { connectorType: 'CONNECT_KAFKA_SOURCE', connectorConfig: { file: '/data/df/in.txt' } },
        policy,
        fakeRealPath,
      ).connectorConfig['connector.class'],
    ).toBe('org.apache.kafka.connect.file.FileStreamSourceConnector');
  });

  it('refuses a MongoDB connector without connection.uri, which would dial its default localhost', () => {
    const sink = { 'connector.class': 'com.mongodb.kafka.connect.MongoSinkConnector', topics: 't', database: 'd' };
    expect(checkConnectAdd({ connectorConfig: sink }, policy, fakeRealPath).problems).toEqual([
      expect.objectContaining({ field: 'connectorConfig.connection.uri', setting: 'DF_ALLOWED_TASK_HOSTS' }),
    ]);
    expect(
      checkConnectAdd(
        { connectorConfig: { ...sink, 'connection.uri': 'mongodb://127.0.0.1:27017' } },
        policy,
        fakeRealPath,
      ).problems,
    ).toEqual([]);
  });

  it('checks every path and host key, file: values and client overrides', () => {
    const problems = connectConfigProblems(
      {
        file: '/etc/shadow',
        'topics.dir': '/tmp/outside',
        'connection.uri': 'mongodb://evil.example',
        'key.converter.schema.registry.url': 'http://registry:8081',
        'producer.override.bootstrap.servers': 'evil:9092',
        'transforms.x.spec': 'file:///etc/passwd',
        'tasks.max': '1',
        topic: 't',
        removed: null,
      },
      policy,
      fakeRealPath,
    );
    expect(problems.map((p) => [p.field, p.setting])).toEqual([
      ['connectorConfig.file', 'DF_ALLOWED_PATHS'],
      ['connectorConfig.topics.dir', 'DF_ALLOWED_PATHS'],
      ['connectorConfig.connection.uri', 'DF_ALLOWED_TASK_HOSTS'],
      ['connectorConfig.producer.override.bootstrap.servers', 'DF_ALLOW_CONNECTOR_OVERRIDES'],
      ['connectorConfig.transforms.x.spec', 'DF_ALLOWED_PATHS'],
    ]);
  });

  it('checks a key in the original\'s "_" spelling as the dotted key it stands for', () => {
    const problems = connectConfigProblems(
      { producer_override_bootstrap_servers: 'evil:9092', connection_uri: 'mongodb://evil.example' },
      policy,
      fakeRealPath,
    );
    expect(problems.map((p) => [p.field, p.setting])).toEqual([
      ['connectorConfig.producer_override_bootstrap_servers', 'DF_ALLOW_CONNECTOR_OVERRIDES'],
      ['connectorConfig.connection_uri', 'DF_ALLOWED_TASK_HOSTS'],
    ]);
    expect(
      defaultHostProblems('com.mongodb.kafka.connect.MongoSinkConnector', { connection_uri: 'mongodb://h' }),
    ).toEqual([]);
  });

  it('answers a refusal as 400 REACH_REFUSED naming each field and the setting that would allow it', () => {
    const error = reachRefused(connectConfigProblems({ file: '/etc/shadow' }, policy, fakeRealPath));
    expect(error).toMatchObject({
      code: 'REACH_REFUSED',
      httpStatus: 400,
      message: expect.stringMatching(/^connectorConfig\.file: .*DF_ALLOWED_PATHS would allow it$/),
    });
    expect(error.details).toEqual({
      fields: { 'connectorConfig.file': [expect.stringContaining('(allowed by DF_ALLOWED_PATHS)')] },
      settings: ['DF_ALLOWED_PATHS'],
    });
  });
});

describe('reach policy: Flink SQL', () => {
  const sql = (text: string) => settingsOf(sqlReachProblems(text, 'connectorConfig.trans_sql', policy, fakeRealPath));

  it('allows tables of allowed connectors reaching allowed paths and hosts', () => {
    expect(
      sql(`CREATE TABLE a (n BIGINT) WITH ('connector'='datagen');
      CREATE TEMPORARY TABLE b (line STRING) WITH ('connector'='filesystem', 'path'='file:///data/df/out', 'format'='raw');
      CREATE TABLE c (x STRING) WITH ('connector'='kafka', 'properties.bootstrap.servers'='kafka:29092', 'value.avro-confluent.url'='http://registry:8081');
      SET 'parallelism.default' = '2';
      INSERT INTO b SELECT CAST(n AS STRING) FROM a`),
    ).toEqual([]);
  });

  it.each([
    [
      "CREATE TABLE t (line STRING) WITH ('connector'='filesystem','path'='file:///etc/shadow','format'='raw')",
      'DF_ALLOWED_PATHS',
    ],
    [
      "CREATE TABLE t (x INT) WITH ('connector'='jdbc','url'='jdbc:mysql://127.0.0.1:9092/x')",
      'DF_ALLOWED_FLINK_CONNECTORS',
    ],
    [
      "CREATE TABLE t (x INT) WITH ('connector'='kafka','properties.bootstrap.servers'='evil:9092')",
      'DF_ALLOWED_TASK_HOSTS',
    ],
    ["ALTER TABLE t SET ('path'='/etc')", 'DF_ALLOWED_PATHS'],
    ["INSERT INTO s SELECT * FROM t /*+ OPTIONS('path'='file:///etc/shadow') */", 'DF_ALLOWED_PATHS'],
    ["CREATE TABLE t (x INT) WITH ('connector'='filesystem', 'pa'\n'th'='/etc')", 'DF_ALLOWED_PATHS'],
    ["CREATE TABLE t (x INT) WITH ('connector'='filesystem', U&'\\0070ath'='/etc')", 'DF_ALLOWED_PATHS'],
    ["SET 'execution.checkpointing.dir' = 'file:///tmp/anywhere'", 'DF_ALLOWED_PATHS'],
    ['SET state.checkpoints.dir = /tmp/anywhere', 'DF_ALLOWED_PATHS'],
    ["SET 'pipeline.jars' = 'file:///data/df/uploads/x.jar'", 'DF_ALLOW_SQL_JARS'],
    ["SET 'python.executable' = 'sh'", 'DF_ALLOW_SQL_JARS'],
    ["ADD JAR '/data/df/x.jar'", 'DF_ALLOW_SQL_JARS'],
    ["CREATE TEMPORARY FUNCTION f AS 'a.B' USING JAR '/data/df/x.jar'", 'DF_ALLOW_SQL_JARS'],
    ["CREATE FUNCTION f AS 'm.f' LANGUAGE PYTHON", 'DF_ALLOW_SQL_JARS'],
    [
      "CREATE CATALOG c WITH ('type'='jdbc', 'base-url'='jdbc:postgresql://127.0.0.1:5432')",
      'DF_ALLOWED_FLINK_CONNECTORS',
    ],
    ["EXECUTE PLAN 'file:///etc/plan.json'", 'DF_ALLOWED_PATHS'],
  ])('refuses %s', (text, setting) => {
    expect(sql(text)).toContain(setting);
  });

  it('checks the SQL of every transform kind: trans_sql and columns_in, in adds and patches', () => {
    expect(
      settingsOf(
        transformConfigProblems(
          { trans_sql: "SELECT * FROM t /*+ OPTIONS('path'='/etc') */", columns_in: 'a INT', topic_in: 'x' },
          policy,
          fakeRealPath,
        ),
      ),
    ).toEqual(['DF_ALLOWED_PATHS']);
    expect(transformConfigProblems({ trans_sql: null }, policy, fakeRealPath)).toEqual([]);
  });

  it('keeps a column list inside the parentheses DF writes around it', () => {
    expect(isContainedColumnList("id STRING, amount INT, note STRING COMMENT 'a (b'")).toBe(true);
    expect(
      isContainedColumnList("a STRING COMMENT '(' ) WITH ('connector'='filesystem','path'='/etc/shadow') --"),
    ).toBe(false);
    expect(isContainedColumnList("a STRING COMMENT 'x")).toBe(false);
    expect(isContainedColumnList('a INT) WITH (')).toBe(false);
    expect(isContainedColumnList('a INT /* x */')).toBe(false);
  });
});

describe('reach policy: defaults', () => {
  it("allows DF's own classes, its data directory, and the data services' hosts, not DF's store nor the control planes", () => {
    const reach = loadConfig({ DF_DEV_MODE: 'true', DF_DATA_DIR: '/srv/df' }).reach;
    expect(reach.connectorClasses).toEqual([
      'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'org.apache.kafka.connect.file.FileStreamSinkConnector',
      'com.mongodb.kafka.connect.MongoSourceConnector',
      'com.mongodb.kafka.connect.MongoSinkConnector',
    ]);
    expect(reach.pathRoots).toEqual(['/srv/df']);
    expect(reach.hosts).toEqual(['127.0.0.1:9092', '127.0.0.1:8081']);
    expect(reach).toMatchObject({ sqlJars: false, connectorOverrides: false });
  });

  it('widens by its settings, and refuses a malformed one at start', () => {
    const reach = loadConfig({
      DF_DEV_MODE: 'true',
      DF_ALLOWED_PATHS: '/in,s3://bucket/df/',
      DF_ALLOWED_TASK_HOSTS: 'db.example:5432,*',
      DF_ALLOWED_CONNECTOR_CLASSES: '*',
      DF_ALLOW_SQL_JARS: 'true',
    }).reach;
    expect(reach).toMatchObject({
      pathRoots: ['/in', 's3://bucket/df/'],
      hosts: ['db.example:5432', '*'],
      connectorClasses: ['*'],
      sqlJars: true,
    });
    expect(() => loadConfig({ DF_DEV_MODE: 'true', DF_ALLOWED_PATHS: 'relative/dir' })).toThrow(/DF_ALLOWED_PATHS/);
    expect(() => loadConfig({ DF_DEV_MODE: 'true', DF_ALLOWED_PATHS: '/data/../etc' })).toThrow(/DF_ALLOWED_PATHS/);
  });
});

describe('engine error text', () => {
  it('is its first line only, capped, whatever the trace carries after it', () => {
    const trace = `java.lang.NumberFormatException: For input string: "${'x'.repeat(500)}"\n\tat a\nCaused by: root:$6$secret`;
    const message = engineMessage(trace) as string;
    expect(message).not.toContain('\n');
    expect(message).not.toContain('secret');
    expect(message.length).toBeLessThanOrEqual(300);
    expect(engineMessage('\n\n  ConnectException: down  \n\tat x')).toBe('ConnectException: down');
    expect(engineMessage(undefined)).toBeUndefined();
  });
});
