import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Custom search attributes of DF's workflow runs, so the Temporal UI and CLI can filter runs by task,
 * operation and who asked (`DfTaskId="orders-file"`, `DfOperation="connectAdd"`). All Keyword.
 */
export const DF_TASK_ID = defineSearchAttributeKey('DfTaskId', 'KEYWORD');
export const DF_OPERATION = defineSearchAttributeKey('DfOperation', 'KEYWORD');
export const DF_CATEGORY = defineSearchAttributeKey('DfCategory', 'KEYWORD');
/**
 * Who asked for the run (the name of the caller's API token, `anonymous` on an open API): set by
 * the API when it starts the run, so runs it did not start (schedules, the CLI) have none.
 */
export const DF_ACTOR = defineSearchAttributeKey('DfActor', 'KEYWORD');

/** Every DF search attribute: the worker makes sure the namespace knows them before a run sets one. */
export const DF_SEARCH_ATTRIBUTES = [DF_TASK_ID, DF_OPERATION, DF_CATEGORY, DF_ACTOR] as const;
