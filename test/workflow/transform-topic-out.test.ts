import type { TransformSpec } from '../../activities/flink-job';
import { DfError } from '../../src/domain/errors';
import type { StringMap } from '../../src/domain/task';
import type { TransformAddInput } from '../../src/domain/transform-input';
import { runWorkflow } from '../../src/temporal/run';
import { transformAdd } from '../../workflows/transform';
import { uniqueName } from '../support/stack';
import { transformTaskOf } from '../support/tasks';
import { useWorkflowTestEnv } from '../support/workflow-env';

/**
 * transformAdd's own logic for a SQLA2A whose topic_out Kafka lacks, on a real Temporal dev
 * server with FAKE activities: the topic is created after Flink's check and before the record,
 * the record says so, and a job that cannot be submitted takes the topic it created with it.
 */
describe('Transform add: a missing topic_out is created, and deleted again when the add fails', () => {
  const { client, runWith } = useWorkflowTestEnv();

  function fakes(id: string, opts: { alreadyThere: boolean; submitFails: boolean }, calls: string[]) {
    const input: TransformAddInput = {
      id,
      taskSeq: '1',
      name: id,
      description: '',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: { topic_in: 'in', topic_out: 'out', trans_sql: 'SELECT * FROM `in`' },
    };
    return {
      prepareTransformAdd: async () => input,
      resolveTransformSpec: async (taskId: string, kind: TransformSpec['kind'], config: StringMap) => ({
        taskId,
        kind,
        config,
        sourceColumns: { in: 'id STRING' },
        createTopicOut: { topic: 'out', partitions: 3 },
      }),
      checkTransformJob: async () => {
        calls.push('check');
      },
      ensureTopic: async (topic: string, partitions: number) => {
        calls.push(`ensure ${topic} ${partitions}`);
        return { created: !opts.alreadyThere };
      },
      insertTransformTask: async (_input: TransformAddInput, jobConfig: StringMap) => {
        calls.push(`insert topic_out_created=${jobConfig.topic_out_created}`);
        return transformTaskOf(id, { jobId: jobConfig.flink_job_id, jobConfig, status: 'UNASSIGNED' });
      },
      submitTransformJob: async (_spec: TransformSpec, jobId: string) => {
        calls.push('submit');
        if (opts.submitFails)
          throw new DfError('RAS_CLIENT_ERROR', 'flink-sql-gateway refused the job: no slots', { retryable: false });
        return { jobId, submitted: true };
      },
      readTransformJob: async () => ({ status: 'RUNNING' as const, state: 'RUNNING', terminal: false }),
      recordTaskStatus: async () => transformTaskOf(id, { jobId: 'a'.repeat(32) }),
      cancelJob: async () => {
        calls.push('cancel');
        return { existed: false };
      },
      removeTaskWrittenByThisOperation: async () => {
        calls.push('remove');
        return { removed: true };
      },
      deleteTopic: async (topic: string) => {
        calls.push(`delete ${topic}`);
      },
    };
  }

  const add = (id: string, activities: ReturnType<typeof fakes>) =>
    runWith(activities, (taskQueue) =>
      runWorkflow(client(), transformAdd, { taskQueue, workflowId: uniqueName('add'), args: [{ id }], waitMs: 60000 }),
    );

  it('creates topic_out with the partitions resolved, after the check and before the record, which says so', async () => {
    const id = uniqueName('out');
    const calls: string[] = [];
    await add(id, fakes(id, { alreadyThere: false, submitFails: false }, calls));
    expect(calls).toEqual(['check', 'ensure out 3', 'insert topic_out_created=true', 'submit']);
  });

  it('deletes the topic it created when the job cannot be submitted', async () => {
    const id = uniqueName('out');
    const calls: string[] = [];
    await expect(add(id, fakes(id, { alreadyThere: false, submitFails: true }, calls))).rejects.toMatchObject({
      message: expect.stringMatching(/no slots/),
    });
    expect(calls).toEqual([
      'check',
      'ensure out 3',
      'insert topic_out_created=true',
      'submit',
      'cancel',
      'remove',
      'delete out',
    ]);
  });

  it('leaves a topic someone else created meanwhile, and does not claim it', async () => {
    const id = uniqueName('out');
    const calls: string[] = [];
    await expect(add(id, fakes(id, { alreadyThere: true, submitFails: true }, calls))).rejects.toMatchObject({
      message: expect.stringMatching(/no slots/),
    });
    expect(calls).toEqual([
      'check',
      'ensure out 3',
      'insert topic_out_created=undefined',
      'submit',
      'cancel',
      'remove',
    ]);
  });
});
