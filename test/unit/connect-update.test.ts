import { connectUpdateEdit, planConnectUpdate } from '../../src/domain/connect-update';
import type { ConnectUpdateInput } from '../../src/domain/connect-input';
import { DfError } from '../../src/domain/errors';
import { SECRET_MASK, SecretKeys } from '../../src/domain/secrets';
import type { OperationRef, Task } from '../../src/domain/task';

const secrets = new SecretKeys();
const thisUpdate: OperationRef = { workflowId: 'connect-update-c1', runId: 'run-2', type: 'connectUpdate' };
const earlierAdd: OperationRef = { workflowId: 'connect-add-c1', runId: 'run-1', type: 'connectAdd' };
const policy = { enabled: true, maxRestarts: 2, backoff: '30s' };
const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';

const stored: Task = {
  id: 'c1',
  taskSeq: '1',
  name: 'file source',
  description: '',
  connectorType: 'CONNECT_KAFKA_SOURCE',
  connectorCategory: 'CONNECT',
  connectUid: 'c1',
  status: 'RUNNING',
  connectorConfig: {
    'connector.class': FILE_SOURCE,
    name: 'c1',
    cuid: 'c1',
    topic: 'in',
    'db.password': 'hunter2',
  },
  jobConfig: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  statusAt: '2026-01-01T00:00:00.000Z',
  revision: 3,
  lastOperation: earlierAdd,
};

const update = (input: Omit<ConnectUpdateInput, 'id'>): ConnectUpdateInput => ({ id: 'c1', ...input });

function refusal(run: () => unknown): DfError {
  try {
    run();
  } catch (error) {
    if (error instanceof DfError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('a connect update, worked out from the input and the stored task', () => {
  it('edits the display fields and the restart policy given, and nothing else', () => {
    const plan = planConnectUpdate(
      update({ name: 'renamed', description: 'd', taskSeq: '7', autoRestart: policy }),
      stored,
      thisUpdate,
      secrets,
    );
    expect(plan.toValidate).toBeUndefined();
    expect(connectUpdateEdit(plan)).toEqual({
      task: stored,
      edit: { name: 'renamed', description: 'd', taskSeq: '7', autoRestart: policy },
    });
  });

  it('refuses an update made against another revision with 412, naming both revisions', () => {
    const error = refusal(() => planConnectUpdate(update({ expectedRevision: 2 }), stored, thisUpdate, secrets));
    expect(error.code).toBe('CONFLICT');
    expect(error.httpStatus).toBe(412);
    expect(error.message).toBe('task c1 is at revision 3, not 2');
  });

  it('asks for validation of a patched config, keeping class, name, cuid and the stored secrets', () => {
    const plan = planConnectUpdate(
      update({ connectorConfigPatch: { topic: 'out', 'db.password': SECRET_MASK } }),
      stored,
      thisUpdate,
      secrets,
    );
    expect(plan.toValidate).toEqual({
      connectorClass: FILE_SOURCE,
      config: { ...stored.connectorConfig, topic: 'out' },
    });
  });

  it('keeps the connector name, class and stored secrets when a whole new config leaves them out', () => {
    const plan = planConnectUpdate(update({ connectorConfig: { topic: 'out' } }), stored, thisUpdate, secrets);
    expect(plan.toValidate?.config).toEqual({
      topic: 'out',
      'db.password': 'hunter2',
      'connector.class': FILE_SOURCE,
      name: 'c1',
      cuid: 'c1',
    });
  });

  it('refuses a change of connector class as a validation error on connectorConfig.connector.class', () => {
    const error = refusal(() =>
      planConnectUpdate(
        update({ connectorConfigPatch: { 'connector.class': 'other.Connector' } }),
        stored,
        thisUpdate,
        secrets,
      ),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.message).toBe(`connector.class cannot change (${FILE_SOURCE}); delete the connect and add a new one`);
    expect(error.details).toMatchObject({ fields: { 'connectorConfig.connector.class': ['cannot change'] } });
  });

  it('puts the validated config in the edit, unless validation made it the stored one again', () => {
    const plan = planConnectUpdate(update({ connectorConfigPatch: { topic: 'out' } }), stored, thisUpdate, secrets);
    const changed = { ...stored.connectorConfig, topic: 'out' };
    expect(connectUpdateEdit(plan, changed).edit).toEqual({ connectorConfig: changed });
    expect(connectUpdateEdit(plan, { ...stored.connectorConfig }).edit).toEqual({});
  });

  it('run again after its own edit, works from the revision before and puts the stored config again', () => {
    const edited: Task = { ...stored, revision: 4, lastOperation: thisUpdate };
    const plan = planConnectUpdate(
      update({ expectedRevision: 3, connectorConfigPatch: { topic: 'in' } }),
      edited,
      thisUpdate,
      secrets,
    );
    expect(plan.task.revision).toBe(3);
    expect(connectUpdateEdit(plan).edit).toEqual({ connectorConfig: edited.connectorConfig });
  });

  it('run again with no config in the input, edits no config', () => {
    const edited: Task = { ...stored, revision: 4, lastOperation: thisUpdate };
    const plan = planConnectUpdate(update({ name: 'renamed' }), edited, thisUpdate, secrets);
    expect(connectUpdateEdit(plan).edit).toEqual({ name: 'renamed' });
  });
});
