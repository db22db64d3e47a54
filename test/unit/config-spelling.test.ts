import { inTaskSpelling, spelledConfig, spellingOfKeys, storedSpellingOf } from '../../src/domain/config-spelling';
import { parseConnectAdd, parseConnectUpdate } from '../../src/domain/connect-input';
import { connectUpdateEdit, planConnectUpdate } from '../../src/domain/connect-update';
import { DfError } from '../../src/domain/errors';
import { fakeIdSuffix } from '../support/fake-id-suffix';
import { SECRET_MASK, SecretKeys } from '../../src/domain/secrets';
import type { OperationRef, Task } from '../../src/domain/task';

const secrets = new SecretKeys();
const op: OperationRef = { workflowId: 'connect-update-c1', runId: 'run-2', type: 'connectUpdate' };

/** A connect as DF stores it: dotted keys, created in the original's spelling. */
const stored: Task = {
  id: 'c1',
  taskSeq: '1',
  name: 'file source',
  description: '',
  connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
  connectorCategory: 'CONNECT',
  connectUid: 'c1',
  status: 'RUNNING',
  connectorConfig: {
    'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    'tasks.max': '1',
    'batch.size': '100',
    topic: 'in',
    'db.password': 'hunter2',
    name: 'c1',
    cuid: 'c1',
  },
  keySpelling: 'underscore',
  jobConfig: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  statusAt: '2026-01-01T00:00:00.000Z',
  revision: 3,
};

