// @ts-check
// The operator's API token. Kept in localStorage so a reload or a second tab stays signed in;
// the API is the only judge of it (401 unknown, 403 read-only), the console never inspects it.
import { h } from './dom.js';

const KEY = 'df.token';
/** @type {Set<(signedIn: boolean) => void>} */
const listeners = new Set();
/** @type {Promise<boolean> | undefined} */
let pending;
// Once someone cancels the dialog, live lists polling in the background must not reopen it every
// few seconds: it comes back when they click "Sign in".
let declined = false;

export function getToken() {
  try {
    return localStorage.getItem(KEY) || '';
  } catch {
    return '';
  }
}

/** @param {string} token */
function setToken(token) {
  declined = false;
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
  for (const fn of listeners) fn(Boolean(token));
}

export function signOut() {
  setToken('');
}

/**
 * Called with true/false whenever the token is set or cleared (the header shows who is signed in).
 * @param {(signedIn: boolean) => void} fn
 * @returns {() => boolean} stops the calls
 */
export function onAuthChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Asks for a token in a modal dialog. Several requests refused at once share one dialog: they all
 * wait for the same answer. Resolves true when a token was entered, false when the user cancelled
 * (now or before, unless `asked` says they asked for it themselves).
 * @param {string} [reason] why a token is needed, in place of the usual words
 * @param {{ asked?: boolean }} [options]
 * @returns {Promise<boolean>}
 */
export function askForToken(reason, { asked = false } = {}) {
  if (declined && !asked && !pending) return Promise.resolve(false);
  pending ??= new Promise((resolve) => {
    const input = h('input#signin-token', {
      type: 'password',
      autocomplete: 'current-password',
      required: true,
      'data-testid': 'signin-token',
      spellcheck: 'false',
    });
    /** @type {HTMLDialogElement} */
    const dialog = h(
      'dialog.modal',
      { 'data-testid': 'signin-dialog', 'aria-labelledby': 'signin-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2#signin-title', 'Sign in to DataFibers'),
        h('p.muted', reason || 'This API needs a token. Paste the one your administrator gave you.'),
        h('div.field', h('label', { for: 'signin-token' }, 'API token'), input),
        h(
          'div.dialog-actions',
          h('button.btn', { type: 'button', value: 'cancel', onclick: () => dialog.close('cancel') }, 'Cancel'),
          h('button.btn.primary', { type: 'submit', value: 'ok', 'data-testid': 'signin-submit' }, 'Sign in'),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      const token = input.value.trim();
      const ok = dialog.returnValue === 'ok' && token !== '';
      if (ok) setToken(token);
      else declined = true;
      dialog.remove();
      pending = undefined;
      resolve(ok);
    });
    document.body.append(dialog);
    dialog.showModal();
    input.focus();
  });
  return pending;
}
