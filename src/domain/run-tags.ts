/**
 * Custom search attributes every DF workflow run sets, so the Temporal UI and CLI can filter runs by
 * task and operation (`DfTaskId="orders-file"`, `DfOperation="connectAdd"`). All Keyword.
 */
export const DF_SEARCH_ATTRIBUTES = ['DfTaskId', 'DfOperation', 'DfCategory'] as const;
export type DfSearchAttribute = (typeof DF_SEARCH_ATTRIBUTES)[number];

/** What a run is about: the category of thing it changes or reads. */
export type RunCategory = 'CONNECT' | 'TRANSFORM' | 'SCHEMA' | 'INSTALLED' | 'SYNC';

export interface RunTags {
  category: RunCategory;
  /** The task id or schema subject the run is about; absent for runs about many (lists, syncs). */
  taskId?: string;
  /** One line for the run's memo: what it does, in words. */
  summary: string;
}
