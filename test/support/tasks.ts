import type { Task } from '../../src/domain/task';

/** A stored transform as workflow specs' fake activities hand it back: running job `jobId`, revision 1. */
export function transformTaskOf(id: string, overrides: Partial<Task> & { jobId: string }): Task {
  const { jobId, ...rest } = overrides;
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id, taskSeq: '1', name: id, description: '', connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A', connectorCategory: 'TRANSFORM', connectUid: id,
    status: 'RUNNING', connectorConfig: {}, jobConfig: { flink_job_id: jobId, source_columns: '{}' },
    createdAt: at, updatedAt: at, statusAt: at, revision: 1, ...rest,
  };
}
