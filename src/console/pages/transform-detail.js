// @ts-check
// One transform: its SQL or jar, the Flink job's vertices, savepoints, stream-back progress, a
// batch job's result, its config versions, status history and log lines.
import { describeError, get } from '../api.js';
import { fill, formatDuration, formatTime, h, timeAgo } from '../dom.js';
import { href, navigate } from '../router.js';
import { temporalTaskRunsUrl } from '../settings.js';
import { statusBadge, tag } from '../ui/badge.js';
import { card, details, externalLink, loading, pageHeader, simpleTable } from '../ui/page.js';
import { poll } from '../ui/poll.js';
import { readTaskOrGone } from '../ui/task-read.js';
import { resultPreview } from '../ui/result-preview.js';
import { statusHistory } from '../ui/status-history.js';
import { taskLogs } from '../ui/task-logs.js';
import { versionsCard } from '../ui/versions.js';
import { configTable, overview } from './connect-detail.js';
import { transformActionButtons } from './transform-actions.js';
import { kindLabel, streamsBack } from './transforms.js';

/** @typedef {import('../api-types.js').Task} Task */
/** @typedef {import('../api-types.js').LiveStatusRow} LiveStatusRow */
/** @typedef {import('../api-types.js').Savepoint} Savepoint */
/** @typedef {import('../api-types.js').StreamBackProgress} StreamBackProgress */

/** The kind whose job writes a result to preview. */
const BATCH_TYPE = 'TRANSFORM_BATCH_FLINK_SQL';

/** @type {Set<string>} */
const ENDED_PHASES = new Set(['finished', 'failed']);

/** @param {LiveStatusRow[]} rows */
function vertices(rows) {
  return simpleTable(
    [
      { label: 'Vertex', className: 'wrap', render: (r) => r.name ?? r.subTaskId },
      { label: 'State', render: (r) => statusBadge(r.state) },
      { label: 'Parallelism', render: (r) => String(r.parallelism ?? '—') },
    ],
    rows,
    { empty: 'Flink reports no vertices.', testid: 'vertices' },
  );
}

/** @param {Savepoint[]} rows */
function savepoints(rows) {
  return simpleTable(
    [
      { label: 'Taken', render: (s) => timeAgo(s.takenAt) },
      { label: 'Why', render: (s) => tag(s.reason) },
      { label: 'Path', className: 'wrap', render: (s) => h('code', s.path) },
      { label: 'Job', render: (s) => h('code.small', String(s.jobId).slice(0, 12)) },
    ],
    rows,
    { empty: 'No savepoints yet.', testid: 'savepoints' },
  );
}

/**
 * Stream back: how many result rows reached the topic so far, in which phase.
 * @param {StreamBackProgress} p
 */
function streamBack(p) {
  const total = p.exportedRows;
  const pct = total ? Math.min(100, Math.round((p.deliveredRows / total) * 100)) : p.phase === 'finished' ? 100 : 0;
  return h(
    'div.streamback',
    { 'data-testid': 'streamback' },
    h(
      'div.progress-line',
      tag(p.phase, p.phase === 'failed' ? 'bad' : p.phase === 'finished' ? 'ok' : 'busy'),
      h(
        'span',
        `${p.deliveredRows ?? 0}${total !== undefined ? ` of ${total}` : ''} rows delivered to `,
        h('code', p.topic),
      ),
    ),
    h(
      'div.progress',
      {
        role: 'progressbar',
        'aria-valuemin': 0,
        'aria-valuemax': 100,
        'aria-valuenow': pct,
        'aria-label': 'Stream back progress',
      },
      h('div.progress-fill', {
        style: `width:${pct}%`,
        class: p.phase === 'failed' ? 'bad' : p.phase === 'finished' ? 'ok' : '',
      }),
    ),
    details([
      ['Started', formatTime(p.startedAt)],
      ['Ended', p.endedAt ? formatTime(p.endedAt) : undefined],
      ['Took', p.endedAt ? formatDuration(new Date(p.endedAt).getTime() - new Date(p.startedAt).getTime()) : undefined],
      ['Connector', p.connector ? h('code', p.connector) : undefined],
      ['File', p.file ? h('code', p.file) : undefined],
      ['Reason', p.reason],
      ['Workflow', p.temporalUi ? externalLink(p.temporalUi, p.workflowId) : undefined],
    ]),
  );
}

