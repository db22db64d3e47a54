// @ts-check
// One way to talk to the DF API: token on every call, the API's error shape turned into ApiError,
// and the headers the console cares about (list totals, the workflow that ran) read once here.
import { askForToken, getToken } from './auth.js';

/** @typedef {import('./api-types.js').ErrorBody} ErrorBody */

/** @typedef {Record<string, string | number | boolean | null | undefined>} Query */

/**
 * @typedef {object} RequestOptions
 * @property {Query} [query]
 * @property {unknown} [body] sent as JSON
 * @property {FormData} [form] sent as multipart/form-data instead (a jar upload)
 * @property {Record<string, string>} [headers]
 * @property {AbortSignal} [signal]
 * @property {boolean} [noSignIn] a 401 is thrown instead of asking for a token
 */

/**
 * An answer; `data` is the parsed body, typed by the caller from api-types.js.
 * @typedef {object} ApiResponse
 * @property {number} status
 * @property {unknown} data
 * @property {number} [total] X-Total-Count: the whole list's length
 * @property {string} [workflowId]
 * @property {string} [runId]
 * @property {boolean} stale
 * @property {Headers} headers the rest, for what one page alone reads
 */

export class ApiError extends Error {
  /**
   * @param {number} status the HTTP status, 0 when there was no answer
   * @param {string} code
   * @param {string} message
   * @param {unknown} [details]
   */
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /**
   * Per-field messages of a VALIDATION_FAILED answer: {"connectorConfig.topic": ["..."]}.
   * @returns {Record<string, string[]>}
   */
  get fields() {
    const fields =
      this.details && typeof this.details === 'object' && 'fields' in this.details ? this.details.fields : undefined;
    return fields && typeof fields === 'object' ? /** @type {Record<string, string[]>} */ (fields) : {};
  }
}

/**
 * @param {string} path
 * @param {Query} [query]
 */
function urlOf(path, query) {
  const url = new URL(path.startsWith('/api/') ? path : `/api/df${path}`, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    url.searchParams.set(key, String(value));
  }
  return url;
}

/**
 * @param {Response} res
 * @returns {Promise<unknown>}
 */
async function readBody(res) {
  const text = await res.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The API's error, or words for an answer that is not in its shape (a proxy's 502, say).
 * @param {Response} res
 * @param {unknown} body
 */
function errorOf(res, body) {
  const e = body && typeof body === 'object' ? /** @type {Partial<ErrorBody>} */ (body).error : undefined;
  if (e && typeof e === 'object' && typeof e.message === 'string')
    return new ApiError(res.status, e.code ?? 'ERROR', e.message, e.details);
  const text = typeof body === 'string' && body.length < 300 ? `: ${body}` : '';
  return new ApiError(
    res.status,
    res.status >= 500 ? 'INTERNAL' : 'ERROR',
    `HTTP ${res.status} ${res.statusText}${text}`,
  );
}

/**
 * request('POST', '/ps', {body}) → {status, data, total, workflowId, runId, stale}. Throws ApiError
 * for any non-2xx. A 401 opens the sign-in dialog and, once a token is given, sends the request
 * again: nothing was done the first time, so repeating it is safe.
 * @param {string} method
 * @param {string} path under /api/df, or a full /api/... path
 * @param {RequestOptions} [options]
 * @returns {Promise<ApiResponse>}
 */
export async function request(method, path, options = {}) {
  const url = urlOf(path, options.query);
  for (;;) {
    /** @type {Record<string, string>} */
    // The console shows and edits connect configs in Kafka Connect's spelling, whatever a task was created with.
    const headers = { Accept: 'application/json', 'X-DF-Key-Spelling': 'dotted', ...(options.headers ?? {}) };
    const token = getToken();
    if (token) headers.Authorization = `Bearer ${token}`;
    /** @type {string | FormData | undefined} */
    let body = options.form;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    let res;
    try {
      res = await fetch(url, { method, headers, body, signal: options.signal });
    } catch (error) {
      if (error && /** @type {{ name?: unknown }} */ (error).name === 'AbortError') throw error;
      throw new ApiError(0, 'UNREACHABLE', 'Cannot reach the DataFibers API. Is it running?');
    }
    const data = await readBody(res);
    if (res.status === 401 && !options.noSignIn) {
      const message = errorOf(res, data).message;
      if (await askForToken(token ? `The token was refused (${message}). Enter another one.` : undefined)) continue;
      throw new ApiError(401, 'UNAUTHORIZED', 'Sign in to continue: this API needs a token.');
    }
    if (!res.ok) throw errorOf(res, data);
    const total = res.headers.get('X-Total-Count');
    return {
      status: res.status,
      data,
      total: total === null ? undefined : Number(total),
      workflowId: res.headers.get('X-DF-Workflow-Id') ?? undefined,
      runId: res.headers.get('X-DF-Run-Id') ?? undefined,
      stale: res.headers.get('X-DF-Stale') === 'true',
      headers: res.headers,
    };
  }
}

/**
 * @param {string} path
 * @param {Query} [query]
 * @param {RequestOptions} [options]
 */
export const get = (path, query, options = {}) => request('GET', path, { ...options, query });

/**
 * What to tell a person about a failure: the API's message, with a hint for auth refusals.
 * @param {unknown} error
 */
export function describeError(error) {
  if (error instanceof ApiError) {
    if (error.status === 403 || error.code === 'FORBIDDEN')
      return `Your token may only read — ${error.message}. Sign in with an admin token to make changes.`;
    return error.message;
  }
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string')
    return error.message;
  return String(error);
}
