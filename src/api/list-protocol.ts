import { DfError } from '../domain/errors';
import { DF_STATUSES, DfStatus, isDfStatus } from '../domain/status';
import type { TaskCategory } from '../domain/task';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, TASK_SORT_FIELDS, TaskListQuery, TaskSortField } from '../domain/task-query';
import { FieldErrors, validationError } from '../domain/validation';

type Params = Record<string, string[]>;

export interface Page<S extends string> {
  sort: S;
  order: 'ASC' | 'DESC';
  skip: number;
  limit: number;
  q?: string;
}

/**
 * The json-server list protocol admin UIs speak (react-admin / admin-on-rest, ng-admin):
 * `_sort`/`_order` (or `_sortField`/`_sortDir`), `_start`/`_end` (or `_page`/`_perPage`, `_limit`)
 * and `q`. Bad parameters are added to `fields`; without paging a page holds `defaultLimit` items.
 */
function readPage<S extends string>(
  params: Params,
  sortable: readonly S[],
  defaultSort: S,
  defaultLimit: number,
  fields: FieldErrors,
): Page<S> {
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

  const sortRaw = one('_sort') ?? one('_sortField') ?? defaultSort;
  if (!(sortable as readonly string[]).includes(sortRaw)) fields._sort = [`expected one of ${sortable.join(', ')}`];
  const order = (one('_order') ?? one('_sortDir') ?? 'ASC').toUpperCase();
  if (order !== 'ASC' && order !== 'DESC') fields._order = ['expected ASC or DESC'];

  const start = int('_start', 0);
  const end = int('_end', 0);
  const page = int('_page', 1);
  const perPage = int('_perPage', 1) ?? int('_limit', 1);
  let skip = 0;
  let limit = defaultLimit;
  if (start !== undefined || end !== undefined) {
    skip = start ?? 0;
    if (end !== undefined) {
      if (end < skip) fields._end = ['expected _end >= _start'];
      limit = end - skip;
    }
  } else if (page !== undefined || perPage !== undefined) {
    limit = perPage ?? defaultLimit;
    skip = ((page ?? 1) - 1) * limit;
  }
  const q = one('q')?.trim();
  return { sort: sortRaw as S, order: order as 'ASC' | 'DESC', skip, limit, ...(q ? { q } : {}) };
}

/** Paging and order of a list with one natural order (a history by time): `_start`/`_end`…, `_order`. */
export function parsePageQuery(
  params: Params,
  defaultLimit: number,
): { skip: number; limit: number; order: 'ASC' | 'DESC' } {
  const fields: FieldErrors = {};
  const page = readPage(params, ['at'], 'at', defaultLimit, fields);
  if (page.limit > MAX_PAGE_SIZE) fields._end = [`a page holds at most ${MAX_PAGE_SIZE} items`];
  if (Object.keys(fields).length > 0) throw validationError('invalid list query', fields);
  // Newest first unless asked otherwise: what someone reading a history wants to see.
  const asked = params._order ?? params._sortDir;
  return { skip: page.skip, limit: page.limit, order: asked ? page.order : 'DESC' };
}

/** A task list query (GET /ps, /processor): the protocol above plus a `status` filter. */
/**
 * Query operators (`status[$ne]=…`, `q[$regex]=…`) are refused, not ignored: a caller who sends
 * one expects a filter DF does not apply, and would read the unfiltered answer as filtered.
 */
function refuseOperatorParams(params: Params, fields: FieldErrors): void {
  for (const name of Object.keys(params)) {
    if (/[$[\]]/.test(name))
      fields[name] = ['query operators are not supported: filters take plain values, e.g. status=RUNNING,PAUSED'];
  }
}

export function parseListQuery(params: Params, category?: TaskCategory): TaskListQuery {
  const fields: FieldErrors = {};
  refuseOperatorParams(params, fields);
  const page = readPage<TaskSortField>(params, TASK_SORT_FIELDS, 'id', DEFAULT_PAGE_SIZE, fields);
  if (page.limit > MAX_PAGE_SIZE) fields._end = [`a page holds at most ${MAX_PAGE_SIZE} items`];

  const statuses = (params.status ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const unknown = statuses.filter((s) => !isDfStatus(s));
  if (unknown.length > 0)
    fields.status = [`unknown status ${unknown.join(', ')}; expected one of ${DF_STATUSES.join(', ')}`];
  if (page.q !== undefined && page.q.length > 200) fields.q = ['at most 200 characters'];

  if (Object.keys(fields).length > 0) throw validationError('invalid list query', fields);
  return {
    ...(category ? { category } : {}),
    ...(statuses.length ? { statuses: statuses as DfStatus[] } : {}),
    ...page,
  };
}

/**
 * The same protocol over rows held in memory (lists a RAS answers whole, such as the registry's
 * subjects), `q` searching the given text fields. Returns the page and the total match count.
 */
export function pageRows<T extends object>(
  rows: T[],
  params: Params,
  options: { sortable: (keyof T & string)[]; searchable: (keyof T & string)[]; defaultSort: keyof T & string },
): { items: T[]; total: number } {
  const fields: FieldErrors = {};
  refuseOperatorParams(params, fields);
  const page = readPage(params, options.sortable, options.defaultSort, rows.length, fields);
  if (Object.keys(fields).length > 0) throw validationError('invalid list query', fields);

  const q = page.q?.toLowerCase();
  const matching = q
    ? rows.filter((r) =>
        options.searchable.some((f) =>
          String(r[f] ?? '')
            .toLowerCase()
            .includes(q),
        ),
      )
    : rows;
  const direction = page.order === 'ASC' ? 1 : -1;
  const sorted = [...matching].sort((a, b) => {
    const x = a[page.sort];
    const y = b[page.sort];
    const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return cmp * direction;
  });
  return { items: sorted.slice(page.skip, page.skip + page.limit), total: matching.length };
}

export function requireParam(value: string | undefined, name: string): string {
  if (!value)
    throw new DfError('VALIDATION_FAILED', `${name} is required`, { details: { fields: { [name]: ['required'] } } });
  return value;
}

/**
 * A list the store sorts and pages (GET /logs): the protocol above over `sortable`, with `q`; its
 * own order (`defaults`) when the caller asks for none.
 */
export function parseStoredListQuery<S extends string>(
  params: Params,
  sortable: readonly S[],
  defaults: { sort: S; order: 'ASC' | 'DESC' },
): Page<S> {
  const fields: FieldErrors = {};
  refuseOperatorParams(params, fields);
  const page = readPage(params, sortable, defaults.sort, DEFAULT_PAGE_SIZE, fields);
  if (page.limit > MAX_PAGE_SIZE) fields._end = [`a page holds at most ${MAX_PAGE_SIZE} items`];
  if (page.q !== undefined && page.q.length > 200) fields.q = ['at most 200 characters'];
  if (Object.keys(fields).length > 0) throw validationError('invalid list query', fields);
  const asked = params._order ?? params._sortDir;
  return { ...page, order: asked ? page.order : defaults.order };
}
