import type { DfStatus } from './status';
import type { TaskCategory } from './task';

/**
 * A bulk action: one operation applied to many tasks, each item run as the operation's own
 * workflow (a child of the bulk run), so each keeps its task lock, compensation and history.
 */
export const BULK_ACTIONS = ['pause', 'resume', 'restart', 'stop', 'delete', 'set-config'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** The connect actions a bulk run takes; transforms take delete and set-config. */
const CONNECT_ONLY: readonly BulkAction[] = ['pause', 'resume', 'restart', 'stop'];

/** The categories bulk actions apply to. */
export const BULK_CATEGORIES = ['CONNECT', 'TRANSFORM'] as const;

/** At most this many tasks in one bulk run: its history holds a few events per item. */
export const MAX_BULK_ITEMS = 1000;
export const DEFAULT_BULK_CONCURRENCY = 4;
export const MAX_BULK_CONCURRENCY = 32;

/** Which tasks a filter picks: the list filters (`q`, `status`, `type`) and a category. */
export interface BulkFilter {
  category?: (typeof BULK_CATEGORIES)[number];
  q?: string;
  statuses?: DfStatus[];
  types?: string[];
}

/** What bulkRun takes (the API's request, checked, and an id for the run). */
export interface BulkRunInput {
  bulkId: string;
  action: BulkAction;
  /** Exactly one of ids and filter. */
  ids?: string[];
  filter?: BulkFilter;
  concurrency: number;
  /** set-config: keys to set, or to remove when null. */
  configPatch?: Record<string, string | null>;
}

export interface BulkRequest extends Omit<BulkRunInput, 'bulkId'> {
  /** Answer which tasks the action would touch, and touch none. */
  dryRun: boolean;
}

export type BulkItemState = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';
export const BULK_ITEM_STATES: readonly BulkItemState[] = [
  'pending',
  'running',
  'succeeded',
  'failed',
  'skipped',
  'cancelled',
];

export interface BulkItem {
  id: string;
  /** Absent when no such task exists. */
  category?: TaskCategory;
  state: BulkItemState;
  /** Why an item failed or was skipped: the operation's own message. */
  message?: string;
  /** The item's own run, to follow in the Temporal UI. */
  workflowId?: string;
  /** The task's DF status when its operation ended. */
  status?: string;
}

/** What GET /bulk/:id answers: the run's progress while it runs, its result once it ended. */
export interface BulkProgress {
  bulkId: string;
  action: BulkAction;
  total: number;
  counts: Record<BulkItemState, number>;
  /** Cancelled: the items not started by then are `cancelled`; those under way ended on their own. */
  cancelled: boolean;
  done: boolean;
  items: BulkItem[];
}

/** A target task as the run found it: its id, and its category when it exists. */
export interface BulkTarget {
  id: string;
  category?: TaskCategory;
}

/** The first state of an item: pending, or skipped with the reason the action cannot apply. */
export function plannedItem(action: BulkAction, target: BulkTarget): BulkItem {
  if (!target.category) return { id: target.id, state: 'skipped', message: `no task ${target.id}` };
  if (!(BULK_CATEGORIES as readonly string[]).includes(target.category))
    return {
      id: target.id,
      category: target.category,
      state: 'skipped',
      message: `bulk actions apply to connects and transforms; ${target.id} is ${target.category}`,
    };
  if (target.category === 'TRANSFORM' && CONNECT_ONLY.includes(action))
    return {
      id: target.id,
      category: target.category,
      state: 'skipped',
      message: `${action} applies to connects; transform ${target.id} takes delete or set-config`,
    };
  return { id: target.id, category: target.category, state: 'pending' };
}

export function bulkProgress(
  input: Pick<BulkRunInput, 'bulkId' | 'action'>,
  items: BulkItem[],
  cancelled: boolean,
): BulkProgress {
  const counts = Object.fromEntries(BULK_ITEM_STATES.map((s) => [s, 0])) as Record<BulkItemState, number>;
  for (const item of items) counts[item.state] += 1;
  return {
    bulkId: input.bulkId,
    action: input.action,
    total: items.length,
    counts,
    cancelled,
    done: counts.pending === 0 && counts.running === 0,
    items: items.map((i) => ({ ...i })),
  };
}