function refusal(run: () => unknown): DfError {
  try {
    run();
  } catch (error) {
    if (error instanceof DfError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** The config a PUT of this body leads to, as Kafka Connect would be asked to validate it. */
function configAfterPut(connectorConfig: Record<string, string>): Record<string, string> | undefined {
  const input = parseConnectUpdate('c1', { connectorConfig }, 'replace');
  return planConnectUpdate(input, stored, op, secrets).toValidate?.config;
}

describe('the spelling a connect answers in', () => {
  it("is the original's when a create's keys use '_' and none uses '.'", () => {
    expect(spellingOfKeys(['tasks_max', 'file', 'topic'])).toBe('underscore');
    expect(spellingOfKeys(['tasks.max', 'file_overwrite'])).toBe('dotted');
    expect(spellingOfKeys(['file', 'topic'])).toBe('dotted');
    expect(spellingOfKeys([])).toBe('dotted');
  });

  it('is remembered by a create, and may be chosen outright', () => {
    const body = { name: 'x', connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile' };
    const original = parseConnectAdd({ ...body, connectorConfig: { tasks_max: 1, topic: 't' } }, fakeIdSuffix);
    expect(original).toMatchObject({ keySpelling: 'underscore', connectorConfig: { 'tasks.max': '1', topic: 't' } });
    // The workflow parses the API's result again: the spelling survives though the keys are dotted now.
    expect(parseConnectAdd(original, fakeIdSuffix).keySpelling).toBe('underscore');
    expect(parseConnectAdd({ ...body, connectorConfig: { 'tasks.max': 1 } }, fakeIdSuffix)).not.toHaveProperty(
      'keySpelling',
    );
    expect(
      parseConnectAdd({ ...body, keySpelling: 'underscore', connectorConfig: { topic: 't' } }, fakeIdSuffix)
        .keySpelling,
    ).toBe('underscore');
    const dotted = parseConnectAdd(
      { ...body, keySpelling: 'dotted', connectorConfig: { batch_size: 1 } },
      fakeIdSuffix,
    );
    expect(parseConnectAdd(dotted, fakeIdSuffix).keySpelling).toBe('dotted');
    expect(refusal(() => parseConnectAdd({ ...body, keySpelling: 'camel' }, fakeIdSuffix)).details).toEqual({
      fields: { keySpelling: ['expected one of dotted, underscore'] },
    });
  });

  it("shows a stored config with every '.' as '_', never folding two keys into one", () => {
    expect(spelledConfig({ 'tasks.max': '1', 'a.b': 'x', a_b: 'y', topic: 't' }, 'underscore')).toEqual({
      tasks_max: '1',
      'a.b': 'x',
      a_b: 'y',
      topic: 't',
    });
    expect(spelledConfig({ 'tasks.max': '1' }, 'dotted')).toEqual({ 'tasks.max': '1' });
    expect(spelledConfig({ 'tasks.max': '1' }, undefined)).toEqual({ 'tasks.max': '1' });
  });

  it('spells every task of an answer in its own spelling, or every connect in the one the caller asked for', () => {
    const dottedTask = { ...stored, id: 'c2', keySpelling: undefined };
    const transform = { ...stored, id: 't1', connectorCategory: 'TRANSFORM', keySpelling: undefined };
    const [a, b, t] = inTaskSpelling([stored, dottedTask, transform]);
    expect(a.connectorConfig).toMatchObject({ tasks_max: '1', connector_class: expect.any(String) });
    expect(b.connectorConfig).toMatchObject({ 'tasks.max': '1' });
    expect(t.connectorConfig).toMatchObject({ 'tasks.max': '1' });
    const [a2, b2, t2] = inTaskSpelling([stored, dottedTask, transform], 'underscore');
    expect([a2, b2].map((x) => x.connectorConfig.tasks_max)).toEqual(['1', '1']);
    expect(t2.connectorConfig).toMatchObject({ 'tasks.max': '1' });
    expect(inTaskSpelling(stored, 'dotted').connectorConfig).toEqual(stored.connectorConfig);
    // An operation's result (GET /ops/:id) carries the task under `result`.
    expect(inTaskSpelling({ status: 'COMPLETED', result: stored }).result.connectorConfig).toHaveProperty('tasks_max');
  });
});

describe('an edit in either spelling', () => {
  it('edits the stored key a "_" key spells', () => {
    expect(storedSpellingOf(stored.connectorConfig, { batch_size: '200', topic: 'in' })).toEqual({
      'batch.size': '200',
      topic: 'in',
    });
  });

  it('keeps a key the store does not hold as given (Kafka Connect validation names it)', () => {
    expect(storedSpellingOf(stored.connectorConfig, { poll_interval_ms: '5' })).toEqual({ poll_interval_ms: '5' });
  });

  it('takes, of a key given both ways, the value that differs from the stored one', () => {
    expect(storedSpellingOf(stored.connectorConfig, { batch_size: '100', 'batch.size': '300' })).toEqual({
      'batch.size': '300',
    });
    expect(storedSpellingOf(stored.connectorConfig, { batch_size: '300', 'batch.size': '100' })).toEqual({
      'batch.size': '300',
    });
    expect(storedSpellingOf(stored.connectorConfig, { batch_size: '100', 'batch.size': '100' })).toEqual({
      'batch.size': '100',
    });
    // A PATCH's null removes the key, whichever spelling carries it.
    expect(storedSpellingOf(stored.connectorConfig, { batch_size: null, 'batch.size': '100' })).toEqual({
      'batch.size': null,
    });
  });

  it('refuses two different new values for one key, naming the key and both spellings', () => {
    const error = refusal(() => storedSpellingOf(stored.connectorConfig, { batch_size: '200', 'batch.size': '300' }));
    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', httpStatus: 400 });
    expect(error.message).toBe(
      'connectorConfig gives "batch_size" and "batch.size" different new values; they are one key (batch.size): send one of them, or the same value in both',
    );
    expect(error.details).toEqual({
      fields: { 'connectorConfig.batch.size': ['given as "batch_size" and "batch.size" with different new values'] },
    });
    // A new key given both ways: the same value is one key, two values are refused.
    expect(storedSpellingOf({}, { poll_ms: '1', 'poll.ms': '1' })).toEqual({ 'poll.ms': '1' });
    expect(() => storedSpellingOf({}, { poll_ms: '1', 'poll.ms': '2' })).toThrow(/different new values/);
  });

  it('counts a masked secret sent back as no change, so the other spelling is the edit', () => {
    const shown = (key: string, value: string) => secrets.maskConfig({ [key]: value })[key];
    expect(
      storedSpellingOf(stored.connectorConfig, { db_password: SECRET_MASK, 'db.password': 'new-secret' }, shown),
    ).toEqual({ 'db.password': 'new-secret' });
  });

  it('leaves alone two keys the store holds as keys of their own', () => {
    expect(storedSpellingOf({ 'a.b': '1', a_b: '2' }, { 'a.b': '3', a_b: '2' })).toEqual({ 'a.b': '3', a_b: '2' });
  });
});

describe('a connect update of a record read back in the original spelling', () => {
  const readBack = spelledConfig(secrets.maskConfig(stored.connectorConfig), 'underscore');

  it('applies a plugin key edited through its "_" spelling, keeping the secret', () => {
    expect(configAfterPut({ ...readBack, batch_size: '500' })).toEqual({
      ...stored.connectorConfig,
      'batch.size': '500',
    });
  });

  it('is no change when sent back as read', () => {
    expect(configAfterPut(readBack)).toBeUndefined();
  });

  it('applies the edit made through the other spelling, added next to the one read back', () => {
    expect(configAfterPut({ ...readBack, 'tasks.max': '2' })).toMatchObject({ 'tasks.max': '2' });
    expect(configAfterPut({ ...stored.connectorConfig, 'db.password': SECRET_MASK, tasks_max: '3' })).toMatchObject({
      'tasks.max': '3',
    });
  });

  it('refuses a core key given two new values (400 naming the key)', () => {
    const error = refusal(() => configAfterPut({ ...readBack, tasks_max: '2', 'tasks.max': '3' }));
    expect(error.details).toEqual({
      fields: { 'connectorConfig.tasks.max': ['given as "tasks_max" and "tasks.max" with different new values'] },
    });
  });

  it('patches in either spelling', () => {
    const input = parseConnectUpdate('c1', { connectorConfig: { batch_size: '7', topic_x: null } }, 'merge');
    const plan = planConnectUpdate(input, stored, op, secrets);
    expect(plan.toValidate?.config).toEqual({ ...stored.connectorConfig, 'batch.size': '7' });
    expect(connectUpdateEdit(plan, plan.toValidate?.config).edit.connectorConfig).toMatchObject({ 'batch.size': '7' });
  });
});
