// @ts-check
// A task's status history (GET /status/:id/history), newest first: when it failed, for how long,
// what the syncs and operations recorded. Shared by the task pages and the History page.
import { h, timeAgo, formatTime } from '../dom.js';
import { statusBadge, tag } from './badge.js';
import { listView } from './list-view.js';

/** @typedef {import('../api-types.js').StatusHistoryRow} StatusHistoryRow */

/** @type {Record<string, string>} */
const EVENT_TONE = { status: 'plain', unreachable: 'bad', reachable: 'ok', restart: 'busy', 'gave-up': 'bad' };

/**
 * @param {string} taskId
 * @param {{ pollMs?: number, pageSize?: number }} [options]
 */
export function statusHistory(taskId, { pollMs = 5000, pageSize = 10 } = {}) {
  return listView({
    path: `/status/${encodeURIComponent(taskId)}/history`,
    testid: 'status-history',
    search: false,
    urlState: false,
    pageSize,
    pollMs,
    rowKey: (/** @type {StatusHistoryRow} */ r) => r.id,
    empty: () => 'No status changes recorded yet.',
    columns: [
      { label: 'When', render: (r) => h('div.cell-stack', timeAgo(r.at), h('span.muted.small', formatTime(r.at))) },
      {
        label: 'Change',
        render: (r) =>
          h(
            'div.transition',
            statusBadge(r.from),
            h('span.arrow', { 'aria-hidden': 'true' }, '→'),
            h('span.visually-hidden', ' to '),
            statusBadge(r.to),
          ),
      },
      { label: 'Event', render: (r) => tag(r.event, EVENT_TONE[r.event] ?? 'plain') },
      {
        label: 'Reason',
        className: 'wrap',
        render: (r) => (r.reason ? h('span.reason-full', r.reason) : h('span.muted', '—')),
      },
    ],
  });
}
