// @ts-check
// Every change DF makes is a Temporal workflow. This runs one from the console and tells the user
// how it went, with a link to its run, including the slow ones the API answers with 202.
import { ApiError, describeError, get } from './api.js';
import { toast } from './ui/toast.js';

/** @typedef {import('./api.js').ApiResponse} ApiResponse */
/** @typedef {import('./api-types.js').Operation} Operation */
/** @typedef {import('./api-types.js').OperationAccepted} OperationAccepted */

/** The workflow a failure names in its details, for the notice's link. */
const workflowIdOf = (/** @type {unknown} */ details) => {
  const id = details && typeof details === 'object' && 'workflowId' in details ? details.workflowId : undefined;
  return id ? String(id) : undefined;
};

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls GET /api/df/ops/<workflowId> until the run ends (about three minutes at most): its result,
 * or an ApiError carrying the workflow's own error.
 * @param {string} statusUrl
 * @returns {Promise<unknown>}
 */
export async function followOperation(statusUrl) {
  const deadline = Date.now() + 180000;
  let wait = 750;
  while (Date.now() < deadline) {
    await sleep(wait);
    wait = Math.min(wait * 1.5, 3000);
    const data = /** @type {Operation} */ ((await get(statusUrl)).data);
    if (data.status === 'RUNNING') continue;
    if (data.status === 'COMPLETED') return data.result;
    /** @type {{ code: string, message: string, details?: unknown }} */
    const e = data.error ?? { code: data.status, message: `the operation ended ${String(data.status).toLowerCase()}` };
    throw new ApiError(400, e.code, e.message, e.details);
  }
  throw new ApiError(0, 'TIMEOUT', 'still running after three minutes; the list shows when it is done');
}

/**
 * runOperation({title: 'Pause orders-src', run: () => request(...)}) → {ok: true, data} with the
 * operation's result, or {ok: false, error} when it failed (the notice says why). `rethrow: true`
 * hands the error to the caller instead, for forms that show it next to their fields.
 * @template R
 * @overload
 * @param {{ title: string, run: () => Promise<ApiResponse>, done?: (result: R) => string, rethrow: true }} operation
 * @returns {Promise<{ ok: true, data: R }>}
 */
/**
 * @template R
 * @overload
 * @param {{ title: string, run: () => Promise<ApiResponse>, done?: (result: R) => string, rethrow?: boolean }} operation
 * @returns {Promise<{ ok: true, data: R } | { ok: false, error: unknown }>}
 */
/**
 * @template R what the operation answers, as its caller's `done` declares it
 * @param {object} operation
 * @param {string} operation.title
 * @param {() => Promise<ApiResponse>} operation.run
 * @param {(result: R) => string} [operation.done] the notice's words for the result
 * @param {boolean} [operation.rethrow]
 * @returns {Promise<{ ok: true, data: R } | { ok: false, error: unknown }>}
 */
export async function runOperation({ title, run, done, rethrow = false }) {
  const notice = toast({ kind: 'info', title: `${title}…`, message: 'Running the workflow', sticky: true });
  try {
    const res = await run();
    if (res.status === 202) {
      const accepted = /** @type {OperationAccepted} */ (res.data);
      const { workflowId, runId } = accepted;
      notice.update({
        title: `${title}: still running`,
        message: 'It takes longer than usual; this notice follows it.',
        workflowId,
        runId,
      });
      const result = /** @type {R} */ (await followOperation(accepted.statusUrl));
      notice.update({
        kind: 'success',
        title: `${title}: done`,
        message: done?.(result) ?? '',
        workflowId,
        runId,
        sticky: false,
      });
      return { ok: true, data: result };
    }
    const data = /** @type {R} */ (res.data);
    notice.update({
      kind: 'success',
      title: `${title}: done`,
      message: done?.(data) ?? '',
      workflowId: res.workflowId,
      runId: res.runId,
      sticky: false,
    });
    return { ok: true, data };
  } catch (error) {
    if (rethrow) {
      notice.remove();
      throw error;
    }
    const workflowId = error instanceof ApiError ? workflowIdOf(error.details) : undefined;
    notice.update({ kind: 'error', title: `${title} failed`, message: describeError(error), workflowId, sticky: true });
    return { ok: false, error };
  }
}
