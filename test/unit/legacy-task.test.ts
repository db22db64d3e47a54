import {
  connectKeysOfOriginal,
  createdAtOfOriginal,
  dfStatusOfOriginal,
  dfTypeOfOriginal,
  stringMapOf,
  upgradeChanges,
} from '../../src/domain/legacy-task';
import { withStatusPatch } from '../../src/domain/status-patch';
import { planStatusSync, SyncedTask } from '../../src/domain/status-sync';
import { readTaskDoc, syncedTaskOf, toTask, upgradeOfOriginal } from '../../src/repository/task-doc';

/** A df_processor document as the original service wrote it. */
const originalConnect = {
  _id: '5a0b2c3d4e5f60718293a4b5',
  taskSeq: '1',
  name: 'files in',
  connectUid: '5a0b2c3d4e5f60718293a4b5',
  jobUid: null,
  connectorType: 'CONNECT_KAFKA_SOURCE',
  connectorCategory: 'CONNECT',
  description: 'made by the original',
  status: 'RUNNING',
  udfUpload: null,
  jobConfig: null,
  connectorConfig: {
    connector_class: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    tasks_max: '1',
    file: '/tmp/in.txt',
    topic: 'in',
    cuid: '5a0b2c3d4e5f60718293a4b5',
  },
};