/** @type {import('../router.js').Render} */
export function render(view, { params }) {
  const { id } = params;
  const head = h('div', pageHeader({ title: id, crumbs: [['Transforms', ['transforms']], [id]] }));
  const body = h('div.grid-2', loading());
  const code = h('div');
  const sb = h('div');
  const live = h('div', loading());
  const sps = h('div', loading());
  const history = statusHistory(id);
  const logs = taskLogs(id);
  const result = resultPreview(id);
  const resultCard = h('div');
  const jobCards = h('div.grid-2', card('Flink job', live), card('Savepoints', sps));
  /** @type {Task | undefined} */
  let current;
  const versions = versionsCard({
    kind: 'transform',
    id,
    task: () => current,
    after: () => {
      task.now();
      side.now();
    },
  });
  const versionsView = card('Config versions', versions.el);
  const historyCard = card('Status history', history.el);
  // Log lines outlive their task: the card stays when the transform is gone.
  view.append(head, sb, body, code, resultCard, jobCards, versionsView, historyCard, card('Log lines', logs.el));

  let lastSig = '';
  const task = poll(async () => {
    const t = await readTaskOrGone({
      path: `/tr/${encodeURIComponent(id)}`,
      kind: 'transform',
      id,
      body,
      onGone: () => {
        stop();
        jobCards.remove();
        versionsView.remove();
        historyCard.remove();
        resultCard.remove();
      },
    });
    if (!t) return;
    current = t;
    const sig = JSON.stringify(t);
    if (sig === lastSig) return;
    lastSig = sig;
    /** @type {(name: string, ok: boolean) => void} */
    const after = (name, ok) => {
      if (ok && name === 'delete') navigate(['transforms']);
      else {
        task.now();
        side.now();
      }
    };
    fill(
      head,
      pageHeader({
        title: t.name || t.id,
        badge: statusBadge(t.status, t.statusReason),
        crumbs: [['Transforms', ['transforms']], [t.name || t.id]],
        actions: [
          h('a.btn', { href: href(['transforms', t.id, 'edit']), 'data-testid': 'action-edit' }, 'Edit'),
          transformActionButtons(t, after, { small: false }),
          externalLink(temporalTaskRunsUrl(t.id), 'Runs in Temporal', { class: 'btn ghost' }),
        ],
      }),
    );
    const job = t.jobConfig ?? {};
    fill(
      body,
      card(
        'Overview',
        overview(t, [
          ['Kind', kindLabel(t.connectorType)],
          ['Flink job', job.flink_job_id ? h('code', job.flink_job_id) : undefined],
          ['Result rows', job.result_rows],
          ['Result path', job.result_path ? h('code', job.result_path) : undefined],
        ]),
      ),
      card(
        'Configuration',
        configTable(Object.fromEntries(Object.entries(t.connectorConfig ?? {}).filter(([k]) => k !== 'trans_sql'))),
      ),
    );
    const sql = t.connectorConfig?.trans_sql;
    fill(code, sql ? card('SQL', h('pre.code.sql', { 'data-testid': 'sql' }, sql)) : '');
    if (t.connectorType === BATCH_TYPE || job.result_path) {
      if (!resultCard.firstChild) fill(resultCard, card('Result', result.el));
      result.show(t);
    }
  }, 4000);

  // Job vertices, savepoints and stream back change on their own clock: polled apart from the task.
  let sbDone = false;
  const side = poll(async () => {
    const [vs, sp] = await Promise.allSettled([
      get(`/status/${encodeURIComponent(id)}`),
      get(`/tr/${encodeURIComponent(id)}/savepoints`),
    ]);
    fill(
      live,
      vs.status === 'fulfilled'
        ? vertices(/** @type {LiveStatusRow[] | undefined} */ (vs.value.data) ?? [])
        : h('p.muted', describeError(vs.reason)),
    );
    fill(
      sps,
      sp.status === 'fulfilled'
        ? savepoints(/** @type {Savepoint[] | undefined} */ (sp.value.data) ?? [])
        : h('p.muted', describeError(sp.reason)),
    );
    if (current && streamsBack(current) && !sbDone) {
      try {
        const p = /** @type {StreamBackProgress} */ ((await get(`/tr/${encodeURIComponent(id)}/streamback`)).data);
        fill(sb, card('Stream back', streamBack(p)));
        sbDone = ENDED_PHASES.has(p.phase);
        if (sbDone) task.now(); // the task's own status follows the stream back's end: show both together
      } catch (error) {
        fill(sb, card('Stream back', h('p.muted', describeError(error))));
      }
    }
  }, 3000);

  function stop() {
    task.stop();
    side.stop();
    versions.stop();
    history.stop();
    logs.stop();
  }
  return stop;
}
