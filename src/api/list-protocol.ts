import type { Context } from 'hono';
import { DfError } from '../domain/errors';
import { compareSortValues, RowShape, SortPath, sortPathOf, sortValueOf, unknownSortField } from '../domain/list-sort';
import type { SecretKeys } from '../domain/secrets';
import { DF_STATUSES, DfStatus, isDfStatus } from '../domain/status';
import type { TaskCategory } from '../domain/task';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, TASK_ROW_SHAPE, TaskListQuery } from '../domain/task-query';
import { FieldErrors, validationError } from '../domain/validation';

type Params = Record<string, string[]>;

export interface Page {
  /** The `_sort` field, found in the rows' shape. */
  sort: SortPath;
  order: 'ASC' | 'DESC';
  skip: number;
  limit: number;
  q?: string;
}

/**
 * The json-server list protocol admin UIs speak (react-admin / admin-on-rest, ng-admin):
 * `_sort`/`_order` (or `_sortField`/`_sortDir`), `_start`/`_end` (or `_page`/`_perPage`, `_limit`)
 * and `q`. `_sort` takes any field rows of the `shape` can have. Bad parameters are added to
 * `fields`; without paging a page holds `defaultLimit` items.
 */
function readPage(
  params: Params,
  shape: RowShape,
  defaultSort: string,
  defaultLimit: number,
  fields: FieldErrors,
): Page {
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

  const sortName = params._sort ? '_sort' : params._sortField ? '_sortField' : undefined;
  const sortRaw = (sortName && one(sortName)) || defaultSort;
  const found = sortPathOf(shape, sortRaw);
  if (!found) fields[sortName ?? '_sort'] = [unknownSortField(shape, sortRaw)];
  const sort: SortPath = found ?? { kind: 'field', field: defaultSort, path: [defaultSort] };
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
  return { sort, order: order as 'ASC' | 'DESC', skip, limit, ...(q ? { q } : {}) };
}

/**
 * Paging and order of a list with a natural order (a history by time, `defaultSort`): `_start`/`_end`…,
 * `_order`, and `_sort` by any field of its rows.
 */
