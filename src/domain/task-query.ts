import { DfStatus, isDfStatus } from './status';
import { TASK_CATEGORIES, TaskCategory } from './task';
import { validationError } from './validation';

/** Fields a task list may be sorted by. */
export const TASK_SORT_FIELDS = [
  'id',
  'name',
  'taskSeq',
  'status',
  'connectorType',
  'connectorCategory',
  'description',
  'createdAt',
  'updatedAt',
  'statusAt',
] as const;
export type TaskSortField = (typeof TASK_SORT_FIELDS)[number];

/** One page of a task list: what GET /ps and GET /processor ask the repository. */
export interface TaskListQuery {
  category?: TaskCategory;
  /** Any of these statuses. */
  statuses?: DfStatus[];
  /** Case-insensitive substring of id, name, description or connectorType. */
  q?: string;
  sort: TaskSortField;
  order: 'ASC' | 'DESC';
  skip: number;
  limit: number;
}

export interface TaskPage<T> {
  items: T[];
  /** Matches over all pages (X-Total-Count). */
  total: number;
  /** Stored records left out because they cannot be read as tasks (X-DF-Unreadable-Records). */
  unreadable?: number;
}

export const DEFAULT_PAGE_SIZE = 1000;
export const MAX_PAGE_SIZE = 5000;

/** Fills defaults and checks a query that did not come through the API (workflow input from the CLI). */
export function normaliseTaskListQuery(query: Partial<TaskListQuery>): TaskListQuery {
  const fields: Record<string, string[]> = {};
  if (query.sort !== undefined && !(TASK_SORT_FIELDS as readonly string[]).includes(query.sort))
    fields.sort = [`expected one of ${TASK_SORT_FIELDS.join(', ')}`];
  if (query.order !== undefined && query.order !== 'ASC' && query.order !== 'DESC')
    fields.order = ['expected ASC or DESC'];
  if (query.category !== undefined && !(TASK_CATEGORIES as readonly string[]).includes(query.category))
    fields.category = [`expected one of ${TASK_CATEGORIES.join(', ')}`];
  const bad = (query.statuses ?? []).filter((s) => !isDfStatus(s));
  if (bad.length > 0) fields.statuses = [`unknown status ${bad.join(', ')}`];
  const skip = query.skip ?? 0;
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(skip) || skip < 0) fields.skip = ['expected an integer >= 0'];
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    fields.limit = [`expected an integer from 1 to ${MAX_PAGE_SIZE}`];
  if (Object.keys(fields).length > 0) throw validationError('invalid task list query', fields);
  return {
    ...(query.category ? { category: query.category } : {}),
    ...(query.statuses?.length ? { statuses: query.statuses as DfStatus[] } : {}),
    ...(query.q ? { q: query.q } : {}),
    sort: query.sort ?? 'id',
    order: query.order ?? 'ASC',
    skip,
    limit,
  };
}
