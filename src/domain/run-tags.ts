/** What a run is about: the category of thing it changes or reads. */
export type RunCategory = 'CONNECT' | 'TRANSFORM' | 'SCHEMA' | 'INSTALLED' | 'SYNC' | 'BULK' | 'WEBHOOK';

export interface RunTags {
  category: RunCategory;
  /** The task id or schema subject the run is about; absent for runs about many (lists, syncs). */
  taskId?: string;
  /** One line for the run's memo: what it does, in words. */
  summary: string;
}
