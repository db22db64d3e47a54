// @ts-check
// Webhook settings: where DF tells a team that something broke or ended (GET /webhooks, admins only).
import { describeError, get, request } from '../api.js';
import { fill, h, timeAgo } from '../dom.js';
import { href } from '../router.js';
import { tag } from '../ui/badge.js';
import { adminOnlyNotice, isForbidden } from '../ui/admin-only.js';
import { confirmDialog } from '../ui/dialog.js';
import { listView } from '../ui/list-view.js';
import { errorBox, loading, pageHeader } from '../ui/page.js';
import { toast } from '../ui/toast.js';

/** @typedef {import('../api-types.js').Webhook} Webhook */

/** @param {Webhook} hook */
export function eventTags(hook) {
  return h(
    'div.cell-stack',
    { 'data-testid': 'webhook-events' },
    hook.events.map((e) => h('code.small', e)),
  );
}

/** @param {Webhook} hook */
export const enabledTag = (hook) => (hook.enabled ? tag('enabled', 'ok') : tag('disabled', 'plain'));

/**
 * Asks, then removes the webhook and its delivery log. Resolves true once it is gone.
 * @param {Webhook} hook
 */
export async function deleteWebhook(hook) {
  const sure = await confirmDialog({
    title: 'Delete this webhook?',
    message: `${hook.url} hears of no more events, deliveries under way stop, and its delivery log goes with it.`,
    confirmLabel: 'Delete webhook',
    danger: true,
  });
  if (!sure) return false;
  try {
    await request('DELETE', `/webhooks/${encodeURIComponent(hook.id)}`);
    toast({ kind: 'success', title: 'Webhook deleted', message: hook.url });
    return true;
  } catch (error) {
    toast({ kind: 'error', title: 'Webhook not deleted', message: describeError(error) });
    return false;
  }
}

/** @type {import('../router.js').Render} */
export async function render(view) {
  view.append(
    pageHeader({
      title: 'Webhooks',
      subtitle: 'Where DataFibers tells your team when a task fails, is lost, or an operation on it fails.',
      actions: h('a.btn.primary', { href: href(['webhooks', 'new']), 'data-testid': 'new-webhook' }, '+ New webhook'),
    }),
  );
  const body = h('div', loading());
  view.append(body);
  try {
    await get('/webhooks', { _start: 0, _end: 1 });
  } catch (error) {
    view.querySelector('[data-testid="new-webhook"]')?.remove();
    fill(body, isForbidden(error) ? adminOnlyNotice('Webhook settings need') : errorBox(describeError(error)));
    return undefined;
  }
  const list = listView({
    path: '/webhooks',
    testid: 'webhooks-list',
    searchPlaceholder: 'Search URL, id or format',
    searchLabel: 'Search webhooks',
    pollMs: 15000,
    rowKey: (/** @type {Webhook} */ w) => w.id,
    empty: () => h('span', 'No webhooks yet. ', h('a', { href: href(['webhooks', 'new']) }, 'Add the first one'), '.'),
    columns: [
      {
        label: 'URL',
        sort: 'url',
        className: 'wrap',
        render: (w) =>
          h(
            'div.cell-stack',
            h('a.strong', { href: href(['webhooks', w.id]), 'data-testid': 'webhook-link' }, w.url),
            h('code.muted.small', w.id),
          ),
      },
      { label: 'Events', render: eventTags },
      { label: 'Format', sort: 'format', render: (w) => tag(w.format) },
      { label: 'State', sort: 'enabled', render: enabledTag },
      { label: 'Secret', render: (w) => h('code', { 'data-testid': 'webhook-secret' }, w.secret) },
      { label: 'Updated', sort: 'updatedAt', render: (w) => timeAgo(w.updatedAt) },
      {
        label: 'Actions',
        className: 'actions-cell',
        render: (w) =>
          h(
            'div.row-actions',
            h(
              'a.btn.small.ghost',
              { href: href(['webhooks', w.id]), 'data-testid': 'action-deliveries' },
              'Deliveries',
            ),
            h('a.btn.small.ghost', { href: href(['webhooks', w.id, 'edit']), 'data-testid': 'action-edit' }, 'Edit'),
            h(
              'button.btn.small.danger-outline',
              {
                type: 'button',
                'data-testid': 'action-delete',
                onclick: async () => {
                  if (await deleteWebhook(w)) list.refresh();
                },
              },
              'Delete',
            ),
          ),
      },
    ],
  });
  fill(body, list.el);
  return () => list.stop();
}
