import type { TransformJobReading, TransformSpec } from '../../activities/flink-job';
import type { PreparedTransformUpdate } from '../../activities/transform';
import { DfError } from '../../src/domain/errors';
import type { StringMap, Task } from '../../src/domain/task';
import { runWorkflow } from '../../src/temporal/run';
import { transformUpdate } from '../../workflows/transform';
import { uniqueName } from '../support/stack';
import { transformTaskOf } from '../support/tasks';
import { useWorkflowTestEnv } from '../support/workflow-env';

const OLD_JOB = 'a'.repeat(32);

function transformOf(id: string): Task {
  return transformTaskOf(id, {
    jobId: OLD_JOB,
    connectorConfig: { trans_sql: 'SELECT old' },
    jobConfig: { flink_job_id: OLD_JOB, source_columns: '{"in":"id STRING"}' },
    revision: 3,
  });
}

const running: TransformJobReading = { status: 'RUNNING', state: 'RUNNING', terminal: false };
const finished: TransformJobReading = { status: 'FINISHED', state: 'FINISHED', terminal: true };

/**
 * transformUpdate's own logic on a real Temporal dev server with fake activities: when the new
 * version fails to start after the old job stopped with a savepoint, the previous version is
 * resubmitted from that same savepoint and the update is reported as failed.
 */
describe('Transform update: rollback to the previous version', () => {
  const { client, runWith } = useWorkflowTestEnv();

  function fakes(id: string, newJobFails: 'submit' | 'start', calls: string[]) {
    const plan: PreparedTransformUpdate = {
      task: transformOf(id),
      kind: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      edit: { connectorConfig: { trans_sql: 'SELECT new' } },
      newConfig: { trans_sql: 'SELECT new' },
    };
    const submitted: string[] = [];
    return {
      submitted,
      activities: {
        prepareTransformUpdate: async () => plan,
        resolveTransformSpec: async (taskId: string, kind: TransformSpec['kind'], config: StringMap) => ({
          taskId,
          kind,
          config,
          sourceColumns: {},
        }),
        checkTransformJob: async () => undefined,
        readTransformJob: async (jobId: string) => {
          if (jobId === OLD_JOB) return calls.includes('stop') ? finished : running;
          const isNew = submitted[0] === jobId;
          if (isNew && newJobFails === 'start')
            return {
              status: 'FAILED',
              reason: 'Flink job FAILED: boom',
              state: 'FAILED',
              terminal: true,
            } as TransformJobReading;
          return running;
        },
        stopJobWithSavepoint: async () => {
          calls.push('stop');
          return 'trigger';
        },
        savepointProgress: async () => ({ done: true as const, path: 'file:/sp/savepoint-1' }),
        addTaskSavepoint: async () => {
          calls.push('record-savepoint');
          return transformOf(id);
        },
        submitTransformJob: async (spec: TransformSpec, jobId: string, restoreFrom?: string) => {
          submitted.push(jobId);
          calls.push(`submit ${spec.config.trans_sql} from ${restoreFrom}`);
          if (submitted.length === 1 && newJobFails === 'submit') {
            throw new DfError('RAS_SERVER_ERROR', 'flink-sql-gateway failed to run the statement: no slots', {
              retryable: false,
            });
          }
          return { jobId, submitted: true };
        },
        cancelJob: async (jobId: string) => {
          calls.push(`cancel ${jobId === submitted[0] ? 'new' : jobId}`);
          return { existed: true };
        },
        recordTaskJob: async (_id: string, jobConfig: StringMap) => {
          calls.push(`record-job ${jobConfig.flink_job_id === submitted[1] ? 'rollback' : '?'}`);
          return transformOf(id);
        },
        recordTaskStatus: async () => {
          calls.push('record-status');
          return transformOf(id);
        },
        editTask: async () => {
          calls.push('edit');
          return transformOf(id);
        },
      },
    };
  }

  it.each(['submit', 'start'] as const)(
    'new version fails to %s: the old SQL runs again from the same savepoint and the update fails',
    async (how) => {
      const id = uniqueName('rb');
      const calls: string[] = [];
      const { activities, submitted } = fakes(id, how, calls);
      const run = runWith(activities, (taskQueue) =>
        runWorkflow(client(), transformUpdate, {
          taskQueue,
          workflowId: uniqueName('upd'),
          args: [{ id }],
          waitMs: 60000,
        }),
      );
      await expect(run).rejects.toMatchObject({
        message: expect.stringMatching(
          new RegExp(
            `^update of ${id} failed: .*(no slots|boom).*; rolled back to the previous version \\(job ${submitted[1] ?? '[0-9a-f]{32}'}, restored from file:/sp/savepoint-1\\)`,
          ),
        ),
      });
      expect(calls).toEqual([
        'stop',
        'record-savepoint',
        'submit SELECT new from file:/sp/savepoint-1',
        'cancel new',
        'submit SELECT old from file:/sp/savepoint-1',
        'record-job rollback',
        'record-status',
      ]);
      expect(calls).not.toContain('edit');
    },
  );
});
