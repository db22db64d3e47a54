// @ts-check
// The audit: every operation the API started and who asked for it (GET /audit, admins only),
// filtered by who, task, operation and time, the filters kept in the URL like the list's own state.
import { ApiError, describeError, get } from '../api.js';
import { fill, formatTime, h, timeAgo } from '../dom.js';
import { href, parseHash, replaceQuery } from '../router.js';
import { temporalRunUrl } from '../settings.js';
import { tag } from '../ui/badge.js';
import { adminOnlyNotice, isForbidden } from '../ui/admin-only.js';
import { listView } from '../ui/list-view.js';
import { errorBox, externalLink, loading, pageHeader } from '../ui/page.js';

/** @typedef {import('../api-types.js').AuditEntry} AuditEntry */

/** The operations the API starts, by workflow type: what the operation filter offers. */
const OPERATIONS = [
  'connectAdd',
  'connectUpdate',
  'connectAction',
  'connectTaskRestart',
  'connectOffsets',
  'connectRollback',
  'connectDelete',
  'transformAdd',
  'transformUpdate',
  'transformRollback',
  'transformSavepoint',
  'transformRestart',
  'transformDelete',
  'jarUpload',
  'jarDelete',
  'schemaAdd',
  'schemaUpdate',
  'bulkRun',
];

/** @type {Record<string, string[]>} where each kind of subject has its page */
const SECTION_OF = { CONNECT: ['connects'], TRANSFORM: ['transforms'], SCHEMA: ['schemas'] };

/**
 * An ISO time as a datetime-local input shows it: the browser's local time, to the second.
 * @param {string | undefined} iso
 */
