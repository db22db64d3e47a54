import type { Task } from '../../src/domain/task';

const AT = '2026-01-01T00:00:00.000Z';

/** A stored connect as workflow specs' fake activities hand it back: RUNNING, revision 1, connector class C. */
export function connectTaskOf(id: string, overrides: Partial<Task> = {}): Task {
  return {
    id,
    taskSeq: '1',
    name: id,
    description: '',
    connectorType: 'CONNECT_SOURCE_X',
    connectorCategory: 'CONNECT',
    connectUid: id,
    status: 'RUNNING',
    connectorConfig: { 'connector.class': 'C', name: id },
    jobConfig: null,
    createdAt: AT,
    updatedAt: AT,
    statusAt: AT,
    revision: 1,
    ...overrides,
  };
}

/** A stored transform as workflow specs' fake activities hand it back: running job `jobId`, revision 1. */
export function transformTaskOf(id: string, overrides: Partial<Task> & { jobId: string }): Task {
  const { jobId, ...rest } = overrides;
  return {
    id,
    taskSeq: '1',
    name: id,
    description: '',
    connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
    connectorCategory: 'TRANSFORM',
    connectUid: id,
    status: 'RUNNING',
    connectorConfig: {},
    jobConfig: { flink_job_id: jobId, source_columns: '{}' },
    createdAt: AT,
    updatedAt: AT,
    statusAt: AT,
    revision: 1,
    ...rest,
  };
}
