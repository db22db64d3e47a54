import { Context } from '@temporalio/activity';
import type { StatusReading } from '../../src/domain/status';
import { uniqueName } from '../support/stack';
import { connectTaskOf } from '../support/tasks';
import { eventually } from '../support/wait';
import { useWorkflowTestEnv } from '../support/workflow-env';
import { connectAction } from '../../workflows/connect';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An operation's steps are local activities recorded when its workflow task completes. If that
 * completion is lost (the worker dies, the task times out), Temporal runs the task again and the
 * steps run again: the task lock must still be held then, or they would run again on top of the
 * next operation's. Worker runs its real lock steps over a FAKE lock store.
 */
describe('Task lock: a lost workflow-task completion', () => {
  const { client, runWith } = useWorkflowTestEnv({
    interceptorModules: [require.resolve('../support/workflow-faults/lose-completion')],
  });

  it('never lets an operation run its steps again after the next operation on the task has run its own', async () => {
    const id = uniqueName('lost');
    const first = uniqueName('first');
    const second = uniqueName('second');
    const steps: string[] = [];
    let lost = 0;
    const results = await runWith(
      {
        getConnectTask: async (taskId: string) => connectTaskOf(taskId),
        controlConnector: async () => {
          const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
          steps.push(workflowId);
          // The first operation holds the task until the second one waits for it.
          if (workflowId === first && steps.length === 1) await sleep(500);
        },
        awaitConnectStatus: async () => ({ reading: { status: 'PAUSED' }, settled: true }),
        recordTaskStatus: async (taskId: string, reading: StatusReading) =>
          connectTaskOf(taskId, { status: reading.status }),
        // The first operation's completion is lost once, after the second has had its turn.
        loseCompletion: async (workflowId: string) => {
          if (workflowId !== first || lost > 0) return false;
          lost++;
          await eventually(
            "the second operation's step",
            async () => steps.includes(second) || undefined,
            8000,
            20,
          ).catch(() => undefined);
          return true;
        },
      },
      async (taskQueue) => {
        const a = client().workflow.execute(connectAction, {
          taskQueue,
          workflowId: first,
          args: [{ id, action: 'pause' }],
        });
        await eventually("the first operation's step", async () => steps.length > 0 || undefined, 10_000, 20);
        const b = client().workflow.execute(connectAction, {
          taskQueue,
          workflowId: second,
          args: [{ id, action: 'pause' }],
        });
        return Promise.all([a, b]);
      },
    );
    expect(lost).toBe(1);
    expect(steps).toEqual([first, second]);
    expect(results).toEqual([
      expect.objectContaining({ id, status: 'PAUSED' }),
      expect.objectContaining({ id, status: 'PAUSED' }),
    ]);
  }, 60_000);
});