function localInputValue(iso) {
  const at = iso ? new Date(iso) : undefined;
  if (!at || Number.isNaN(at.getTime())) return '';
  const pad = (/** @type {number} */ n) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

/**
 * A datetime-local input's value as the API takes it: ISO 8601 in UTC, the zone said.
 * @param {string} value
 */
function isoOf(value) {
  const at = value ? new Date(value) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at.toISOString() : '';
}

/**
 * @param {string} id
 * @param {string} label
 * @param {HTMLElement} control
 */
function filterField(id, label, control) {
  return h(
    'div.field',
    { 'data-field': id },
    h('label', { for: id }, label),
    control,
    h('div.field-error', { id: `${id}-error`, role: 'alert', 'data-testid': `error-${id}` }),
  );
}

/**
 * The filter form; `query()` is what the list sends, `onApply` runs when it changes.
 * @param {Record<string, string>} initial the URL's query
 * @param {() => void} onApply
 */
function auditFilters(initial, onApply) {
  const text = (/** @type {string} */ id, /** @type {string} */ placeholder) =>
    h(`input#audit-${id}`, {
      type: 'text',
      value: initial[id] ?? '',
      placeholder,
      autocomplete: 'off',
      spellcheck: 'false',
      'data-testid': `filter-${id}`,
    });
  const actor = text('actor', 'token name, or anonymous');
  const taskId = text('taskId', 'task id or subject');
  const chosen = initial.operation ?? '';
  const operation = h(
    'select#audit-operation',
    { 'data-testid': 'filter-operation' },
    h('option', { value: '' }, 'Any operation'),
    // An operation named in a shared link is kept even when this console does not know it.
    (chosen && !OPERATIONS.includes(chosen) ? [chosen, ...OPERATIONS] : OPERATIONS).map((op) =>
      h('option', { value: op }, op),
    ),
  );
  operation.value = chosen;
  const time = (/** @type {string} */ id) =>
    h(`input#audit-${id}`, {
      type: 'datetime-local',
      step: 1,
      value: localInputValue(initial[id]),
      'data-testid': `filter-${id}`,
    });
  const from = time('from');
  const to = time('to');

  /** @returns {Record<string, string>} */
  function query() {
    return {
      actor: actor.value.trim(),
      taskId: taskId.value.trim(),
      operation: operation.value,
      from: isoOf(from.value),
      to: isoOf(to.value),
    };
  }

  // The API judges the filters (a time range the wrong way round, a value with spaces): its
  // refusal is shown at the filter it names, and the list keeps what it showed.
  async function apply() {
    const q = query();
    for (const slot of form.querySelectorAll('.field-error')) slot.replaceChildren();
    try {
      await get('/audit', { ...q, _start: 0, _end: 1 });
    } catch (error) {
      const fields = error instanceof ApiError ? Object.entries(error.fields) : [];
      for (const [key, messages] of fields)
        form.querySelector(`#audit-${CSS.escape(key)}-error`)?.replaceChildren(...messages.map((m) => h('span', m)));
      if (fields.length > 0) return;
    }
    replaceQuery({ ...parseHash().query, ...q, page: '' });
    onApply();
  }

  const form = h(
    'form.audit-filters.inline-fields',
    {
      'data-testid': 'audit-filters',
      onsubmit: (/** @type {Event} */ e) => {
        e.preventDefault();
        apply();
      },
      onchange: apply,
    },
    filterField('audit-actor', 'Who', actor),
    filterField('audit-taskId', 'Task', taskId),
    filterField('audit-operation', 'Operation', operation),
    filterField('audit-from', 'From', from),
    filterField('audit-to', 'To', to),
    h('button.btn', { type: 'submit', 'data-testid': 'filter-apply' }, 'Apply'),
    h(
      'button.btn.ghost',
      {
        type: 'button',
        'data-testid': 'filter-clear',
        onclick: () => {
          for (const input of [actor, taskId, from, to]) input.value = '';
          operation.value = '';
          apply();
        },
      },
      'Clear',
    ),
  );
  return { el: form, query };
}

/** @param {AuditEntry} e */
function whoCell(e) {
  return h(
    'div.cell-stack',
    { 'data-testid': 'audit-actor' },
    h('span.strong', e.actor),
    tag(e.actor === 'anonymous' ? 'open API' : e.role, e.role === 'admin' ? 'warn' : 'plain'),
  );
}

/** @param {AuditEntry} e */
function taskCell(e) {
  if (!e.taskId) return h('span.muted', e.category === 'BULK' ? 'many (bulk)' : '—');
  const section = e.category ? SECTION_OF[e.category] : undefined;
  return section
    ? h('a', { href: href([...section, e.taskId]), 'data-testid': 'audit-task' }, e.taskId)
    : h('code', e.taskId);
}

/** @param {AuditEntry} e */
function statusTone(e) {
  if (e.status === undefined) return 'busy';
  return e.status >= 400 ? 'bad' : e.status === 202 ? 'busy' : 'ok';
}

/** @type {import('../router.js').Render} */
export async function render(view, { query }) {
  view.append(
    pageHeader({
      title: 'Audit',
      subtitle: 'Every operation the API started: who asked for it, from where, and its run.',
    }),
  );
  const body = h('div', loading());
  view.append(body);
  // One row first: a viewer's 403 is the page's answer, said before any list is drawn.
  try {
    await get('/audit', { _start: 0, _end: 1 });
  } catch (error) {
    fill(body, isForbidden(error) ? adminOnlyNotice('The audit needs') : errorBox(describeError(error)));
    return undefined;
  }

  const filters = auditFilters(query, () => list.reload());
  const list = listView({
    path: '/audit',
    testid: 'audit-list',
    searchPlaceholder: 'Search who, task, operation, path, request id or address',
    searchLabel: 'Search the audit',
    pollMs: 10000,
    defaultSort: { sort: 'at', order: 'desc' },
    query: () => filters.query(),
    rowKey: (/** @type {AuditEntry} */ e) => e.id,
    empty: () => 'No operation matches these filters.',
    columns: [
      { label: 'When', sort: 'at', render: (e) => h('span', { title: formatTime(e.at) }, timeAgo(e.at)) },
      { label: 'Who', sort: 'actor', render: whoCell },
      {
        label: 'Operation',
        sort: 'operation',
        render: (e) =>
          h(
            'div.cell-stack',
            h('code', { 'data-testid': 'audit-operation' }, e.operation),
            h('span.muted.small', `${e.method} ${e.path}`),
          ),
      },
      { label: 'Task', sort: 'taskId', render: taskCell },
      {
        label: 'Answer',
        sort: 'status',
        render: (e) => tag(e.status === undefined ? 'pending' : String(e.status), statusTone(e)),
      },
      { label: 'Request id', sort: 'requestId', render: (e) => h('code.small', e.requestId) },
      { label: 'Client', sort: 'clientAddress', render: (e) => h('code.small', e.clientAddress) },
      {
        label: 'Run',
        render: (e) =>
          externalLink(temporalRunUrl(e.workflowId, e.runId), 'Run', {
            class: 'btn small ghost',
            title: `${e.workflowId} in the Temporal UI`,
            'data-testid': 'audit-run',
          }),
      },
    ],
  });
  fill(body, filters.el, list.el);
  return () => list.stop();
}
