// @ts-check
// A batch transform's result (GET /tr/:id/result): its first rows as a table, one column per
// field, and how many rows the whole result has.
import { describeError, get } from '../api.js';
import { fill, h } from '../dom.js';
import { errorBox, loading, simpleTable } from './page.js';

/** @typedef {import('../api-types.js').ResultRow} ResultRow */

/** The row counts offered; the API takes 1 to 1000. */
const LIMITS = [10, 50, 200];

/** @param {unknown} value */
function cell(value) {
  if (value === null || value === undefined) return h('span.muted', 'null');
  return h('code', typeof value === 'string' ? value : JSON.stringify(value));
}

/**
 * @param {ResultRow[]} rows
 */
function rowsTable(rows) {
  // Columns in the order they first appear: a result's rows share their fields, bar odd lines.
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return simpleTable(
    columns.map((c) => ({ label: c, className: 'wrap', render: (/** @type {ResultRow} */ r) => cell(r[c]) })),
    rows,
    { empty: 'The result has no rows.', testid: 'result-rows' },
  );
}

/**
 * The result preview of transform `id`: `show(task)` reads it once the task has a result, and again
 * only when the result changed (a rerun); before that it says why there is nothing to show.
 * @param {string} id
 */
export function resultPreview(id) {
  const limit = h(
    'select#result-limit',
    { 'data-testid': 'result-limit' },
    LIMITS.map((n) => h('option', { value: String(n) }, String(n))),
  );
  const note = h('p.muted.small', { 'data-testid': 'result-note' });
  const body = h('div');
  const el = h(
    'div',
    { 'data-testid': 'result-preview' },
    h('div.inline-fields', h('label', { for: 'result-limit' }, 'Show'), limit, h('span.muted', 'rows')),
    note,
    body,
  );
  let shown = '';

  async function read() {
    fill(body, loading('Reading the result…'));
    try {
      const res = await get(`/tr/${encodeURIComponent(id)}/result`, { limit: limit.value });
      const rows = /** @type {ResultRow[] | undefined} */ (res.data) ?? [];
      const total = res.total ?? rows.length;
      note.textContent = `The first ${rows.length} of ${total} row${total === 1 ? '' : 's'}.`;
      fill(body, rowsTable(rows));
    } catch (error) {
      note.textContent = '';
      fill(body, errorBox(describeError(error)));
    }
  }
  limit.addEventListener('change', read);

  return {
    el,
    /** @param {import('../api-types.js').Task} task */
    show(task) {
      const job = task.jobConfig ?? {};
      if (!job.result_path || job.result_rows === undefined) {
        shown = '';
        note.textContent = '';
        fill(body, h('p.muted', `The result can be read once the job has FINISHED; it is ${task.status}.`));
        return;
      }
      const sig = `${job.result_path}|${job.result_rows}`;
      if (sig === shown) return;
      shown = sig;
      read();
    },
  };
}
