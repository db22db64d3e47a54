import type { Activities } from '../../activities';
import type { TransformJobReading, TransformSpec } from '../../activities/flink-job';
import { createVersionActivities } from '../../activities/versions';
import type { ConnectUpdateInput } from '../../src/domain/connect-input';
import { DfError } from '../../src/domain/errors';
import type { StringMap, Task } from '../../src/domain/task';
import type { TransformUpdateInput } from '../../src/domain/transform-input';
import { runWorkflow } from '../../src/temporal/run';
import { connectRollback } from '../../workflows/connect';
import { transformRollback } from '../../workflows/transform';
import { uniqueName } from '../support/stack';
import { connectTaskOf, transformTaskOf } from '../support/tasks';
import { useWorkflowTestEnv } from '../support/workflow-env';

const OLD_JOB = 'a'.repeat(32);
const running: TransformJobReading = { status: 'RUNNING', state: 'RUNNING', terminal: false };
const finished: TransformJobReading = { status: 'FINISHED', state: 'FINISHED', terminal: true };

/**
 * The rollback workflows' own logic on a real Temporal dev server with fake engine and task steps
 * (the version steps are the real ones over a FAKE in-memory store): a kept version is applied as
 * an update would apply it, a rollback failing half way leaves the task as it was and keeps no
 * version, and a finished rollback is kept as the next version naming who asked.
 */
