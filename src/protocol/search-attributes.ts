import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Custom search attributes every DF workflow run sets, so the Temporal UI and CLI can filter runs by
 * task and operation (`DfTaskId="orders-file"`, `DfOperation="connectAdd"`). All Keyword.
 */
export const DF_TASK_ID = defineSearchAttributeKey('DfTaskId', 'KEYWORD');
export const DF_OPERATION = defineSearchAttributeKey('DfOperation', 'KEYWORD');
export const DF_CATEGORY = defineSearchAttributeKey('DfCategory', 'KEYWORD');

/** Every DF search attribute: the worker makes sure the namespace knows them before a run sets one. */
export const DF_SEARCH_ATTRIBUTES = [DF_TASK_ID, DF_OPERATION, DF_CATEGORY] as const;
