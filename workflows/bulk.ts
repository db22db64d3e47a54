import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  CancellationScope,
  executeChild,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { BulkActivities } from '../activities/bulk';
import { BulkItem, bulkProgress, BulkProgress, BulkRunInput, plannedItem } from '../src/domain/bulk';
import { normaliseCoreKeys } from '../src/domain/connect-config';
import type { Task } from '../src/domain/task';
import { bulkProgressQuery } from '../src/protocol/bulk';
import { DF_ACTOR } from '../src/protocol/search-attributes';
import { messageOf } from '../src/protocol/failure-codec';
import { workflowIds } from '../src/protocol/workflow-ids';
import { connectAction, connectDelete, connectRollback, connectUpdate } from './connect';
import { transformDelete, transformRollback, transformUpdate } from './transform';
import { tagRun } from './run-tags';

const act = proxyActivities<BulkActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10 },
});

/** Memo fields a bulk run passes on to each item's run: who asked is who asked for every item. */
const INHERITED_MEMO = ['dfAudit'];

/**
 * One item as its operation's own workflow, a child of the bulk run: it takes the task's lock,
 * compensates and records its history as when asked alone. Its id is the operation's id keyed by
 * the bulk run, so a replayed bulk run finds the child it started instead of starting a second.
 */
function itemRun(input: BulkRunInput, item: BulkItem): { workflowId: string; run: () => Promise<string> } {
  const key = `bulk-${input.bulkId}`;
  const parentMemo = workflowInfo().memo ?? {};
  const memo = Object.fromEntries(INHERITED_MEMO.filter((k) => k in parentMemo).map((k) => [k, parentMemo[k]]));
  // DfActor too, so a search for who asked finds every item's run beside the bulk run.
  const actor = workflowInfo().typedSearchAttributes.get(DF_ACTOR);
  const options = <A>(workflowId: string, arg: A) => ({
    workflowId,
    args: [arg] as [A],
    // A cancelled or terminated bulk run leaves the items under way to end on their own.
    parentClosePolicy: ParentClosePolicy.ABANDON,
    ...(Object.keys(memo).length ? { memo } : {}),
    ...(actor ? { typedSearchAttributes: [{ key: DF_ACTOR, value: actor }] } : {}),
  });
  const { id } = item;
  const deleted = async (done: Promise<unknown>) => {
    await done;
    return 'DELETED';
  };
  const statusOf = async (done: Promise<Task>) => (await done).status;
  if (input.action === 'rollback') {
    const version = input.version ?? 0;
    if (item.category === 'CONNECT') {
      const workflowId = workflowIds.connectRollback(id, key);
      return { workflowId, run: () => statusOf(executeChild(connectRollback, options(workflowId, { id, version }))) };
    }
    const workflowId = workflowIds.transformRollback(id, key);
    return { workflowId, run: () => statusOf(executeChild(transformRollback, options(workflowId, { id, version }))) };
  }
  if (item.category === 'CONNECT') {
    if (input.action === 'delete') {
      const workflowId = workflowIds.connectDelete(id);
      return { workflowId, run: () => deleted(executeChild(connectDelete, options(workflowId, { id }))) };
    }
    if (input.action === 'set-config') {
      const workflowId = workflowIds.connectUpdate(id, key);
      const patch = normaliseCoreKeys(input.configPatch ?? {});
      return {
        workflowId,
        run: () => statusOf(executeChild(connectUpdate, options(workflowId, { id, connectorConfigPatch: patch }))),
      };
    }
    const action = input.action;
    const workflowId = workflowIds.connectAction(id, action, key);
    const arg = { id, action, ...(action === 'restart' ? { includeTasks: true } : {}) };
    return { workflowId, run: () => statusOf(executeChild(connectAction, options(workflowId, arg))) };
  }
  if (input.action === 'delete') {
    const workflowId = workflowIds.transformDelete(id);
    return { workflowId, run: () => deleted(executeChild(transformDelete, options(workflowId, { id }))) };
  }
  const workflowId = workflowIds.transformUpdate(id, key);
  const patch = input.configPatch ?? {};
  return {
    workflowId,
    run: () => statusOf(executeChild(transformUpdate, options(workflowId, { id, connectorConfigPatch: patch }))),
  };
}

/**
 * bulkRun: one action on many tasks, at most `concurrency` at a time. An item's failure is its
 * own (recorded with the operation's message); the others go on. Cancelling the run starts no
 * further item; those under way end on their own, and the rest are marked cancelled. Progress is
 * the bulkProgress query, and the run's result once it ended.
 */
export async function bulkRun(input: BulkRunInput): Promise<BulkProgress> {
  tagRun({ category: 'BULK', summary: `bulk ${input.action}` });
  let cancelled = false;
  let items: BulkItem[] = [];
  setHandler(bulkProgressQuery, () => bulkProgress(input, items, cancelled));
  CancellationScope.current().cancelRequested.catch(() => {
    cancelled = true;
  });

  const targets = await act.resolveBulkTargets({
    ...(input.ids ? { ids: input.ids } : {}),
    ...(input.filter ? { filter: input.filter } : {}),
  });
  items = targets.map((t) => plannedItem(input.action, t));

  const queue = items.filter((i) => i.state === 'pending');
  const lane = async (): Promise<void> => {
    for (let item = queue.shift(); item && !cancelled; item = queue.shift()) {
      const { workflowId, run } = itemRun(input, item);
      Object.assign(item, { state: 'running', workflowId });
      try {
        item.status = await run();
        item.state = 'succeeded';
      } catch (error) {
        item.state = 'failed';
        item.message =
          error instanceof WorkflowExecutionAlreadyStartedError
            ? `another ${input.action} of ${item.id} is under way`
            : messageOf(error);
      }
    }
  };
  // Items under way finish even when the run is cancelled: cancelling stops what has not started.
  await CancellationScope.nonCancellable(() =>
    Promise.all(Array.from({ length: Math.min(input.concurrency, queue.length) }, lane)),
  );
  for (const item of items) if (item.state === 'pending') item.state = 'cancelled';
  return bulkProgress(input, items, cancelled);
}
