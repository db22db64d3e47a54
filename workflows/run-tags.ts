import { defineSearchAttributeKey } from '@temporalio/common';
import { deprecatePatch, upsertMemo, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { RunTags } from '../src/domain/run-tags';

const DF_TASK_ID = defineSearchAttributeKey('DfTaskId', 'KEYWORD');
const DF_OPERATION = defineSearchAttributeKey('DfOperation', 'KEYWORD');
const DF_CATEGORY = defineSearchAttributeKey('DfCategory', 'KEYWORD');

/**
 * Deprecated: every supported history tags its run. The deprecatePatch() call stays while histories
 * with the marker not yet deprecated are supported (fixtures before-release-after-recorded,
 * with-outcome-update and with-update-applied).
 */
export const RUN_TAGS_PATCH = 'df-run-tags';

/**
 * Marks the run with DF's search attributes and a one-line memo summary. Set by the workflow itself
 * (not by whoever starts it), so runs started with `temporal workflow start` are tagged as well.
 */
export function tagRun(tags: RunTags): void {
  deprecatePatch(RUN_TAGS_PATCH);
  upsertSearchAttributes([
    { key: DF_OPERATION, value: workflowInfo().workflowType },
    { key: DF_CATEGORY, value: tags.category },
    ...(tags.taskId ? [{ key: DF_TASK_ID, value: tags.taskId }] : []),
  ]);
  upsertMemo({ summary: tags.summary });
}
