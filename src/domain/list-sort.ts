/**
 * `_sort` of the list protocol: any field a row of the list can have, nested ones written with
 * dots (`schema.name`, `connectorConfig.topic_in`). A field no row can have is refused, naming it.
 */

/** The fields rows of one list can have. */
export interface RowShape {
  /** Fields with a known shape, nested ones dotted (`lastOperation.type`). */
  fields: readonly string[];
  /** Maps of any keys: `<map>.<key>` is a field whatever the key, dots in it included (`connectorConfig.tasks.max`). */
  maps?: readonly string[];
  /** Values of any shape (an Avro schema): every dotted path below them is a field (`schema.name`). */
  open?: readonly string[];
  /**
   * Fields holding objects or lists that rows sort by as by their `id` (what comes first of two
   * objects is no one's question, and the store and the memory would answer it differently).
   */
  compound?: readonly string[];
}

/** A `_sort` field found in a RowShape. */
export type SortPath =
  /** A field of known shape; `path` is its segments. */
  | { kind: 'field'; field: string; path: string[] }
  /** One key of a map field. */
  | { kind: 'map'; field: string; map: string; key: string }
  /** A path into a value of any shape. */
  | { kind: 'open'; field: string; path: string[] };

/** The field as a SortPath, or undefined when no row of this shape can have it. */
export function sortPathOf(shape: RowShape, field: string): SortPath | undefined {
  if (shape.compound?.includes(field)) return { kind: 'field', field, path: ['id'] };
  if (shape.fields.includes(field)) return { kind: 'field', field, path: field.split('.') };
  for (const map of shape.maps ?? []) {
    if (field.startsWith(`${map}.`) && field.length > map.length + 1)
      return { kind: 'map', field, map, key: field.slice(map.length + 1) };
  }
  for (const open of shape.open ?? []) {
    const segments = field.split('.');
    if ((field === open || field.startsWith(`${open}.`)) && segments.every((s) => s !== ''))
      return { kind: 'open', field, path: segments };
  }
  return undefined;
}

/** What a refusal of an unknown `_sort` field says: the field, and what rows do have. */
export function unknownSortField(shape: RowShape, field: string): string {
  const nested = [...(shape.maps ?? []), ...(shape.open ?? [])].map((f) => `${f}.<key>`);
  const named = shape.fields.filter((f) => !shape.compound?.includes(f));
  const shown = field.length > 100 ? `${field.slice(0, 100)}…` : field;
  return `no row has a field ${shown}; sortable: ${[...named, ...nested].join(', ')}`;
}

function walk(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const segment of path) {
    if (at === null || typeof at !== 'object' || Array.isArray(at)) return undefined;
    at = (at as Record<string, unknown>)[segment];
  }
  return at;
}

/**
 * The value a row sorts by. A map key is looked up as written, then in the other spelling of its
 * `.`/`_` (the original DataFibers wrote `tasks_max` for Kafka Connect's `tasks.max`).
 */
export function sortValueOf(row: object, sort: SortPath): unknown {
  if (sort.kind !== 'map') return walk(row, sort.path);
  const map = (row as Record<string, unknown>)[sort.map];
  if (map === null || typeof map !== 'object') return undefined;
  const entries = map as Record<string, unknown>;
  if (sort.key in entries) return entries[sort.key];
  const dotted = sort.key.replace(/_/g, '.');
  if (dotted in entries) return entries[dotted];
  const underscored = sort.key.replace(/\./g, '_');
  return underscored in entries ? entries[underscored] : undefined;
}

/** Missing first, then numbers, text, booleans, other values (compared as JSON): MongoDB's order of types, roughly. */
function rank(value: unknown): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return 1;
  if (typeof value === 'string') return 2;
  if (typeof value === 'boolean') return 4;
  return 3;
}

const codeUnitOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Ascending order of two sort values; `text` orders strings (default: by code unit, as MongoDB does). */
export function compareSortValues(
  x: unknown,
  y: unknown,
  text: (a: string, b: string) => number = codeUnitOrder,
): number {
  const rx = rank(x);
  const ry = rank(y);
  if (rx !== ry) return rx - ry;
  if (rx === 0) return 0;
  if (rx === 1) return (x as number) - (y as number);
  if (rx === 2) return text(x as string, y as string);
  if (rx === 4) return Number(x) - Number(y);
  return text(JSON.stringify(x), JSON.stringify(y));
}
