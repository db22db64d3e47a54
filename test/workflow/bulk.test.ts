import type { Activities } from '../../activities';
import type { BulkProgress, BulkTarget } from '../../src/domain/bulk';
import { DfError } from '../../src/domain/errors';
import type { DfStatus } from '../../src/domain/status';
import { bulkProgressQuery } from '../../src/protocol/bulk';
import { workflowIds } from '../../src/protocol/workflow-ids';
import { bulkRun } from '../../workflows/bulk';
import { uniqueName } from '../support/stack';
import { connectTaskOf } from '../support/tasks';
import { eventually } from '../support/wait';
import { useWorkflowTestEnv } from '../support/workflow-env';

/**
 * bulkRun on a real Temporal dev server with FAKE activities: each item runs as the connect
 * action's own workflow (a child run), one item's failure stays its own, and cancelling starts no
 * further item while the one under way ends.
 */
describe('bulk actions: one action on many tasks, each as its own operation', () => {
  const { client, runWith } = useWorkflowTestEnv();

  /** Fake Connect steps: each control call is recorded; `control` may fail or hold one. */
  function connectSteps(
    controls: string[],
    control: (name: string) => Promise<void> = async () => undefined,
  ): Partial<Activities> {
    return {
      getConnectTask: async (id: string) => connectTaskOf(id),
      controlConnector: async (name: string) => {
        controls.push(name);
        await control(name);
      },
      awaitConnectStatus: async (_name: string, target: DfStatus) => ({ reading: { status: target }, settled: true }),
      recordTaskStatus: async (id: string, reading: { status: DfStatus }) =>
        connectTaskOf(id, { status: reading.status }),
    };
  }
  const targetsOf = (targets: BulkTarget[]): Partial<Activities> =>
    ({ resolveBulkTargets: async () => targets }) as Partial<Activities>;

  it('pauses every connect named, at most `concurrency` at once; one that fails fails alone, with its message', async () => {
    const bulkId = uniqueName('bulk');
    const ids = Array.from({ length: 6 }, (_, i) => `${bulkId}-c${i}`);
    const controls: string[] = [];
    const result = await runWith(
      {
        ...targetsOf(ids.map((id) => ({ id, category: 'CONNECT' }))),
        ...connectSteps(controls, async (name) => {
          if (name === ids[2]) throw new DfError('CONFLICT', `Connector ${name} is being rebalanced`);
        }),
      },
      (taskQueue) =>
        client().workflow.execute(bulkRun, {
          taskQueue,
          workflowId: workflowIds.bulk(bulkId),
          args: [{ bulkId, action: 'pause', ids, concurrency: 2 }],
        }),
    );
    expect(result.counts).toMatchObject({ succeeded: 5, failed: 1, pending: 0, running: 0, cancelled: 0 });
    expect(result.done).toBe(true);
    expect(result.items.find((i) => i.id === ids[2])).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('being rebalanced'),
      workflowId: workflowIds.connectAction(ids[2], 'pause', `bulk-${bulkId}`),
    });
    for (const item of result.items.filter((i) => i.id !== ids[2]))
      expect(item).toMatchObject({ state: 'succeeded', status: 'PAUSED' });
    expect([...controls].sort()).toEqual([...ids].sort());
  });

  it('skips what the action cannot apply to: an unknown id, a transform asked to pause', async () => {
    const bulkId = uniqueName('bulk');
    const controls: string[] = [];
    const result = await runWith(
      {
        ...targetsOf([
          { id: `${bulkId}-gone` },
          { id: `${bulkId}-job`, category: 'TRANSFORM' },
          { id: `${bulkId}-c`, category: 'CONNECT' },
        ]),
        ...connectSteps(controls),
      },
      (taskQueue) =>
        client().workflow.execute(bulkRun, {
          taskQueue,
          workflowId: workflowIds.bulk(bulkId),
          args: [{ bulkId, action: 'pause', ids: [`${bulkId}-gone`, `${bulkId}-job`, `${bulkId}-c`], concurrency: 4 }],
        }),
    );
    expect(result.items.map((i) => [i.id, i.state])).toEqual([
      [`${bulkId}-gone`, 'skipped'],
      [`${bulkId}-job`, 'skipped'],
      [`${bulkId}-c`, 'succeeded'],
    ]);
    expect(result.items[0].message).toMatch(/no task/);
    expect(result.items[1].message).toMatch(/applies to connects/);
    expect(controls).toEqual([`${bulkId}-c`]);
  });

  it('cancelled, starts no further item: the one under way ends, the rest are cancelled; progress shows it live', async () => {
    const bulkId = uniqueName('bulk');
    const ids = Array.from({ length: 5 }, (_, i) => `${bulkId}-c${i}`);
    const controls: string[] = [];
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const result = await runWith(
      {
        ...targetsOf(ids.map((id) => ({ id, category: 'CONNECT' }))),
        ...connectSteps(controls, (name) => (name === ids[0] ? held : Promise.resolve())),
      },
      async (taskQueue) => {
        const handle = await client().workflow.start(bulkRun, {
          taskQueue,
          workflowId: workflowIds.bulk(bulkId),
          args: [{ bulkId, action: 'stop', ids, concurrency: 1 }],
        });
        const live = await eventually(
          'the first item under way',
          async () => {
            const p: BulkProgress = await handle.query(bulkProgressQuery);
            return p.counts.running === 1 ? p : undefined;
          },
          30000,
          100,
        );
        expect(live).toMatchObject({ total: 5, done: false, cancelled: false });
        expect(live.counts).toMatchObject({ running: 1, pending: 4 });
        await handle.cancel();
        release();
        return handle.result();
      },
    );
    expect(result.cancelled).toBe(true);
    expect(result.items.map((i) => i.state)).toEqual(['succeeded', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(controls).toEqual([ids[0]]);
  });
});
