import { RowShape, sortPathOf, unknownSortField } from './list-sort';
import { DfStatus, isDfStatus } from './status';
import { TASK_CATEGORIES, TaskCategory } from './task';
import { validationError } from './validation';

/**
 * The fields of a task row (GET /ps, /tr, /processor): what `_sort` takes. Kept equal to the
 * documented row (the Task schema of the OpenAPI document) by a unit spec.
 */
export const TASK_ROW_SHAPE: RowShape = {
  fields: [
    'id',
    'taskSeq',
    'name',
    'description',
    'connectorType',
    'connectorCategory',
    'connectUid',
    'status',
    'connectorConfig',
    'keySpelling',
    'jobConfig',
    'createdAt',
    'updatedAt',
    'statusAt',
    'statusReason',
    'revision',
    'lastOperation',
    'lastOperation.workflowId',
    'lastOperation.runId',
    'lastOperation.type',
    'savepoints',
    'unreachableSince',
    'autoRestart',
    'autoRestart.enabled',
    'autoRestart.maxRestarts',
    'autoRestart.backoff',
    'restarts',
    'restarts.attempts',
    'restarts.lastAttemptAt',
    'restarts.gaveUp',
    'imported',
  ],
  maps: ['connectorConfig', 'jobConfig'],
  compound: ['connectorConfig', 'jobConfig', 'lastOperation', 'savepoints', 'autoRestart', 'restarts'],
};

/** A field of TASK_ROW_SHAPE: `_sort` of a task list. */
export type TaskSortField = string;

/** One page of a task list: what GET /ps and GET /processor ask the repository. */
export interface TaskListQuery {
  category?: TaskCategory;
  /** Any of these statuses. */
  statuses?: DfStatus[];
  /** Any of these connector types, as the tasks name them. */
  types?: string[];
  /** Case-insensitive substring of id, name, description or connectorType. */
  q?: string;
  /** A field of TASK_ROW_SHAPE, nested ones dotted (`connectorConfig.topic_in`). */
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
  if (query.sort !== undefined && (typeof query.sort !== 'string' || !sortPathOf(TASK_ROW_SHAPE, query.sort)))
    fields.sort = [unknownSortField(TASK_ROW_SHAPE, String(query.sort))];
  if (query.order !== undefined && query.order !== 'ASC' && query.order !== 'DESC')
    fields.order = ['expected ASC or DESC'];
  if (query.category !== undefined && !(TASK_CATEGORIES as readonly string[]).includes(query.category))
    fields.category = [`expected one of ${TASK_CATEGORIES.join(', ')}`];
  const bad = (query.statuses ?? []).filter((s) => !isDfStatus(s));
  if (bad.length > 0) fields.statuses = [`unknown status ${bad.join(', ')}`];
  if (query.types !== undefined && (!Array.isArray(query.types) || query.types.some((t) => typeof t !== 'string')))
    fields.types = ['expected a list of connector types'];
  const skip = query.skip ?? 0;
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(skip) || skip < 0) fields.skip = ['expected an integer >= 0'];
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)
    fields.limit = [`expected an integer from 1 to ${MAX_PAGE_SIZE}`];
  if (Object.keys(fields).length > 0) throw validationError('invalid task list query', fields);
  return {
    ...(query.category ? { category: query.category } : {}),
    ...(query.statuses?.length ? { statuses: query.statuses as DfStatus[] } : {}),
    ...(query.types?.length ? { types: query.types } : {}),
    ...(query.q ? { q: query.q } : {}),
    sort: query.sort ?? 'id',
    order: query.order ?? 'ASC',
    skip,
    limit,
  };
}
