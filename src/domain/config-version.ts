import type { RowShape } from './list-sort';
import type { StringMap, TaskCategory } from './task';

/**
 * Versions of a task's config: every config DF applies to a connect or a transform (an add, an
 * update that changed the config, a rollback) is kept, numbered 1, 2, 3 … per task, with who
 * applied it, when, and the run that did.
 */

export const VERSION_OPERATIONS = ['add', 'update', 'rollback'] as const;
export type VersionOperation = (typeof VERSION_OPERATIONS)[number];

/** Who a run acted for when its memo names no one (the API runs open, or the CLI started it). */
export const ANONYMOUS_ACTOR = 'anonymous';

/** What an operation asks to keep; the run that keeps it is the calling workflow's. */
export interface ConfigVersionInput {
  taskId: string;
  category: TaskCategory;
  operation: VersionOperation;
  connectorType: string;
  /** The config as applied, secrets in clear (the store seals them). */
  connectorConfig: StringMap;
  actor: string;
  /** A rollback: the version it applied again. */
  restoredVersion?: number;
}

export interface ConfigVersion extends ConfigVersionInput {
  version: number;
  /** ISO time the version was kept. */
  at: string;
  workflowId: string;
  runId: string;
}

/** The fields of a version row: what `_sort` takes. */
export const CONFIG_VERSION_ROW_SHAPE: RowShape = {
  fields: [
    'version',
    'taskId',
    'category',
    'operation',
    'connectorType',
    'actor',
    'at',
    'workflowId',
    'runId',
    'restoredVersion',
  ],
};

/** Where versions are kept: the store in a deployment, memory in workflow specs. */
export interface ConfigVersionStore {
  /**
   * Keeps the version as the next number of its task, once per run: the same run keeping a
   * version again (a retried step) gets the one it kept.
   */
  keep(input: ConfigVersionInput, run: { workflowId: string; runId: string }, at: Date): Promise<ConfigVersion>;
  get(taskId: string, version: number): Promise<ConfigVersion | undefined>;
}

/** What a rollback asks for. */
export interface ConfigRollbackInput {
  id: string;
  version: number;
  /** Refuse the rollback unless the task is still at this revision (If-Match). */
  expectedRevision?: number;
  /** Transforms: savepoint (default) or stateless, as for an update. */
  upgradeMode?: 'savepoint' | 'stateless';
}

/**
 * Who the run acts for, from its memo's `dfAudit.actor` (set by whoever started it); anyone
 * else is `anonymous`. The memo is read defensively: runs started by hand may carry anything.
 */
export function actorOfMemo(memo: Record<string, unknown> | undefined): string {
  const audit = memo?.dfAudit;
  const actor = audit !== null && typeof audit === 'object' ? (audit as Record<string, unknown>).actor : undefined;
  return typeof actor === 'string' && actor.trim() !== '' ? actor.trim().slice(0, 200) : ANONYMOUS_ACTOR;
}
