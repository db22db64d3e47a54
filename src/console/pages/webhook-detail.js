// @ts-check
// One webhook: its settings (the secret as the API masks it) and its delivery log, every attempt to
// deliver every event, newest first (GET /webhooks/:id/deliveries).
import { describeError, get } from '../api.js';
import { fill, formatTime, h, timeAgo } from '../dom.js';
import { href, navigate } from '../router.js';
import { tag } from '../ui/badge.js';
import { adminOnlyNotice, isForbidden } from '../ui/admin-only.js';
import { listView } from '../ui/list-view.js';
import { card, details, errorBox, loading, pageHeader } from '../ui/page.js';
import { deleteWebhook, enabledTag, eventTags } from './webhooks.js';

/** @typedef {import('../api-types.js').Webhook} Webhook */
/** @typedef {import('../api-types.js').WebhookDelivery} WebhookDelivery */

/** @type {Record<WebhookDelivery['outcome'], string>} */
const OUTCOME_TONE = { delivered: 'ok', failed: 'warn', refused: 'bad', dropped: 'plain' };

/** @type {Record<WebhookDelivery['outcome'], string>} */
const OUTCOME_MEANING = {
  delivered: 'The receiver answered 2xx.',
  failed: 'No answer, a 5xx, 408 or 429: tried again later.',
  refused: 'A 4xx another attempt cannot change: not tried again.',
  dropped: 'The webhook was removed, disabled, no longer wants the event, or its host is no longer allowed.',
};

/** @param {WebhookDelivery} d */
function outcomeCell(d) {
  return h(
    'span',
    { 'data-testid': 'delivery-outcome', 'data-outcome': d.outcome, title: OUTCOME_MEANING[d.outcome] },
    tag(d.outcome, OUTCOME_TONE[d.outcome] ?? 'plain'),
  );
}

/** @type {import('../router.js').Render} */
export async function render(view, { params }) {
  const { id } = params;
  const header = pageHeader({ title: `Webhook ${id}`, crumbs: [['Webhooks', ['webhooks']], [id]] });
  view.append(header);
  const body = h('div', loading());
  view.append(body);

  /** @type {Webhook} */
  let hook;
  try {
    hook = /** @type {Webhook} */ ((await get(`/webhooks/${encodeURIComponent(id)}`)).data);
  } catch (error) {
    fill(body, isForbidden(error) ? adminOnlyNotice('Webhook settings need') : errorBox(describeError(error)));
    return undefined;
  }

  header.replaceWith(
    pageHeader({
      title: hook.url,
      crumbs: [['Webhooks', ['webhooks']], [id]],
      badge: enabledTag(hook),
      actions: [
        h('a.btn', { href: href(['webhooks', id, 'edit']), 'data-testid': 'webhook-edit' }, 'Edit'),
        h(
          'button.btn.danger-outline',
          {
            type: 'button',
            'data-testid': 'webhook-delete',
            onclick: async () => {
              if (await deleteWebhook(hook)) navigate(['webhooks']);
            },
          },
          'Delete',
        ),
      ],
    }),
  );

  const deliveries = listView({
    path: `/webhooks/${encodeURIComponent(id)}/deliveries`,
    testid: 'deliveries-list',
    search: false,
    pollMs: 5000,
    defaultSort: { sort: 'at', order: 'desc' },
    rowKey: (/** @type {WebhookDelivery} */ d) => d.id,
    empty: () => 'No event has been sent to this webhook yet.',
    columns: [
      { label: 'When', sort: 'at', render: (d) => h('span', { title: formatTime(d.at) }, timeAgo(d.at)) },
      {
        label: 'Event',
        sort: 'event',
        render: (d) =>
          h(
            'div.cell-stack',
            h('code', { 'data-testid': 'delivery-event' }, d.event),
            h('code.muted.small', { title: 'X-DF-Event-Id' }, d.eventId),
          ),
      },
      { label: 'Task', sort: 'taskId', render: (d) => h('code', d.taskId) },
      { label: 'Attempt', sort: 'attempt', className: 'num', render: (d) => String(d.attempt) },
      {
        label: 'Status code',
        sort: 'httpStatus',
        className: 'num',
        render: (d) =>
          d.httpStatus === undefined
            ? h('span.muted', '—')
            : h('span', { 'data-testid': 'delivery-status' }, String(d.httpStatus)),
      },
      { label: 'Outcome', sort: 'outcome', render: outcomeCell },
      {
        label: 'Error',
        className: 'wrap',
        render: (d) => (d.error ? h('span.reason.bad', d.error) : h('span.muted', '—')),
      },
    ],
  });

  fill(
    body,
    card(
      'Settings',
      details([
        ['URL', h('code', { 'data-testid': 'webhook-url' }, hook.url)],
        ['Events', eventTags(hook)],
        ['Payload format', hook.format],
        ['Secret', h('code', { 'data-testid': 'webhook-secret' }, hook.secret)],
        ['Created', h('span', { title: formatTime(hook.createdAt) }, timeAgo(hook.createdAt))],
        ['Updated', h('span', { title: formatTime(hook.updatedAt) }, timeAgo(hook.updatedAt))],
      ]),
    ),
    card(
      'Deliveries',
      h('p.muted.pad', 'Every attempt to deliver each event, newest first. Refreshes every few seconds.'),
      deliveries.el,
    ),
  );
  return () => deliveries.stop();
}
