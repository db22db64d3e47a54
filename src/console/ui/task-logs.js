// @ts-check
// A task's log lines (GET /logs/:id), newest first: what its operations and the API did with it,
// written by every DF process, searchable. Shared by the connect and transform pages.
import { formatTime, h, timeAgo } from '../dom.js';
import { tag } from './badge.js';
import { listView } from './list-view.js';

/** @typedef {import('../api-types.js').LogRow} LogRow */

/** @type {Record<string, string>} */
const LEVEL_TONE = { INFO: 'plain', WARN: 'warn', ERROR: 'bad', FATAL: 'bad' };

/**
 * @param {string} taskId
 * @param {{ pollMs?: number, pageSize?: number }} [options]
 */
export function taskLogs(taskId, { pollMs = 5000, pageSize = 10 } = {}) {
  return listView({
    path: `/logs/${encodeURIComponent(taskId)}`,
    testid: 'task-logs',
    searchPlaceholder: 'Search the messages',
    searchLabel: 'Search log lines',
    urlState: false,
    pageSize,
    pollMs,
    defaultSort: { sort: 'timestamp', order: 'desc' },
    rowKey: (/** @type {LogRow} */ r) => r.id,
    empty: () => 'No log lines name this task (lines are kept for a while, then dropped).',
    columns: [
      {
        label: 'When',
        sort: 'timestamp',
        render: (r) => h('div.cell-stack', timeAgo(r.timestamp), h('span.muted.small', formatTime(r.timestamp))),
      },
      {
        label: 'Level',
        sort: 'level',
        render: (r) =>
          h('span', { 'data-testid': 'log-level', 'data-level': r.level }, tag(r.level, LEVEL_TONE[r.level])),
      },
      { label: 'Message', className: 'wrap', render: (r) => h('span', { 'data-testid': 'log-message' }, r.message) },
      {
        label: 'Where',
        sort: 'method',
        className: 'wrap',
        render: (r) =>
          h(
            'div.cell-stack',
            r.method ? h('code.small', r.method) : h('span.muted', '—'),
            h('span.muted.small', r.process),
          ),
      },
    ],
  });
}
