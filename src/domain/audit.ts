import type { RowShape } from './list-sort';
import type { RunCategory } from './run-tags';
import { type FieldErrors, validationError } from './validation';

/** Who the audit says asked when the API runs open (no DF_API_TOKENS): nobody could be told apart. */
export const ANONYMOUS_ACTOR = 'anonymous';

/** The role a caller had; an open API treats every caller as an admin. */
export type AuditRole = 'viewer' | 'admin';

/** Who asked for an operation, as the API saw the request. */
export interface Requester {
  /** The name of the caller's token (DF_API_TOKENS), or `anonymous` when the API runs open. */
  actor: string;
  role: AuditRole;
  /** The request's X-Request-Id (the caller's, or the one the API gave it). */
  requestId: string;
  /** The address of the peer of the request's connection (a proxy's, behind one). */
  clientAddress: string;
}

/** What an operation was about: the task (or schema subject) and its kind, when it has one. */
export interface AuditSubject {
  taskId?: string;
  category?: RunCategory;
}

/** One operation the API started, and who asked for it: a row of GET /audit. */
export interface AuditEntry extends Requester, AuditSubject {
  /** `<workflowId>:<runId>`: a repeat of the request that joins the same run adds no entry. */
  id: string;
  /** When the API started the run (ISO 8601). */
  at: string;
  /** The workflow type (`connectAdd`, `transformUpdate`, …). */
  operation: string;
  workflowId: string;
  runId: string;
  method: string;
  path: string;
  /** The HTTP status the request was answered with; absent while it has not been answered. */
  status?: number;
}

/** The fields of an audit row: what `_sort` takes. */
export const AUDIT_ROW_SHAPE: RowShape = {
  fields: [
    'id',
    'at',
    'actor',
    'role',
    'requestId',
    'clientAddress',
    'taskId',
    'category',
    'operation',
    'workflowId',
    'runId',
    'method',
    'path',
    'status',
  ],
};

const PATH_CATEGORIES: [RegExp, RunCategory][] = [
  [/^\/api\/df\/ps(?:\/([^/]+))?/, 'CONNECT'],
  [/^\/api\/df\/tr(?:\/([^/]+))?/, 'TRANSFORM'],
  [/^\/api\/df\/uploaded_files(?:\/|$)/, 'TRANSFORM'],
  [/^\/api\/df\/schema(?:\/([^/]+))?/, 'SCHEMA'],
  [/^\/api\/df\/bulk(?:\/|$)/, 'BULK'],
];

/**
 * The subject of a request by its path: `/ps/<id>…` a connect, `/tr/<id>…` a transform,
 * `/schema/<subject>` a schema, jar uploads the transforms', `/bulk` many tasks (none named). An
 * add names its id in the body, which the route gives instead.
 */
export function auditSubjectOfPath(path: string): AuditSubject {
  for (const [pattern, category] of PATH_CATEGORIES) {
    const m = pattern.exec(path);
    if (!m) continue;
    return { category, ...(m[1] ? { taskId: decodeURIComponent(m[1]) } : {}) };
  }
  return {};
}

/** The filters of GET /audit, each optional; entries match all given. */
export interface AuditFilter {
  actor?: string;
  taskId?: string;
  operation?: string;
  /** Entries at or after this time. */
  from?: Date;
  /** Entries at or before this time. */
  to?: Date;
}

export const AUDIT_FILTER_NAMES = ['actor', 'taskId', 'operation', 'from', 'to'] as const;

// A date, or a date and time with seconds optional and a zone (Z or ±hh:mm) required: a time
// without a zone would mean another instant on every server.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
const FILTER_TEXT = /^[^\s\u0000-\u001f]{1,200}$/;

/**
 * GET /audit's filters from its query parameters. A filter given twice with different values, a
 * value that cannot match (spaces, over 200 characters) or a time that is not ISO 8601 is refused
 * 400 naming the parameter: a filter DF did not apply would be read as applied.
 */
export function parseAuditFilter(params: Record<string, string[]>): AuditFilter {
  const fields: FieldErrors = {};
  const one = (name: string): string | undefined => {
    const values = params[name];
    if (!values || values.length === 0) return undefined;
    if (new Set(values).size > 1) {
      fields[name] = ['given more than once with different values'];
      return undefined;
    }
    return values[0];
  };
  const text = (name: 'actor' | 'taskId' | 'operation'): string | undefined => {
    const value = one(name);
    if (value === undefined) return undefined;
    if (!FILTER_TEXT.test(value)) {
      fields[name] = ['expected 1 to 200 characters without spaces'];
      return undefined;
    }
    return value;
  };
  const time = (name: 'from' | 'to'): Date | undefined => {
    const value = one(name);
    if (value === undefined) return undefined;
    const at = ISO_TIME.test(value) ? new Date(value) : undefined;
    if (!at || Number.isNaN(at.getTime())) {
      fields[name] = ['expected an ISO 8601 time with its zone, e.g. 2026-12-06T20:00:00Z, or a date'];
      return undefined;
    }
    return at;
  };
  const filter: AuditFilter = {};
  const actor = text('actor');
  const taskId = text('taskId');
  const operation = text('operation');
  const from = time('from');
  const to = time('to');
  if (from && to && from.getTime() > to.getTime()) fields.to = ['expected a time at or after from'];
  if (Object.keys(fields).length > 0) throw validationError('invalid audit filter', fields);
  if (actor !== undefined) filter.actor = actor;
  if (taskId !== undefined) filter.taskId = taskId;
  if (operation !== undefined) filter.operation = operation;
  if (from) filter.from = from;
  if (to) filter.to = to;
  return filter;
}
