// @ts-check
// The connects list: what runs, in which state, and the everyday actions on each.
import { h, shortClass, timeAgo } from '../dom.js';
import { href } from '../router.js';
import { temporalTaskRunsUrl } from '../settings.js';
import { statusBadge, tag, toneOf } from '../ui/badge.js';
import { bulkSelection, editActions } from '../ui/bulk-select.js';
import { listView } from '../ui/list-view.js';
import { externalLink, pageHeader } from '../ui/page.js';
import { connectActionButtons } from './connect-actions.js';
import { statusFilter } from './status-filter.js';

/** @typedef {import('../api-types.js').Task} Task */

/**
 * Source or sink, from the DF type (CONNECT_SOURCE_…, CONNECT_SINK_…).
 * @param {Task} task
 */
export function directionOf(task) {
  const type = String(task.connectorType ?? '').toUpperCase();
  if (type.includes('_SOURCE')) return 'source';
  if (type.includes('_SINK')) return 'sink';
  return '';
}

/**
 * The topics a connector reads or writes: what data engineers look for first.
 * @param {Task} task
 */
export function topicsOf(task) {
  const c = task.connectorConfig ?? {};
  return c.topic ?? c.topics ?? c['topics.regex'] ?? c.topic_in ?? c.topic_out ?? '';
}

/** @type {import('../router.js').Render} */
export function render(view) {
  const filter = statusFilter(() => list.reload());
  const bulk = bulkSelection({
    noun: 'connects',
    onDone: () => list.refresh(),
    actions: [
      {
        action: 'pause',
        label: 'Pause',
        done: 'paused',
        explain: 'Kafka Connect stops their tasks; offsets are kept.',
      },
      {
        action: 'resume',
        label: 'Resume',
        done: 'resumed',
        explain: 'Their tasks start from the offsets they stopped at.',
      },
      { action: 'restart', label: 'Restart', done: 'restarted', explain: 'Each connector restarts with its tasks.' },
      { action: 'stop', label: 'Stop', done: 'stopped', explain: 'Kafka Connect stops them and frees their tasks.' },
      ...editActions({
        setConfig: 'The key is set on each, as an edit would.',
        remove: 'Connectors and DF records are removed; this cannot be undone.',
      }),
    ],
  });
  const list = listView({
    path: '/ps',
    onLoad: (items) => bulk.loaded(items),
    testid: 'connects-list',
    searchPlaceholder: 'Search name, id, description or type',
    searchLabel: 'Search connects',
    pollMs: 4000,
    query: () => filter.query(),
    toolbar: [filter.el, bulk.selectPage],
    rowKey: (/** @type {Task} */ t) => t.id,
    empty: () =>
      h('span', 'No connects yet. ', h('a', { href: href(['connects', 'new']) }, 'Create the first one'), '.'),
    columns: [
      bulk.column,
      {
        label: 'Name',
        sort: 'name',
        render: (t) =>
          h(
            'div.cell-stack',
            h('a.strong', { href: href(['connects', t.id]), 'data-testid': 'task-link' }, t.name || t.id),
            h('code.muted.small', t.id),
          ),
      },
      {
        label: 'Plugin',
        sort: 'connectorType',
        render: (t) =>
          h(
            'div.cell-stack',
            h('span', shortClass(t.connectorConfig?.['connector.class']) || t.connectorType),
            directionOf(t) ? tag(directionOf(t), directionOf(t)) : null,
          ),
      },
      { label: 'Topic', render: (t) => (topicsOf(t) ? h('code', topicsOf(t)) : h('span.muted', '—')) },
      {
        label: 'Status',
        sort: 'status',
        render: (t) =>
          h(
            'div.cell-stack',
            statusBadge(t.status, t.statusReason),
            t.statusReason
              ? h(`span.reason${toneOf(t.status) === 'bad' ? '.bad' : ''}`, { title: t.statusReason }, t.statusReason)
              : null,
          ),
      },
      {
        label: 'Updated',
        sort: 'updatedAt',
        render: (t) => timeAgo(t.statusAt > t.updatedAt ? t.statusAt : t.updatedAt),
      },
      {
        label: 'Actions',
        className: 'actions-cell',
        render: (t) =>
          h(
            'div.row-actions',
            connectActionButtons(t, () => list.refresh()),
            h('a.btn.small.ghost', { href: href(['connects', t.id, 'edit']), 'data-testid': 'action-edit' }, 'Edit'),
            externalLink(temporalTaskRunsUrl(t.id), 'Runs', {
              class: 'btn small ghost',
              title: 'Every workflow run of this task in Temporal',
            }),
          ),
      },
    ],
  });
  view.append(
    pageHeader({
      title: 'Connects',
      subtitle: 'Kafka Connect connectors DataFibers manages. Statuses refresh every few seconds.',
      actions: h('a.btn.primary', { href: href(['connects', 'new']), 'data-testid': 'new-connect' }, '+ New connect'),
    }),
    bulk.bar,
    list.el,
  );
  return () => list.stop();
}
