// Every change DF makes is a Temporal workflow. This runs one from the console and tells the user
// how it went, with a link to its run, including the slow ones the API answers with 202.
import { ApiError, describeError, get } from './api.js';
import { toast } from './ui/toast.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls GET /api/df/ops/<workflowId> until the run ends (about three minutes at most): its result,
 * or an ApiError carrying the workflow's own error.
 */
export async function followOperation(statusUrl) {
  const deadline = Date.now() + 180000;
  let wait = 750;
  while (Date.now() < deadline) {
    await sleep(wait);
    wait = Math.min(wait * 1.5, 3000);
    const { data } = await get(statusUrl);
    if (data.status === 'RUNNING') continue;
    if (data.status === 'COMPLETED') return data.result;
    const e = data.error ?? { code: data.status, message: `the operation ended ${String(data.status).toLowerCase()}` };
    throw new ApiError(400, e.code, e.message, e.details);
  }
  throw new ApiError(0, 'TIMEOUT', 'still running after three minutes; the list shows when it is done');
}

/**
 * runOperation({title: 'Pause orders-src', run: () => request(...)}) → {ok: true, data} with the
 * operation's result, or {ok: false, error} when it failed (the notice says why). `rethrow: true`
 * hands the error to the caller instead, for forms that show it next to their fields.
 */
export async function runOperation({ title, run, done, rethrow = false }) {
  const notice = toast({ kind: 'info', title: `${title}…`, message: 'Running the workflow', sticky: true });
  try {
    const res = await run();
    if (res.status === 202) {
      const { workflowId, runId } = res.data;
      notice.update({
        title: `${title}: still running`,
        message: 'It takes longer than usual; this notice follows it.',
        workflowId,
        runId,
      });
      const result = await followOperation(res.data.statusUrl);
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
    notice.update({
      kind: 'success',
      title: `${title}: done`,
      message: done?.(res.data) ?? '',
      workflowId: res.workflowId,
      runId: res.runId,
      sticky: false,
    });
    return { ok: true, data: res.data };
  } catch (error) {
    if (rethrow) {
      notice.remove();
      throw error;
    }
    const workflowId = error?.details?.workflowId;
    notice.update({ kind: 'error', title: `${title} failed`, message: describeError(error), workflowId, sticky: true });
    return { ok: false, error };
  }
}