describe("the original service's names", () => {
  it('says what each of its type names runs as: 2017 names and Flink names run as DF types; other names as themselves', () => {
    expect(dfTypeOfOriginal('CONNECT_KAFKA_SOURCE')).toBe('CONNECT_SOURCE_KAFKA_FlatFile');
    expect(dfTypeOfOriginal('CONNECT_MONGODB_SINK')).toBe('CONNECT_SINK_MONGODB_AvroDB');
    expect(dfTypeOfOriginal('TRANSFORM_FLINK_SQL_GENE')).toBe('TRANSFORM_EXCHANGE_FLINK_SQLA2A');
    expect(dfTypeOfOriginal('TRANSFORM_EXCHANGE_FLINK_UDF')).toBe('TRANSFORM_EXCHANGE_FLINK_JAR');
    expect(dfTypeOfOriginal('CONNECT_SOURCE_KAFKA_AvroFile')).toBe('CONNECT_SOURCE_KAFKA_AvroFile');
    expect(dfTypeOfOriginal('TRANSFORM_EXCHANGE_SPARK_SQL')).toBe('TRANSFORM_EXCHANGE_SPARK_SQL');
  });

  it('reads its status words as DF statuses, saying what was recorded when it differs', () => {
    expect(dfStatusOfOriginal('RUNNING')).toEqual({ status: 'RUNNING' });
    expect(dfStatusOfOriginal('PAUSE')).toEqual({ status: 'PAUSED', reason: 'recorded as "PAUSE"' });
    expect(dfStatusOfOriginal('CANCELLING')).toEqual({ status: 'CANCELED', reason: 'recorded as "CANCELLING"' });
    expect(dfStatusOfOriginal('whatever')).toEqual({ status: 'NONE', reason: 'recorded as "whatever"' });
    expect(dfStatusOfOriginal(undefined)).toEqual({ status: 'NONE', reason: 'no status recorded' });
  });

  it('spells connector keys as Kafka Connect runs them: every "_" a "." (what the original sent)', () => {
    expect(connectKeysOfOriginal({ connector_class: 'C', tasks_max: '2', topic: 't', 'already.dotted': 'x' })).toEqual({
      'connector.class': 'C',
      'tasks.max': '2',
      topic: 't',
      'already.dotted': 'x',
    });
    expect(connectKeysOfOriginal({ tasks_max: '1', 'tasks.max': '3' })).toEqual({ 'tasks.max': '3' });
  });

  it('takes the creation time from an ObjectId-style id, else the epoch', () => {
    expect(createdAtOfOriginal('5a0b2c3d4e5f60718293a4b5')).toBe('2017-11-14T17:47:41.000Z');
    expect(createdAtOfOriginal('my-task')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('holds config values as strings, as the original did; a value that is no map is refused', () => {
    expect(stringMapOf({ a: 1, b: true, c: ['x', 'y'], d: null })).toEqual({ a: '1', b: 'true', c: '["x","y"]' });
    expect(stringMapOf('text')).toBeUndefined();
    expect(stringMapOf([1])).toBeUndefined();
  });

  it('describes an upgrade in words', () => {
    expect(
      upgradeChanges(
        {
          connectorType: 'CONNECT_KAFKA_SOURCE',
          connectorCategory: 'CONNECT',
          status: 'PAUSE',
          connectKeysRenamed: 2,
          timesAdded: true,
        },
        { connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile', connectorCategory: 'CONNECT', status: 'PAUSED' },
      ),
    ).toEqual([
      'connectorType CONNECT_KAFKA_SOURCE -> CONNECT_SOURCE_KAFKA_FlatFile',
      'status PAUSE -> PAUSED',
      '2 connectorConfig key(s) spelled with "." as Kafka Connect runs them',
      'createdAt, updatedAt, statusAt and revision added',
    ]);
  });
});

describe('reading a stored task document', () => {
  it('reads an original record with defaults for what it lacks, keeping its type name and key spelling', () => {
    const read = readTaskDoc(originalConnect);
    expect(read).toMatchObject({ ok: true, original: true });
    expect(toTask(originalConnect)).toEqual({
      id: originalConnect._id,
      taskSeq: '1',
      name: 'files in',
      description: 'made by the original',
      connectorType: 'CONNECT_KAFKA_SOURCE',
      connectorCategory: 'CONNECT',
      connectUid: originalConnect._id,
      status: 'RUNNING',
      connectorConfig: {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        'tasks.max': '1',
        file: '/tmp/in.txt',
        topic: 'in',
        cuid: originalConnect._id,
      },
      keySpelling: 'underscore',
      jobConfig: null,
      createdAt: '2017-11-14T17:47:41.000Z',
      updatedAt: '2017-11-14T17:47:41.000Z',
      statusAt: '2017-11-14T17:47:41.000Z',
      revision: 0,
    });
  });

  it('derives the category from the type, as the original did on every read (a stored "source" is not one)', () => {
    expect(toTask({ ...originalConnect, connectorCategory: 'source' }).connectorCategory).toBe('CONNECT');
    expect(
      toTask({
        _id: 't1',
        connectorType: 'TRANSFORM_FLINK_UDF',
        status: 'FAILED',
        jobConfig: { flink_job_id: 'j1' },
        connectorConfig: { trans_jar: 'a.jar' },
      }),
    ).toMatchObject({
      connectorCategory: 'TRANSFORM',
      connectorType: 'TRANSFORM_FLINK_UDF',
      connectorConfig: { trans_jar: 'a.jar' },
      jobConfig: { flink_job_id: 'j1' },
    });
  });

  it('reads a record an earlier upgrade renamed under its original name again', () => {
    const upgraded = {
      _id: 't3',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_JAR',
      connectorCategory: 'TRANSFORM',
      status: 'FAILED',
      revision: 0,
      createdAt: new Date('2026-01-01T00:00:00Z'),
      connectorConfig: { trans_jar: 'a.jar' },
      upgradedFromOriginal: { at: new Date('2026-01-01T00:00:00Z'), connectorType: 'TRANSFORM_EXCHANGE_FLINK_UDF' },
    };
    expect(toTask(upgraded).connectorType).toBe('TRANSFORM_EXCHANGE_FLINK_UDF');
    // Not when the stored type is no longer the one the name runs as.
    expect(toTask({ ...upgraded, connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQL' }).connectorType).toBe(
      'TRANSFORM_EXCHANGE_FLINK_SQL',
    );
  });

  it('keeps a transform\'s "_" keys: they are the transform\'s own names', () => {
    expect(
      toTask({
        _id: 't2',
        connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
        connectorConfig: { topic_in: 'a', trans_sql: 'select 1' },
      }).connectorConfig,
    ).toEqual({ topic_in: 'a', trans_sql: 'select 1' });
  });

  it('names every problem of a document that cannot be read', () => {
    const read = readTaskDoc({
      _id: 'bad',
      connectorType: 7,
      status: { x: 1 },
      connectorConfig: 'nope',
      createdAt: 'yesterday',
    });
    expect(read).toEqual({
      ok: false,
      unreadable: {
        id: 'bad',
        problems: [
          'connectorType: expected a string, got number',
          'status: expected a string, got object',
          'connectorConfig: expected a map of strings, got string',
          'createdAt: expected a date, got string',
        ],
      },
    });
    expect(readTaskDoc({ _id: { odd: true }, name: 'x' })).toEqual({
      ok: false,
      unreadable: { id: '{"odd":true}', problems: ['_id: expected a non-empty string, got object'] },
    });
    expect(() => toTask({ _id: 'bad', connectorConfig: 3 })).toThrow(
      expect.objectContaining({ code: 'UNREADABLE_RECORD', httpStatus: 500 }),
    );
  });

  it('upgrades an original record to a DF document that reads the same', () => {
    const raw = { ...originalConnect, status: 'PAUSE' };
    const before = toTask(raw);
    const { set, changes } = upgradeOfOriginal(raw, before, new Date('2026-01-01T00:00:00Z'));
    expect(set).toMatchObject({
      revision: 0,
      connectorType: 'CONNECT_KAFKA_SOURCE',
      keySpelling: 'underscore',
      status: 'PAUSED',
      statusReason: 'recorded as "PAUSE"',
      connectorConfig: {
        'connector%2Eclass': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        'tasks%2Emax': '1',
      },
      upgradedFromOriginal: { at: new Date('2026-01-01T00:00:00Z'), status: 'PAUSE' },
    });
    expect(set.upgradedFromOriginal).not.toHaveProperty('connectorType');
    expect(changes).not.toContainEqual(expect.stringContaining('connectorType'));
    const after = readTaskDoc({ ...raw, ...set });
    expect(after).toMatchObject({ ok: true, original: false });
    expect(after.ok && after.task).toEqual(before);
  });
});

describe('status sync of a record with no status time', () => {
  const settings = { now: Date.parse('2026-01-01T00:00:00Z'), graceMs: 30_000 };

  it('is LOST when Kafka Connect lacks it, and the write expects the status time still unrecorded', () => {
    const task = syncedTaskOf(originalConnect) as SyncedTask;
    expect(task).toMatchObject({
      id: originalConnect._id,
      category: 'CONNECT',
      status: 'RUNNING',
      statusUnrecorded: true,
    });
    const plan = planStatusSync([task], { connect: { reachable: true, items: new Map() } }, settings);
    expect(plan.changes).toEqual([
      expect.objectContaining({
        id: task.id,
        expect: expect.objectContaining({ unrecorded: true }),
        set: expect.objectContaining({ status: 'LOST' }),
      }),
    ]);
    expect(withStatusPatch(task, plan.changes[0].set).statusUnrecorded).toBeUndefined();
  });

  it('leaves out a document it cannot read', () => {
    expect(syncedTaskOf({ _id: 'bad', connectorCategory: 'CONNECT', status: 5 })).toBeUndefined();
  });
});
