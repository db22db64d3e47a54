import { patched, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { RunTags } from '../src/domain/run-tags';
import { DF_CATEGORY, DF_OPERATION, DF_TASK_ID } from '../src/protocol/search-attributes';

/**
 * Marks the run with DF's search attributes and a one-line memo summary. Set by the workflow itself
 * (not by whoever starts it), so runs started with `temporal workflow start` are tagged as well.
 * Behind a patch: runs that began before tagging existed replay without it.
 */
export function tagRun(tags: RunTags): void {
  if (!patched('df-run-tags')) return;
  upsertSearchAttributes([
    { key: DF_OPERATION, value: workflowInfo().workflowType },
    { key: DF_CATEGORY, value: tags.category },
    ...(tags.taskId ? [{ key: DF_TASK_ID, value: tags.taskId }] : []),
  ]);
  upsertMemo({ summary: tags.summary });
}
