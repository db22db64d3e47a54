// @ts-check
// Confirmation before anything that changes a pipeline. A <dialog> rather than window.confirm:
// it can say what will happen, style the dangerous choice, and be driven by the browser tests.
import { h } from '../dom.js';

/**
 * confirmDialog({title, message, confirmLabel, danger, body}) → Promise<boolean>. `body` is extra
 * content (an option checkbox, say) the caller reads after the answer.
 * @param {object} question
 * @param {string} question.title
 * @param {string} [question.message]
 * @param {string} [question.confirmLabel]
 * @param {boolean} [question.danger] the confirm button looks dangerous
 * @param {Node} [question.body]
 * @returns {Promise<boolean>}
 */
export function confirmDialog({ title, message, confirmLabel = 'Confirm', danger = false, body }) {
  return new Promise((resolve) => {
    const dialog = h(
      'dialog.modal',
      { 'data-testid': 'confirm-dialog', 'aria-labelledby': 'confirm-title' },
      h(
        'form',
        { method: 'dialog' },
        h('h2#confirm-title', title),
        message ? h('p.dialog-message', message) : null,
        body ?? null,
        h(
          'div.dialog-actions',
          h('button.btn', { value: 'cancel', 'data-testid': 'confirm-cancel' }, 'Cancel'),
          h(`button.btn.${danger ? 'danger' : 'primary'}`, { value: 'ok', 'data-testid': 'confirm-ok' }, confirmLabel),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(dialog.returnValue === 'ok');
    });
    document.body.append(dialog);
    dialog.showModal();
    // Cancel is focused: Enter on a reflex must not delete a connector.
    /** @type {HTMLButtonElement} */ (dialog.querySelector('[value=cancel]')).focus();
  });
}
