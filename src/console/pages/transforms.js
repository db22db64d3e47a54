// @ts-check
// The transforms list: DF's Flink jobs, with their live status.
import { h, timeAgo } from '../dom.js';
import { href } from '../router.js';
import { temporalTaskRunsUrl } from '../settings.js';
import { statusBadge, tag, toneOf } from '../ui/badge.js';
import { bulkSelection, editActions } from '../ui/bulk-select.js';
import { listView } from '../ui/list-view.js';
import { externalLink, pageHeader } from '../ui/page.js';
import { statusFilter } from './status-filter.js';
import { transformActionButtons } from './transform-actions.js';

/** @typedef {import('../api-types.js').Task} Task */

/** @type {Record<string, string>} */
const KIND_LABEL = {
  TRANSFORM_EXCHANGE_FLINK_SQLA2A: 'SQL, topic to topic',
  TRANSFORM_EXCHANGE_FLINK_SQL: 'SQL script',
  TRANSFORM_EXCHANGE_FLINK_JAR: 'Jar',
  TRANSFORM_EXCHANGE_FLINK_UDF: 'Jar',
  TRANSFORM_BATCH_FLINK_SQL: 'Batch SQL',
};

export const kindLabel = (/** @type {string} */ type) => KIND_LABEL[type] ?? type;

/** @param {Task} task */
export function streamsBack(task) {
  return String(task.connectorConfig?.stream_back_flag ?? '').toLowerCase() === 'true';
}

/** @type {import('../router.js').Render} */
export function render(view) {
  const filter = statusFilter(() => list.reload());
  const bulk = bulkSelection({
    noun: 'transforms',
    onDone: () => list.refresh(),
    actions: editActions({
      setConfig: 'The key is set on each, as an edit would (a running job moves through a savepoint).',
      remove: 'Jobs stop with a savepoint and DF records are removed.',
    }),
  });
  const list = listView({
    path: '/tr',
    onLoad: (items) => bulk.loaded(items),
    testid: 'transforms-list',
    searchPlaceholder: 'Search name, id, description or type',
    searchLabel: 'Search transforms',
    pollMs: 4000,
    query: () => filter.query(),
    toolbar: [filter.el, bulk.selectPage],
    rowKey: (/** @type {Task} */ t) => t.id,
    empty: () =>
      h('span', 'No transforms yet. ', h('a', { href: href(['transforms', 'new']) }, 'Create the first one'), '.'),
    columns: [
      bulk.column,
      {
        label: 'Name',
        sort: 'name',
        render: (t) =>
          h(
            'div.cell-stack',
            h('a.strong', { href: href(['transforms', t.id]), 'data-testid': 'task-link' }, t.name || t.id),
            h('code.muted.small', t.id),
          ),
      },
      {
        label: 'Kind',
        sort: 'connectorType',
        render: (t) =>
          h(
            'div.cell-stack',
            h('span', kindLabel(t.connectorType)),
            streamsBack(t) ? tag('stream back', 'busy') : null,
          ),
      },
      {
        label: 'Topics',
        render: (t) => {
          const c = t.connectorConfig ?? {};
          const from = c.topic_in;
          const to = c.topic_out ?? c.stream_back_topic;
          if (!from && !to) return h('span.muted', '—');
          return h(
            'span.flow',
            from ? h('code', from) : h('span.muted', 'SQL'),
            h('span.arrow', ' → '),
            to ? h('code', to) : h('span.muted', 'results'),
          );
        },
      },
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
        label: 'Flink job',
        className: 'nowrap',
        render: (t) =>
          t.jobConfig?.flink_job_id ? h('code.small', t.jobConfig.flink_job_id.slice(0, 12)) : h('span.muted', '—'),
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
            h('a.btn.small.ghost', { href: href(['transforms', t.id, 'edit']), 'data-testid': 'action-edit' }, 'Edit'),
            transformActionButtons(t, () => list.refresh()),
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
      title: 'Transforms',
      subtitle: 'Flink jobs DataFibers runs: streaming SQL, SQL scripts, jars and batch queries.',
      actions: h(
        'a.btn.primary',
        { href: href(['transforms', 'new']), 'data-testid': 'new-transform' },
        '+ New transform',
      ),
    }),
    bulk.bar,
    list.el,
  );
  return () => list.stop();
}
