// @ts-check
// History: a task's status changes (any task, even one deleted since) and the processing history
// the metadata sink collects per file.
import { ApiError, get } from '../api.js';
import { fill, formatBytes, formatDuration, formatTime, h, timeAgo } from '../dom.js';
import { href, parseHash, replaceQuery } from '../router.js';
import { statusBadge, tag } from '../ui/badge.js';
import { listView } from '../ui/list-view.js';
import { card, pageHeader } from '../ui/page.js';
import { statusHistory } from '../ui/status-history.js';

/** @typedef {import('../api-types.js').Task} Task */

/**
 * @param {string | undefined} selected
 * @param {(id: string) => void} onPick
 */
function taskPicker(selected, onPick) {
  const input = h('input#history-task', {
    type: 'text',
    list: 'history-tasks',
    value: selected ?? '',
    placeholder: 'Task id, e.g. orders-source',
    autocomplete: 'off',
    spellcheck: 'false',
    'data-testid': 'history-task',
  });
  const options = h('datalist#history-tasks');
  // Every task DF knows, as suggestions; a deleted task's id can still be typed.
  get('/processor', { _sort: 'name', _start: 0, _end: 1000 })
    .then((res) => {
      const tasks = /** @type {Task[] | undefined} */ (res.data) ?? [];
      fill(
        options,
        tasks.map((t) => h('option', { value: t.id }, `${t.name} · ${t.connectorCategory}`)),
      );
    })
    .catch(() => undefined);
  const form = h(
    'form.inline-fields',
    {
      onsubmit: (e) => {
        e.preventDefault();
        onPick(input.value.trim());
      },
    },
    h('label', { for: 'history-task' }, 'Task'),
    input,
    options,
    h('button.btn', { type: 'submit' }, 'Show history'),
  );
  input.addEventListener('change', () => onPick(input.value.trim()));
  return form;
}

/** @type {import('../router.js').Render} */
export function render(view, { query }) {
  /** @type {ReturnType<typeof statusHistory> | undefined} */
  let taskList;
  const holder = h('div');
  const pick = (/** @type {string} */ id) => {
    taskList?.stop();
    taskList = undefined;
    replaceQuery({ ...parseHash().query, task: id });
    if (!id) {
      fill(holder, h('p.muted.pad', 'Pick a task to see when its status changed and why.'));
      return;
    }
    taskList = statusHistory(id, { pageSize: 15 });
    const about = h('p.pad', 'Newest first.');
    fill(holder, about, taskList.el);
    // Where the task lives now, if it still does: a deleted task's history stays readable.
    get(`/processor/${encodeURIComponent(id)}`)
      .then(({ data }) => {
        const t = /** @type {Task} */ (data);
        const section =
          t.connectorCategory === 'TRANSFORM'
            ? 'transforms'
            : t.connectorCategory === 'CONNECT'
              ? 'connects'
              : undefined;
        if (section) about.append(' ', h('a', { href: href([section, id]) }, `Open ${t.name || id}`));
      })
      .catch((error) => {
        if (error instanceof ApiError && error.status === 404)
          about.append(' ', h('span.muted', 'The task no longer exists; its history stays.'));
      });
  };

  const processing = listView({
    path: '/hist',
    testid: 'processing-history',
    searchPlaceholder: 'Search task, file, topic, subject or status',
    searchLabel: 'Search processing history',
    pollMs: 10000,
    defaultSort: { sort: 'start_time', order: 'desc' },
    rowKey: (/** @type {import('../api-types.js').HistRow} */ r) => r.id,
    empty: () => 'No files processed yet. The metadata sink records each file a DF file connector sends.',
    columns: [
      { label: 'Task', sort: 'cuid', render: (r) => h('a', { href: href(['connects', r.cuid]) }, r.cuid) },
      { label: 'File', sort: 'file_name', className: 'wrap', render: (r) => h('code', r.file_name) },
      { label: 'Size', sort: 'file_size', className: 'num', render: (r) => formatBytes(r.file_size) },
      { label: 'Records', className: 'num', render: (r) => String(r.records ?? '—') },
      {
        label: 'Topic',
        sort: 'topic_sent',
        render: (r) => (r.topic_sent ? h('code', r.topic_sent) : h('span.muted', '—')),
      },
      {
        label: 'Schema',
        sort: 'schema_subject',
        render: (r) =>
          r.schema_subject
            ? h('a', { href: href(['schemas', r.schema_subject]) }, r.schema_subject)
            : h('span.muted', '—'),
      },
      {
        label: 'Status',
        sort: 'status',
        render: (r) => (r.status === 'End' ? statusBadge('FINISHED', 'sent') : tag(r.status ?? '—', 'busy')),
      },
      {
        label: 'Started',
        sort: 'start_time',
        render: (r) => h('span', { title: formatTime(r.start_time) }, timeAgo(r.start_time)),
      },
      {
        label: 'Took',
        sort: 'process_milliseconds',
        className: 'num',
        render: (r) => formatDuration(r.process_milliseconds),
      },
    ],
  });

  view.append(
    pageHeader({
      title: 'History',
      subtitle: 'Status changes of each task, and every file the file connectors processed.',
    }),
    card('Status history', taskPicker(query.task, pick), holder),
    card('Processing history', processing.el),
  );
  pick(query.task ?? '');
  return () => {
    taskList?.stop();
    processing.stop();
  };
}
