// @ts-check
// One connect: its state and why, the live tasks as Kafka Connect reports them, its config, its
// offsets and config versions, its status history and log lines, with the actions at hand.
import { describeError, get } from '../api.js';
import { fill, h, shortClass, timeAgo, formatTime } from '../dom.js';
import { href, navigate } from '../router.js';
import { temporalRunUrl, temporalTaskRunsUrl } from '../settings.js';
import { statusBadge } from '../ui/badge.js';
import { connectOffsetsCard } from '../ui/connect-offsets.js';
import { card, details, externalLink, loading, pageHeader, simpleTable } from '../ui/page.js';
import { poll } from '../ui/poll.js';
import { readTaskOrGone } from '../ui/task-read.js';
import { statusHistory } from '../ui/status-history.js';
import { taskLogs } from '../ui/task-logs.js';
import { versionsCard } from '../ui/versions.js';
import { connectActionButtons } from './connect-actions.js';
import { directionOf } from './connects.js';
import { topicLink } from './topic.js';

/** @typedef {import('../api-types.js').Task} Task */
/** @typedef {import('../api-types.js').LiveStatusRow} LiveStatusRow */

/** Config keys whose value names topics (a comma list): each links to its topic's page. */
const TOPIC_KEYS = new Set(['topic', 'topics', 'topic_in', 'topic_out', 'stream_back_topic']);

/**
 * The task's config as a key/value table, sorted so the same key is always in the same place.
 * @param {Record<string, string> | undefined} config
 */
