// @ts-check
// Pages only an admin token may read (the audit, webhooks). A viewer's 403 there is not a fault to
// report but a fact to state, with the way past it.
import { ApiError } from '../api.js';
import { h } from '../dom.js';

/** @param {unknown} error */
export const isForbidden = (error) => error instanceof ApiError && error.status === 403;

/**
 * What a viewer sees in place of an admin-only page.
 * @param {string} needs what needs the token, as the sentence says it: "The audit needs"
 */
export function adminOnlyNotice(needs) {
  return h(
    'div.empty-state',
    { 'data-testid': 'admin-only' },
    h('h2', 'Admin token needed'),
    h(
      'p',
      `${needs} an admin token; the token you signed in with may only read. Sign out and sign in with an admin token to see it.`,
    ),
  );
}
