import { z } from 'zod';
import { DF_STATUSES, DfStatus, isDfStatus } from './status';
import type { TaskCategory } from './task';
import { parseOrThrow, validationError } from './validation';

/**
 * A bulk action: one operation applied to many tasks, each item run as the operation's own
 * workflow (a child of the bulk run), so each keeps its task lock, compensation and history.
 */
export const BULK_ACTIONS = ['pause', 'resume', 'restart', 'stop', 'delete', 'set-config'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** The connect actions a bulk run takes; transforms take delete and set-config. */
const CONNECT_ONLY: readonly BulkAction[] = ['pause', 'resume', 'restart', 'stop'];

/** The categories bulk actions apply to. */
const BULK_CATEGORIES = ['CONNECT', 'TRANSFORM'] as const;

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

const taskIdText = z.string().min(1).max(200);
const filterShape = z
  .object({
    category: z.enum(BULK_CATEGORIES, { error: `expected one of ${BULK_CATEGORIES.join(', ')}` }).optional(),
    q: z.string().max(200).optional(),
    status: z.union([z.string(), z.array(z.string())]).optional(),
    type: z.union([z.string(), z.array(z.string().min(1).max(200))]).optional(),
  })
  .strict();

/** POST /bulk's body, as validated (the OpenAPI document shows it). */
export const bulkRequestBody = z
  .object({
    action: z.enum(BULK_ACTIONS, { error: `expected one of ${BULK_ACTIONS.join(', ')}` }),
    ids: z
      .array(taskIdText)
      .min(1, 'name at least one task')
      .max(MAX_BULK_ITEMS, `at most ${MAX_BULK_ITEMS} tasks`)
      .optional(),
    filter: filterShape.optional(),
    dryRun: z.boolean().optional(),
    concurrency: z.number().int().min(1).max(MAX_BULK_CONCURRENCY).optional(),
    config: z.record(z.string().min(1).max(200), z.union([z.string(), z.null()])).optional(),
  })
  .strict();

/** A comma list or a repeated field as one list of trimmed, non-empty words. */
function words(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** POST /bulk's body checked into a request; what is wrong is named per field. */
export function parseBulkRequest(body: unknown): BulkRequest {
  const b = parseOrThrow(bulkRequestBody, body, 'bulk request');
  const fields: Record<string, string[]> = {};
  if ((b.ids === undefined) === (b.filter === undefined))
    fields.ids = ['give either ids or filter (a filter of {} picks every task)'];
  if (b.ids && new Set(b.ids).size !== b.ids.length) fields.ids = ['a task is named twice'];
  if (b.action === 'set-config' && (!b.config || Object.keys(b.config).length === 0))
    fields.config = ['set-config needs the keys to set, e.g. {"tasks.max": "2"} (null removes a key)'];
  if (b.action !== 'set-config' && b.config !== undefined) fields.config = ['only set-config takes config'];
  const statuses = words(b.filter?.status).map((s) => s.toUpperCase());
  const unknown = statuses.filter((s) => !isDfStatus(s));
  if (unknown.length)
    fields['filter.status'] = [`unknown status ${unknown.join(', ')}; expected one of ${DF_STATUSES.join(', ')}`];
  if (Object.keys(fields).length) throw validationError('invalid bulk request', fields);
  const types = words(b.filter?.type);
  const q = b.filter?.q?.trim();
  return {
    action: b.action,
    ...(b.ids ? { ids: b.ids } : {}),
    ...(b.filter
      ? {
          filter: {
            ...(b.filter.category ? { category: b.filter.category } : {}),
            ...(q ? { q } : {}),
            ...(statuses.length ? { statuses: statuses as DfStatus[] } : {}),
            ...(types.length ? { types } : {}),
          },
        }
      : {}),
    dryRun: b.dryRun ?? false,
    concurrency: b.concurrency ?? DEFAULT_BULK_CONCURRENCY,
    ...(b.config ? { configPatch: b.config } : {}),
  };
}
