import { z } from 'zod';
import {
  BULK_ACTIONS,
  BULK_CATEGORIES,
  BulkRequest,
  DEFAULT_BULK_CONCURRENCY,
  MAX_BULK_CONCURRENCY,
  MAX_BULK_ITEMS,
} from './bulk';
import { DF_STATUSES, DfStatus, isDfStatus } from './status';
import { parseOrThrow, validationError } from './validation';

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
