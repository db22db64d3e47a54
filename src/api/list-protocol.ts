import { DfError } from '../domain/errors';
import { DF_STATUSES, DfStatus, isDfStatus } from '../domain/status';
import type { TaskCategory } from '../domain/task';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, TASK_SORT_FIELDS, TaskListQuery, TaskSortField } from '../domain/task-query';
import { FieldErrors, validationError } from '../domain/validation';

type Params = Record<string, string[]>;

/**
 * The json-server list protocol admin UIs speak (react-admin / admin-on-rest, ng-admin):
 * `_sort`/`_order` (or `_sortField`/`_sortDir`), `_start`/`_end` (or `_page`/`_perPage`, `_limit`),
 * `q` full-text search and a `status` filter. The total goes back in X-Total-Count.
 */
export function parseListQuery(params: Params, category?: TaskCategory): TaskListQuery {
  const fields: FieldErrors = {};
  const one = (name: string): string | undefined => params[name]?.[params[name].length - 1];
  const int = (name: string, min: number): number | undefined => {
    const raw = one(name);
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      fields[name] = [`expected an integer >= ${min}`];
      return undefined;
    }
    return n;
  };

  const sortRaw = one('_sort') ?? one('_sortField') ?? 'id';
  const sort = (TASK_SORT_FIELDS as readonly string[]).includes(sortRaw) ? (sortRaw as TaskSortField) : undefined;
  if (!sort) fields._sort = [`expected one of ${TASK_SORT_FIELDS.join(', ')}`];
  const orderRaw = (one('_order') ?? one('_sortDir') ?? 'ASC').toUpperCase();
  if (orderRaw !== 'ASC' && orderRaw !== 'DESC') fields._order = ['expected ASC or DESC'];

  const start = int('_start', 0);
  const end = int('_end', 0);
  const page = int('_page', 1);
  const perPage = int('_perPage', 1) ?? int('_limit', 1);
  let skip = 0;
  let limit = DEFAULT_PAGE_SIZE;
  if (start !== undefined || end !== undefined) {
    skip = start ?? 0;
    if (end !== undefined) {
      if (end < skip) fields._end = ['expected _end >= _start'];
      limit = end - skip;
    }
  } else if (page !== undefined || perPage !== undefined) {
    limit = perPage ?? DEFAULT_PAGE_SIZE;
    skip = ((page ?? 1) - 1) * limit;
  }
  if (limit > MAX_PAGE_SIZE) fields._end = [`a page holds at most ${MAX_PAGE_SIZE} items`];

  const statuses = (params.status ?? []).flatMap((s) => s.split(',')).map((s) => s.trim().toUpperCase()).filter(Boolean);
  const unknown = statuses.filter((s) => !isDfStatus(s));
  if (unknown.length > 0) fields.status = [`unknown status ${unknown.join(', ')}; expected one of ${DF_STATUSES.join(', ')}`];

  const q = one('q')?.trim();
  if (q !== undefined && q.length > 200) fields.q = ['at most 200 characters'];

  if (Object.keys(fields).length > 0) throw validationError('invalid list query', fields);
  return {
    ...(category ? { category } : {}),
    ...(statuses.length ? { statuses: statuses as DfStatus[] } : {}),
    ...(q ? { q } : {}),
    sort: sort!,
    order: orderRaw as 'ASC' | 'DESC',
    skip,
    limit,
  };
}

export function requireParam(value: string | undefined, name: string): string {
  if (!value) throw new DfError('VALIDATION_FAILED', `${name} is required`, { details: { fields: { [name]: ['required'] } } });
  return value;
}
