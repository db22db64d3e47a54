import type { FieldErrors } from '../domain/validation';
import { validationError } from '../domain/validation';

type Params = Record<string, string[]>;

/**
 * The json-server list protocol over rows held in memory (lists a RAS answers whole, such as the
 * registry's subjects): `_sort`/`_order`, `_start`/`_end` or `_page`/`_perPage`, and `q` over the
 * given text fields. Returns the page and the total match count for X-Total-Count.
 */
export function pageRows<T extends object>(rows: T[], params: Params, options: { sortable: (keyof T & string)[]; searchable: (keyof T & string)[]; defaultSort: keyof T & string }): { items: T[]; total: number } {
  const one = (name: string) => params[name]?.[params[name].length - 1];
  const fields: FieldErrors = {};
  const sort = (one('_sort') ?? one('_sortField') ?? options.defaultSort) as keyof T & string;
  if (!options.sortable.includes(sort)) fields._sort = [`expected one of ${options.sortable.join(', ')}`];
  const order = (one('_order') ?? one('_sortDir') ?? 'ASC').toUpperCase();
  if (order !== 'ASC' && order !== 'DESC') fields._order = ['expected ASC or DESC'];
  const int = (name: string, min: number) => {
    const raw = one(name);
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) fields[name] = [`expected an integer >= ${min}`];
    return n;
  };
  const start = int('_start', 0);
  const end = int('_end', 0);
  const page = int('_page', 1);
  const perPage = int('_perPage', 1) ?? int('_limit', 1);
  if (start !== undefined && end !== undefined && end < start) fields._end = ['expected _end >= _start'];
  if (Object.keys(fields).length > 0) throw validationError('invalid list query', fields);

  const q = one('q')?.trim().toLowerCase();
  const matching = q ? rows.filter((r) => options.searchable.some((f) => String(r[f] ?? '').toLowerCase().includes(q))) : rows;
  const direction = order === 'ASC' ? 1 : -1;
  const sorted = [...matching].sort((a, b) => {
    const x = a[sort];
    const y = b[sort];
    const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return cmp * direction;
  });
  let from = 0;
  let to = sorted.length;
  if (start !== undefined || end !== undefined) {
    from = start ?? 0;
    to = end ?? sorted.length;
  } else if (page !== undefined || perPage !== undefined) {
    const size = perPage ?? sorted.length;
    from = ((page ?? 1) - 1) * size;
    to = from + size;
  }
  return { items: sorted.slice(from, to), total: matching.length };
}
