// @ts-check
// Notices after operations. Success fades after a while; failures stay until dismissed, because
// someone who looked away must still learn that their change did not happen.
import { h } from '../dom.js';
import { temporalRunUrl } from '../settings.js';

/**
 * @typedef {object} ToastFields
 * @property {'success' | 'error' | 'info'} [kind]
 * @property {string} [title]
 * @property {string} [message]
 * @property {string} [workflowId] links the notice to this run in the Temporal UI
 * @property {string} [runId]
 * @property {boolean} [sticky] stays a minute rather than a few seconds (success and info)
 */

/**
 * A notice on screen; `update` turns it into the next state of the same operation.
 * @typedef {HTMLDivElement & { timer?: ReturnType<typeof setTimeout>, update: (more: ToastFields) => void }} Toast
 */

function region() {
  let el = document.getElementById('toasts');
  if (!el) {
    el = h('div#toasts.toasts', { role: 'status', 'aria-live': 'polite' });
    document.body.append(el);
  }
  return el;
}

/**
 * toast({kind: 'success'|'error'|'info', title, message, workflowId, runId}) → the element, with an
 * update(fields) method so a running operation's notice can turn into its outcome in place.
 * @param {ToastFields} options
 */
export function toast(options) {
  const el = /** @type {Toast} */ (h('div.toast', { 'data-testid': 'toast' }));
  /** @param {ToastFields} o */
  const render = (o) => {
    el.className = `toast toast-${o.kind ?? 'info'}`;
    el.dataset.kind = o.kind ?? 'info';
    el.replaceChildren(
      h(
        'div.toast-body',
        o.title ? h('strong.toast-title', o.title) : null,
        o.message ? h('div.toast-message', { 'data-testid': 'toast-message' }, o.message) : null,
        o.workflowId
          ? h(
              'a.toast-link',
              {
                href: temporalRunUrl(o.workflowId, o.runId),
                target: '_blank',
                rel: 'noopener',
                'data-testid': 'toast-temporal-link',
              },
              'View run in Temporal ↗',
            )
          : null,
      ),
      h('button.toast-close', { type: 'button', 'aria-label': 'Dismiss', onclick: () => el.remove() }, '×'),
    );
    clearTimeout(el.timer);
    if (o.kind === 'success' || o.kind === 'info') el.timer = setTimeout(() => el.remove(), o.sticky ? 60000 : 9000);
  };
  let current = options;
  render(current);
  el.update = (more) => {
    current = { ...current, ...more };
    render(current);
  };
  region().prepend(el);
  // Old notices pile up during a busy session: keep the few newest.
  [...region().children].slice(5).forEach((old) => old.remove());
  return el;
}