describe('Rollback to a kept config version', () => {
  const { client, runWith, versions } = useWorkflowTestEnv();

  /** Keeps these configs as versions 1, 2, … of the task, as its add and updates would have. */
  async function kept(task: Task, configs: StringMap[]): Promise<void> {
    for (const [i, connectorConfig] of configs.entries()) {
      await versions().keep(
        {
          taskId: task.id,
          category: task.connectorCategory,
          operation: i === 0 ? 'add' : 'update',
          connectorType: task.connectorType,
          connectorConfig,
          actor: 'anonymous',
        },
        { workflowId: `seed-${task.id}-${i}`, runId: 'r' },
        new Date(),
      );
    }
  }

  /** The version steps over the FAKE store, reading this task. */
  const versionSteps = (task: Task) =>
    createVersionActivities({ versions: versions(), tasks: { require: async () => task } });

  describe('of a connect', () => {
    const fileConfig = (id: string, file: string): StringMap => ({ 'connector.class': 'C', name: id, file });

    /** A connect at /v2 with versions /v1 and /v2, and steps that record each config put. */
    async function connectAt(id: string) {
      const current = connectTaskOf(id, { connectorConfig: fileConfig(id, '/v2'), revision: 2 });
      await kept(current, [fileConfig(id, '/v1'), fileConfig(id, '/v2')]);
      const puts: string[] = [];
      const asked: (ConnectUpdateInput | undefined)[] = [];
      const steps: Partial<Activities> = {
        ...versionSteps(current),
        prepareConnectUpdate: async (input: ConnectUpdateInput) => {
          asked.push(input);
          return { task: current, edit: { connectorConfig: input.connectorConfig } };
        },
        putConnectorConfig: async (_name: string, config: StringMap) => {
          puts.push(config.file);
        },
      };
      return { current, puts, asked, steps };
    }

    it('puts the current config back in Kafka Connect and keeps no version when recording the rollback fails', async () => {
      const id = uniqueName('rbc');
      const { puts, asked, steps } = await connectAt(id);
      const run = runWith(
        {
          ...steps,
          editTask: async () => {
            throw new DfError('CONFLICT', 'task changed meanwhile');
          },
        },
        (taskQueue) =>
          runWorkflow(client(), connectRollback, {
            taskQueue,
            workflowId: uniqueName('rollback'),
            args: [{ id, version: 1, expectedRevision: 2 }],
            waitMs: 30000,
          }),
      );
      await expect(run).rejects.toMatchObject({ code: 'CONFLICT', httpStatus: 409 });
      // The update path took version 1's whole config, with the revision the caller read.
      expect(asked).toEqual([{ id, connectorConfig: fileConfig(id, '/v1'), expectedRevision: 2 }]);
      expect(puts).toEqual(['/v1', '/v2']);
      expect(
        versions()
          .of(id)
          .map((v) => v.version),
      ).toEqual([1, 2]);
    });

    it("applies the version and keeps it as the next one, naming who the run's memo says asked", async () => {
      const id = uniqueName('rbc');
      const { current, puts, steps } = await connectAt(id);
      const rolledBack = { ...current, connectorConfig: fileConfig(id, '/v1'), revision: 3 };
      await runWith(
        {
          ...steps,
          editTask: async () => rolledBack,
          awaitConnectApplied: async () => ({ reading: { status: 'RUNNING' }, settled: true }),
          recordTaskStatus: async () => rolledBack,
        },
        (taskQueue) =>
          client().workflow.execute(connectRollback, {
            taskQueue,
            workflowId: uniqueName('rollback'),
            args: [{ id, version: 1 }],
            memo: { dfAudit: { actor: 'alice' } },
          }),
      );
      expect(puts).toEqual(['/v1']);
      expect(versions().of(id)[2]).toMatchObject({
        version: 3,
        operation: 'rollback',
        restoredVersion: 1,
        actor: 'alice',
        connectorConfig: fileConfig(id, '/v1'),
      });
    });

    it('refuses an unknown version with 404 before Kafka Connect is asked anything', async () => {
      const id = uniqueName('rbc');
      const { puts, asked, steps } = await connectAt(id);
      const run = runWith(steps, (taskQueue) =>
        runWorkflow(client(), connectRollback, {
          taskQueue,
          workflowId: uniqueName('rollback'),
          args: [{ id, version: 7 }],
          waitMs: 30000,
        }),
      );
      await expect(run).rejects.toMatchObject({
        code: 'NOT_FOUND',
        httpStatus: 404,
        message: `connect ${id} has no version 7`,
      });
      expect(asked).toEqual([]);
      expect(puts).toEqual([]);
    });
  });

  describe('of a transform', () => {
    it('resubmits the current SQL from the savepoint and keeps no version when the restored version fails to start', async () => {
      const id = uniqueName('rbt');
      const current = transformTaskOf(id, {
        jobId: OLD_JOB,
        connectorConfig: { trans_sql: 'SELECT v2' },
        jobConfig: { flink_job_id: OLD_JOB, source_columns: '{}' },
        revision: 2,
      });
      await kept(current, [{ trans_sql: 'SELECT v1' }, { trans_sql: 'SELECT v2' }]);
      const calls: string[] = [];
      const submitted: string[] = [];
      const run = runWith(
        {
          ...versionSteps(current),
          prepareTransformUpdate: async (input: TransformUpdateInput) => ({
            task: current,
            kind: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
            edit: { connectorConfig: input.connectorConfig },
            newConfig: input.connectorConfig,
          }),
          resolveTransformSpec: async (taskId: string, kind: TransformSpec['kind'], config: StringMap) => ({
            taskId,
            kind,
            config,
            sourceColumns: {},
          }),
          checkTransformJob: async () => undefined,
          readTransformJob: async (jobId: string) => {
            if (jobId === OLD_JOB) return calls.includes('stop') ? finished : running;
            if (jobId === submitted[0])
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
          addTaskSavepoint: async () => current,
          submitTransformJob: async (spec: TransformSpec, jobId: string, restoreFrom?: string) => {
            submitted.push(jobId);
            calls.push(`submit ${spec.config.trans_sql} from ${restoreFrom}`);
            return { jobId, submitted: true };
          },
          cancelJob: async (jobId: string) => {
            calls.push(`cancel ${jobId === submitted[0] ? 'restored' : jobId}`);
            return { existed: true };
          },
          recordTaskJob: async () => {
            calls.push('record-job');
            return current;
          },
          recordTaskStatus: async () => current,
          editTask: async () => {
            calls.push('edit');
            return current;
          },
        },
        (taskQueue) =>
          runWorkflow(client(), transformRollback, {
            taskQueue,
            workflowId: uniqueName('rollback'),
            args: [{ id, version: 1 }],
            waitMs: 60000,
          }),
      );
      await expect(run).rejects.toMatchObject({
        message: expect.stringMatching(new RegExp(`^rollback of ${id} failed: .*boom.*; rolled back to the previous`)),
      });
      expect(calls).toEqual([
        'stop',
        'submit SELECT v1 from file:/sp/savepoint-1',
        'cancel restored',
        'submit SELECT v2 from file:/sp/savepoint-1',
        'record-job',
      ]);
      expect(
        versions()
          .of(id)
          .map((v) => v.version),
      ).toEqual([1, 2]);
    });
  });
});
