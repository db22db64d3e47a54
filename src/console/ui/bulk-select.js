// @ts-check
// Bulk actions from a list: tick rows, pick an action, and follow one bulk run (POST /bulk) to its
// end. Every item runs as its own operation, so the outcome is per task: the notice counts them and
// the bar lists each failure with the operation's own message.
import { describeError, get, request } from '../api.js';
import { h, fill } from '../dom.js';
import { confirmDialog } from './dialog.js';
import { toast } from './toast.js';

/** @typedef {import('../api-types.js').Task} Task */

/**
 * @typedef {object} BulkItem
 * @property {string} id
 * @property {string} state
 * @property {string} [message]
 * @property {string} [workflowId]
 */
/**
 * @typedef {object} BulkRun
 * @property {string} id
 * @property {string} state
 * @property {Record<string, number>} [counts]
 * @property {number} [total]
 * @property {BulkItem[]} [items]
 * @property {{ message: string }} [error]
 */

/**
 * @typedef {object} BulkAction
 * @property {string} action the API's action name
 * @property {string} label
 * @property {string} done the past tense for the notice ("paused")
 * @property {string} [explain] what happens to each task
 * @property {boolean} [danger]
 * @property {boolean} [config] asks for a config key and value
 * @property {boolean} [version] asks for the version to go back to
 */

/**
 * The bulk actions both connects and transforms take, told what each means for the kind.
 * @param {{ setConfig: string, remove: string }} explain
 * @returns {BulkAction[]}
 */
