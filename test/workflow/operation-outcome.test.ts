import { DfError } from '../../src/domain/errors';
import type { StatusReading } from '../../src/domain/status';
import { runWorkflow } from '../../src/temporal/run';
import { connectAction } from '../../workflows/connect';
import { uniqueName } from '../support/stack';
import { connectTaskOf } from '../support/tasks';
import { useWorkflowTestEnv } from '../support/workflow-env';

/**
 * The API starts an operation with its outcome update and answers as soon as the operation's
 * steps are recorded: what the run does after them (releasing the task's lock, an activity of its
 * own) does not hold up the answer.
 */
describe('Operation outcome: the early answer', () => {
  const { client, runWith } = useWorkflowTestEnv();

  it("answers with the operation's result while its run is still releasing the task", async () => {
    const id = uniqueName('early');
    let openRelease: () => void = () => undefined;
    const releaseHeld = new Promise<void>((resolve) => {
      openRelease = resolve;
    });
    let released = false;
    const { answer, closedAfterAnswer, runClosed } = await runWith(
      {
        getConnectTask: async (taskId: string) => connectTaskOf(taskId),
        controlConnector: async () => undefined,
        awaitConnectStatus: async () => ({ reading: { status: 'PAUSED' }, settled: true }),
        recordTaskStatus: async (taskId: string, reading: StatusReading) =>
          connectTaskOf(taskId, { status: reading.status }),
        releaseTaskLock: async () => {
          await releaseHeld;
          released = true;
          return {};
        },
      },
      async (taskQueue) => {
        const workflowId = uniqueName('act');
        const outcome = await runWorkflow(client(), connectAction, {
          taskQueue,
          workflowId,
          args: [{ id, action: 'pause' }],
          waitMs: 20_000,
        });
        const { status } = await client().workflow.getHandle(workflowId).describe();
        openRelease();
        await client().workflow.getHandle(workflowId).result();
        return { answer: outcome, closedAfterAnswer: status.name, runClosed: released };
      },
    );
    expect(answer).toMatchObject({ state: 'completed', result: { id, status: 'PAUSED' } });
    expect(closedAfterAnswer).toBe('RUNNING');
    expect(runClosed).toBe(true);
  }, 60_000);

  it("answers with the operation's own failure, from the run's end, when the operation fails", async () => {
    const id = uniqueName('early-fail');
    await expect(
      runWith(
        {
          getConnectTask: async () => {
            throw new DfError('NOT_FOUND', `task ${id} not found`);
          },
        },
        (taskQueue) =>
          runWorkflow(client(), connectAction, {
            taskQueue,
            workflowId: uniqueName('act'),
            args: [{ id, action: 'pause' }],
            waitMs: 20_000,
          }),
      ),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', httpStatus: 404, message: `task ${id} not found` });
  }, 60_000);
});
