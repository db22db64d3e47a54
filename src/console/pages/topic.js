// @ts-check
// One Kafka topic, as the original console's topic tabs showed it: its partitions and offsets, the
// tasks that read or write it, and a preview of its latest records, decoded.
import { describeError, get } from '../api.js';
import { fill, h, prettyJson, timeAgo } from '../dom.js';
import { href } from '../router.js';
import { statusBadge, tag } from '../ui/badge.js';
import { listView } from '../ui/list-view.js';
import { card, errorBox, loading, pageHeader, simpleTable } from '../ui/page.js';
import { kindLabel } from './transforms.js';

/** @typedef {import('../api-types.js').TopicPartitionRow} TopicPartitionRow */
/** @typedef {import('../api-types.js').PreviewRow} PreviewRow */
/** @typedef {import('../api-types.js').Task} Task */

/** The limits the preview offers; the API takes 1 to 100. */
const PREVIEW_LIMITS = [10, 25, 50, 100];

/** @type {Record<string, string>} */
const PARTIAL_REASON = {
  bytes: 'the preview reads at most 1 MiB of records',
  time: 'the preview waits at most 15 s for records',
};

/**
 * The topic a subject describes: `orders-value` and `orders-key` are the topic `orders`.
 * @param {string} subject
 */
export function topicOfSubject(subject) {
  return subject.replace(/-(value|key)$/, '');
}

/**
 * A link to the topic's page.
 * @param {string} topic
 * @param {import('../dom.js').Attrs} [attrs]
 * @param {string} [label]
 */
export function topicLink(topic, attrs = {}, label = topic) {
  return h('a', { href: href(['topics', topic]), 'data-testid': 'topic-link', ...attrs }, label);
}

/** @param {string} topic */
function partitions(topic) {
  return listView({
    path: `/s2p/${encodeURIComponent(topic)}`,
    testid: 'topic-partitions',
    search: false,
    urlState: false,
    pageSize: 50,
    pollMs: 10000,
    defaultSort: { sort: 'partitionNumber', order: 'asc' },
    rowKey: (/** @type {TopicPartitionRow} */ p) => String(p.partitionNumber),
    empty: () => 'Kafka reports no partitions.',
    columns: [
      { label: 'Partition', sort: 'partitionNumber', className: 'num', render: (p) => String(p.partitionNumber) },
      { label: 'Leader', sort: 'leader', className: 'num', render: (p) => (p.leader < 0 ? 'none' : String(p.leader)) },
      { label: 'Replicas', render: (p) => h('code', p.replicas) },
      { label: 'In sync', render: (p) => h('code', p.insyncReplicas) },
      { label: 'Earliest offset', sort: 'earliestOffset', className: 'num', render: (p) => String(p.earliestOffset) },
      { label: 'Latest offset', sort: 'latestOffset', className: 'num', render: (p) => String(p.latestOffset) },
      {
        label: 'Records',
        className: 'num',
        render: (p) => h('span', { 'data-testid': 'partition-records' }, String(p.latestOffset - p.earliestOffset)),
      },
    ],
  });
}

/** @param {Task} t */
function taskHref(t) {
  return href([t.connectorCategory === 'TRANSFORM' ? 'transforms' : 'connects', t.id]);
}

/** @param {string} topic */
function relatedTasks(topic) {
  return listView({
    path: `/s2t/${encodeURIComponent(topic)}`,
    testid: 'topic-tasks',
    search: false,
    urlState: false,
    pageSize: 20,
    pollMs: 10000,
    defaultSort: { sort: 'name', order: 'asc' },
    rowKey: (/** @type {Task} */ t) => t.id,
    empty: () => 'No connect or transform names this topic.',
    columns: [
      {
        label: 'Task',
        sort: 'name',
        render: (t) =>
          h(
            'div.cell-stack',
            h('a.strong', { href: taskHref(t), 'data-testid': 'task-link' }, t.name || t.id),
            h('code.small.muted', t.id),
          ),
      },
      {
        label: 'Kind',
        sort: 'connectorType',
        render: (t) =>
          h(
            'span',
            tag(t.connectorCategory === 'TRANSFORM' ? 'transform' : 'connect'),
            ' ',
            t.connectorCategory === 'TRANSFORM' ? kindLabel(t.connectorType) : t.connectorType,
          ),
      },
      { label: 'Status', sort: 'status', render: (t) => statusBadge(t.status, t.statusReason) },
    ],
  });
}