export function editActions(explain) {
  return [
    { action: 'set-config', label: 'Set config', done: 'updated', config: true, explain: explain.setConfig },
    {
      action: 'rollback',
      label: 'Roll back',
      done: 'rolled back',
      version: true,
      explain: 'Each goes back to that version of its own config history, as a rollback of it would.',
    },
    { action: 'delete', label: 'Delete', done: 'deleted', danger: true, explain: explain.remove },
  ];
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * bulkSelection({noun: 'connects', actions, onDone}) → {column, bar, loaded(items)}: a checkbox
 * column for the list, the bar that acts on what is ticked, and the list's onLoad hook (so "select
 * page" knows the page's rows).
 * @param {{ noun: string, actions: BulkAction[], onDone: () => void }} options
 */
export function bulkSelection({ noun, actions, onDone }) {
  /** @type {Set<string>} */
  const selected = new Set();
  /** @type {Task[]} */
  let page = [];
  const count = h('strong', { 'data-testid': 'bulk-count' });
  const failures = h('ul.bulk-failures', { 'data-testid': 'bulk-failures', hidden: true });
  const buttons = actions.map((a) =>
    h(
      `button.btn.small${a.danger ? '.danger' : ''}`,
      { type: 'button', 'data-testid': `bulk-${a.action}`, onclick: () => void run(a) },
      a.label,
    ),
  );
  const bar = h(
    'div.bulk-bar',
    { 'data-testid': 'bulk-bar', hidden: true, role: 'region', 'aria-label': `Bulk actions on ${noun}` },
    count,
    ...buttons,
    h('button.btn.small.ghost', { type: 'button', 'data-testid': 'bulk-clear', onclick: () => setAll(false) }, 'Clear'),
    failures,
  );
  const selectPage = h(
    'button.btn.small.ghost',
    { type: 'button', 'data-testid': 'bulk-select-page', onclick: () => setAll(true) },
    'Select page',
  );

  function paint() {
    fill(count, `${selected.size} selected`);
    bar.hidden = selected.size === 0 && failures.hidden;
    for (const box of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll('input[data-bulk-id]')))
      box.checked = selected.has(String(box.dataset.bulkId));
  }

  /** @param {boolean} on */
  function setAll(on) {
    if (on) for (const t of page) selected.add(t.id);
    else selected.clear();
    paint();
  }

  /** @param {BulkAction} a */
  async function run(a) {
    const ids = [...selected];
    const key = h('input', { type: 'text', name: 'key', placeholder: 'tasks.max', 'data-testid': 'bulk-config-key' });
    const value = h('input', { type: 'text', name: 'value', placeholder: 'value', 'data-testid': 'bulk-config-value' });
    const version = h('input', {
      type: 'number',
      name: 'version',
      min: '1',
      placeholder: 'version',
      'aria-label': 'Version to go back to',
      'data-testid': 'bulk-version',
    });
    const body = a.config
      ? h('div.inline-fields', key, value)
      : a.version
        ? h('div.inline-fields', version)
        : undefined;
    const asked = await confirmDialog({
      title: `${a.label} ${ids.length} ${noun}?`,
      message: `${a.explain ?? ''} Each runs as its own operation; one that fails does not stop the others. ${ids.join(', ')}`,
      confirmLabel: a.label,
      danger: a.danger,
      ...(body ? { body } : {}),
    });
    if (!asked) return;
    const notice = toast({ kind: 'info', title: `${a.label} ${ids.length} ${noun}…`, sticky: true });
    try {
      const config = a.config
        ? { [/** @type {HTMLInputElement} */ (key).value.trim()]: /** @type {HTMLInputElement} */ (value).value }
        : undefined;
      const res = await request('POST', '/bulk', {
        body: {
          action: a.action,
          ids,
          ...(config ? { config } : {}),
          ...(a.version ? { version: Number(/** @type {HTMLInputElement} */ (version).value) } : {}),
        },
        headers: { Prefer: 'respond-async' },
      });
      const bulkId = /** @type {{ id: string }} */ (res.data).id;
      /** @type {BulkRun} */
      let state;
      for (;;) {
        state = /** @type {BulkRun} */ ((await get(`/bulk/${encodeURIComponent(bulkId)}`)).data);
        const c = state.counts ?? {};
        notice.update({
          title: `${a.label} ${ids.length} ${noun}…`,
          message: `${(c.succeeded ?? 0) + (c.failed ?? 0) + (c.skipped ?? 0)} of ${state.total ?? ids.length} ended`,
        });
        if (state.state !== 'RUNNING') break;
        await sleep(1000);
      }
      if (state.error) throw new Error(state.error.message);
      const c = state.counts ?? {};
      const failed = (state.items ?? []).filter((i) => i.state === 'failed' || i.state === 'skipped');
      notice.update({
        kind: failed.length ? 'error' : 'success',
        title: `${a.label}: ${c.succeeded ?? 0} ${a.done}${failed.length ? `, ${failed.length} not` : ''}`,
        message: failed.length ? 'The bar above the list says why, per task.' : '',
        sticky: failed.length > 0,
      });
      fill(failures, ...failed.map((i) => h('li', h('code', i.id), ` ${i.state}: ${i.message ?? ''}`)));
      failures.hidden = failed.length === 0;
      selected.clear();
      for (const i of failed) selected.add(i.id);
    } catch (error) {
      notice.update({ kind: 'error', title: `${a.label} ${noun} failed`, message: describeError(error), sticky: true });
    }
    paint();
    onDone();
  }

  return {
    bar,
    selectPage,
    /** The list's onLoad: the rows "select page" ticks. @param {Task[]} items */
    loaded(items) {
      page = items;
      paint();
    },
    /** @type {import('./list-view.js').ListColumn<Task>} */
    column: {
      label: '',
      className: 'select-cell',
      render: (t) =>
        h('input', {
          type: 'checkbox',
          'data-bulk-id': t.id,
          'data-testid': 'select-row',
          'aria-label': `Select ${t.name || t.id}`,
          checked: selected.has(t.id),
          onchange: (/** @type {Event} */ e) => {
            if (/** @type {HTMLInputElement} */ (e.target).checked) selected.add(t.id);
            else selected.delete(t.id);
            paint();
          },
        }),
    },
  };
}