export function parsePageQuery(
  params: Params,
  defaultLimit: number,
  shape: RowShape = { fields: ['at'] },
  defaultSort = 'at',
): { skip: number; limit: number; order: 'ASC' | 'DESC'; sort: string } {
  const fields: FieldErrors = {};
  const page = readPage(params, shape, defaultSort, defaultLimit, fields);
  if (page.limit > MAX_PAGE_SIZE) fields._end = [`a page holds at most ${MAX_PAGE_SIZE} items`];
  if (Object.keys(fields).length > 0) throw validationError('invalid list query', fields);
  // In its natural order newest first unless asked otherwise: what someone reading a history wants to see.
  const asked = params._order ?? params._sortDir;
  const order = asked || page.sort.field !== defaultSort ? page.order : 'DESC';
  return { skip: page.skip, limit: page.limit, order, sort: page.sort.field };
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

/**
 * A task list query (GET /ps, /tr, /processor): the protocol above plus a `status` filter. A sort
 * by a secret config key sorts by id: the values are masked in the answer, and their order would
 * tell what they hold.
 */
export function parseListQuery(params: Params, category?: TaskCategory, secretKeys?: SecretKeys): TaskListQuery {
  const fields: FieldErrors = {};
  refuseOperatorParams(params, fields);
  const page = readPage(params, TASK_ROW_SHAPE, 'id', DEFAULT_PAGE_SIZE, fields);
  if (page.limit > MAX_PAGE_SIZE) fields._end = [`a page holds at most ${MAX_PAGE_SIZE} items`];

  const statuses = (params.status ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  const unknown = statuses.filter((s) => !isDfStatus(s));
  if (unknown.length > 0)
    fields.status = [`unknown status ${unknown.join(', ')}; expected one of ${DF_STATUSES.join(', ')}`];
  if (page.q !== undefined && page.q.length > 200) fields.q = ['at most 200 characters'];
  const types = (params.type ?? [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (types.some((t) => t.length > 200)) fields.type = ['at most 200 characters a type'];

  if (Object.keys(fields).length > 0) throw validationError('invalid list query', fields);
  const secret = page.sort.kind === 'map' && secretKeys?.isSecret(page.sort.key);
  return {
    ...(category ? { category } : {}),
    ...(statuses.length ? { statuses: statuses as DfStatus[] } : {}),
    ...(types.length ? { types } : {}),
    ...page,
    sort: secret ? 'id' : page.sort.field,
  };
}

/** How a list held in memory is searched, sorted and paged: see rowsPager. */
export interface RowsListing<T> {
  shape: RowShape;
  searchable: (keyof T & string)[];
  defaultSort: keyof T & string;
}

/** No paging asked for: the whole list, one page (a bound slice() takes, unlike Infinity * 0). */
const ALL_ROWS = Number.MAX_SAFE_INTEGER;

/**
 * The same protocol over rows held in memory (lists a RAS answers whole, such as the registry's
 * subjects), `q` searching the given text fields, `_sort` any field of the rows' `shape` (text
 * in the locale's order). The query is checked here, before the caller reads the rows: a bad
 * parameter costs no call to a RAS. The pager returns the page and the total match count.
 */
export function rowsPager<T extends object>(
  params: Params,
  listing: RowsListing<T>,
): (rows: T[]) => { items: T[]; total: number } {
  const fields: FieldErrors = {};
  refuseOperatorParams(params, fields);
  const page = readPage(params, listing.shape, listing.defaultSort, ALL_ROWS, fields);
  if (Object.keys(fields).length > 0) throw validationError('invalid list query', fields);

  const q = page.q?.toLowerCase();
  const direction = page.order === 'ASC' ? 1 : -1;
  const text = (a: string, b: string) => a.localeCompare(b);
  return (rows) => {
    const matching = q
      ? rows.filter((r) =>
          listing.searchable.some((f) =>
            String(r[f] ?? '')
              .toLowerCase()
              .includes(q),
          ),
        )
      : rows;
    const sorted = matching
      .map((row) => ({ row, value: sortValueOf(row, page.sort) }))
      .sort((a, b) => compareSortValues(a.value, b.value, text) * direction)
      .map((entry) => entry.row);
    return { items: sorted.slice(page.skip, page.skip + page.limit), total: matching.length };
  };
}

/**
 * A list route's answer over rows held in memory: the query checked now (rowsPager), before the
 * route reads its rows; the returned function answers a page of them with X-Total-Count.
 */
export function rowsAnswer<T extends object>(c: Context, listing: RowsListing<T>): (rows: T[]) => Response {
  const pager = rowsPager(c.req.queries(), listing);
  return (rows) => {
    const { items, total } = pager(rows);
    c.header('X-Total-Count', String(total));
    return c.json(items);
  };
}

export function requireParam(value: string | undefined, name: string): string {
  if (!value)
    throw new DfError('VALIDATION_FAILED', `${name} is required`, { details: { fields: { [name]: ['required'] } } });
  return value;
}

/**
 * A list the store sorts and pages (GET /logs): the protocol above over any field of the rows'
 * `shape`, with `q`; its own order (`defaults`) when the caller asks for none.
 */
export function parseStoredListQuery(
  params: Params,
  shape: RowShape,
  defaults: { sort: string; order: 'ASC' | 'DESC' },
): Page {
  const fields: FieldErrors = {};
  refuseOperatorParams(params, fields);
  const page = readPage(params, shape, defaults.sort, DEFAULT_PAGE_SIZE, fields);
  if (page.limit > MAX_PAGE_SIZE) fields._end = [`a page holds at most ${MAX_PAGE_SIZE} items`];
  if (page.q !== undefined && page.q.length > 200) fields.q = ['at most 200 characters'];
  if (Object.keys(fields).length > 0) throw validationError('invalid list query', fields);
  const asked = params._order ?? params._sortDir;
  return { ...page, order: asked ? page.order : defaults.order };
}