/** @param {unknown} key */
function keyCell(key) {
  if (key === null || key === undefined) return h('span.muted', '—');
  return h('code', typeof key === 'string' ? key : JSON.stringify(key));
}

/** @param {PreviewRow[]} rows */
function recordsTable(rows) {
  return simpleTable(
    [
      { label: 'Record', render: (r) => h('code.small', r.id) },
      { label: 'Written', render: (r) => timeAgo(r.timestamp) },
      { label: 'Key', className: 'wrap', render: (r) => keyCell(r.key) },
      {
        label: 'Value',
        className: 'wrap',
        render: (r) =>
          h(
            'div',
            h('pre.code', { 'data-testid': 'record-value' }, r.valueString ?? prettyJson(r.value)),
            r.decodeError ? h('p.muted.small', `Not decoded: ${r.decodeError}`) : null,
          ),
      },
      {
        label: 'Format',
        render: (r) =>
          h('span', tag(r.format), r.schemaId !== undefined ? h('span.muted.small', ` schema ${r.schemaId}`) : ''),
      },
    ],
    rows,
    { empty: 'The topic holds no records.', testid: 'topic-records' },
  );
}

/**
 * The latest records, read when asked: each preview reads Kafka, so it is not polled.
 * @param {string} topic
 */
function preview(topic) {
  const limit = h(
    'select#preview-limit',
    { 'data-testid': 'preview-limit' },
    PREVIEW_LIMITS.map((n) => h('option', { value: String(n) }, String(n))),
  );
  const refresh = h('button.btn.small', { type: 'button', 'data-testid': 'preview-refresh' }, 'Read again');
  const note = h('p.muted.small', { 'data-testid': 'preview-note' });
  const body = h('div', loading('Reading the topic…'));
  const read = async () => {
    refresh.disabled = true;
    fill(body, loading('Reading the topic…'));
    try {
      const res = await get(`/avroconsumer/${encodeURIComponent(topic)}`, { limit: limit.value });
      // Records written in one millisecond tie on time: partition and offset keep their order fixed.
      const answered = /** @type {PreviewRow[] | undefined} */ (res.data) ?? [];
      const rows = [...answered].sort(
        (a, b) => a.timestamp.localeCompare(b.timestamp) || a.partition - b.partition || a.offset - b.offset,
      );
      const partial = res.headers.get('X-DF-Preview-Partial');
      note.textContent = `The latest ${rows.length} record${rows.length === 1 ? '' : 's'}, oldest first${
        partial ? `; cut short: ${PARTIAL_REASON[partial] ?? partial}` : ''
      }.`;
      fill(body, recordsTable(rows));
    } catch (error) {
      note.textContent = '';
      fill(body, errorBox(describeError(error)));
    } finally {
      refresh.disabled = false;
    }
  };
  limit.addEventListener('change', read);
  refresh.addEventListener('click', read);
  read();
  return card(
    'Latest records',
    h('div.inline-fields', h('label', { for: 'preview-limit' }, 'Show'), limit, h('span.muted', 'records'), refresh),
    note,
    body,
  );
}

/** @type {import('../router.js').Render} */
export function render(view, { params }) {
  const { topic } = params;
  const parts = partitions(topic);
  const tasks = relatedTasks(topic);
  view.append(
    pageHeader({
      title: topic,
      subtitle: 'A Kafka topic: its partitions, the tasks that use it and its latest records.',
      crumbs: [['Schemas', ['schemas']], [topic]],
      actions: h('a.btn', { href: href(['schemas', topic]), 'data-testid': 'topic-schema' }, 'Schema'),
    }),
    card('Partitions', parts.el),
    card('Tasks using this topic', tasks.el),
    preview(topic),
  );
  return () => {
    parts.stop();
    tasks.stop();
  };
}