export function configTable(config) {
  const rows = Object.entries(config ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return simpleTable(
    [
      { label: 'Key', className: 'key-col', render: ([k]) => h('code', k) },
      {
        label: 'Value',
        className: 'wrap',
        render: ([k, v]) =>
          TOPIC_KEYS.has(k)
            ? h(
                'span',
                String(v)
                  .split(',')
                  .map((t) => t.trim())
                  .filter(Boolean)
                  .map((t, i) => [i > 0 ? ', ' : '', topicLink(t, { class: 'code' })]),
              )
            : String(v).includes('\n')
              ? h('pre.code', v)
              : h('code', String(v)),
      },
    ],
    rows,
    { empty: 'No config.', testid: 'config-table' },
  );
}

/**
 * Last operation and times: what changed it, and when.
 * @param {Task} task
 * @param {[string, import('../dom.js').Child][]} [extra] rows of the kind of task, after its type
 */
export function overview(task, extra = []) {
  return details([
    ['ID', h('code', task.id)],
    ['Type', task.connectorType],
    ...extra,
    ['Status since', task.statusAt ? h('span', timeAgo(task.statusAt), ' · ', formatTime(task.statusAt)) : undefined],
    ['Reason', task.statusReason ? h('span.reason-full', task.statusReason) : undefined],
    ['Description', task.description || undefined],
    ['Revision', task.revision !== undefined ? String(task.revision) : undefined],
    ['Created', task.createdAt ? formatTime(task.createdAt) : undefined],
    ['Updated', task.updatedAt ? formatTime(task.updatedAt) : undefined],
    [
      'Last operation',
      task.lastOperation
        ? externalLink(
            temporalRunUrl(task.lastOperation.workflowId, task.lastOperation.runId),
            `${task.lastOperation.type} · ${task.lastOperation.workflowId}`,
          )
        : undefined,
    ],
    [
      'Auto-restart',
      task.autoRestart?.enabled
        ? `on · up to ${task.autoRestart.maxRestarts ?? 3} attempts${task.restarts ? ` · ${task.restarts.attempts} made${task.restarts.gaveUp ? ', gave up' : ''}` : ''}`
        : undefined,
    ],
    ['Imported', task.imported ? 'yes: found running in Kafka Connect' : undefined],
  ]);
}

/** @param {LiveStatusRow[]} rows */
function liveTasks(rows) {
  const connector = rows[0];
  const table = simpleTable(
    [
      { label: 'Task', render: (r) => h('code', r.subTaskId === 'e' ? 'connector' : `#${r.subTaskId}`) },
      { label: 'State', render: (r) => statusBadge(r.state) },
      { label: 'Worker', render: (r) => (r.worker_id ? h('code', r.worker_id) : h('span.muted', '—')) },
      {
        label: 'Trace',
        className: 'wrap',
        render: (r) =>
          r.trace
            ? h('details.trace', h('summary', r.trace.split('\n')[0]), h('pre.code', r.trace))
            : h('span.muted', '—'),
      },
    ],
    rows.filter((r) => r.subTaskId !== 'e'),
    { empty: 'The connector has no tasks yet.', testid: 'live-tasks' },
  );
  return [
    connector ? h('div.connector-state', h('span', 'Connector state'), statusBadge(connector.taskState)) : null,
    table,
  ];
}

/** @type {import('../router.js').Render} */
export function render(view, { params }) {
  const { id } = params;
  const head = h('div');
  const body = h('div.grid-2');
  const live = h('div', loading());
  const history = statusHistory(id);
  const logs = taskLogs(id);
  /** @type {Task | undefined} */
  let current;
  const offsets = connectOffsetsCard({ id, after: () => task.now() });
  const versions = versionsCard({ kind: 'connect', id, task: () => current, after: () => task.now() });
  const liveCard = card('Live tasks (Kafka Connect)', live);
  const offsetsCard = card('Offsets', offsets.el);
  const versionsView = card('Config versions', versions.el);
  const historyCard = card('Status history', history.el);
  // Log lines outlive their task: the card stays when the connect is gone.
  view.append(head, body, liveCard, offsetsCard, versionsView, historyCard, card('Log lines', logs.el));
  fill(head, pageHeader({ title: id, crumbs: [['Connects', ['connects']], [id]] }));
  body.append(loading());

  let lastSig = '';
  const task = poll(async () => {
    const t = await readTaskOrGone({
      path: `/ps/${encodeURIComponent(id)}`,
      kind: 'connect',
      id,
      body,
      onGone: () => {
        stop();
        liveCard.remove();
        offsetsCard.remove();
        versionsView.remove();
        historyCard.remove();
      },
    });
    if (!t) return;
    current = t;
    const sig = JSON.stringify(t);
    if (sig === lastSig) return;
    lastSig = sig;
    /** @type {(name: string, ok: boolean) => void} */
    const after = (name, ok) => {
      if (ok && name === 'delete') navigate(['connects']);
      else task.now();
    };
    fill(
      head,
      pageHeader({
        title: t.name || t.id,
        badge: statusBadge(t.status, t.statusReason),
        crumbs: [['Connects', ['connects']], [t.name || t.id]],
        actions: [
          h('a.btn', { href: href(['connects', t.id, 'edit']), 'data-testid': 'action-edit' }, 'Edit'),
          connectActionButtons(t, after, { small: false }),
          externalLink(temporalTaskRunsUrl(t.id), 'Runs in Temporal', { class: 'btn ghost' }),
        ],
      }),
    );
    fill(
      body,
      card(
        'Overview',
        overview(t, [
          [
            'Plugin',
            h(
              'span',
              shortClass(t.connectorConfig?.['connector.class']),
              ' ',
              h('span.muted', `(${directionOf(t) || 'connector'})`),
            ),
          ],
        ]),
      ),
      card('Configuration', configTable(t.connectorConfig)),
    );
  }, 4000);

  // Repainted only when it changed, so an expanded trace stays open while it is read.
  let liveSig = '';
  /**
   * @param {string} sig
   * @param {import('../dom.js').Child[]} content
   */
  const paintLive = (sig, ...content) => {
    if (sig === liveSig) return;
    liveSig = sig;
    fill(live, ...content);
  };
  const tasks = poll(async () => {
    try {
      const rows =
        /** @type {LiveStatusRow[] | undefined} */ ((await get(`/status/${encodeURIComponent(id)}`)).data) ?? [];
      paintLive(JSON.stringify(rows), liveTasks(rows));
    } catch (error) {
      const message = describeError(error);
      paintLive(message, h('p.muted', message));
    }
  }, 5000);

  function stop() {
    task.stop();
    tasks.stop();
    offsets.stop();
    versions.stop();
    history.stop();
    logs.stop();
  }
  return stop;
}
