// @ts-check
// Savepoint and delete of a transform (a Flink job DF owns), confirmed first.
import { request } from '../api.js';
import { h } from '../dom.js';
import { runOperation } from '../operations.js';
import { confirmDialog } from '../ui/dialog.js';

/** @typedef {import('../api-types.js').Task} Task */

/** @type {Set<string>} */
const LIVE = new Set(['RUNNING', 'RWE', 'UNASSIGNED', 'RESTARTING']);
/** Flink takes no savepoints of batch jobs: they are cancelled instead. */
const isBatch = (/** @type {Task} */ task) => task.connectorType === 'TRANSFORM_BATCH_FLINK_SQL';

/** @param {Task} task */
async function savepoint(task) {
  const ok = await confirmDialog({
    title: `Take a savepoint of ${task.name}?`,
    message: 'Flink writes the job’s state to a savepoint; the job keeps running.',
    confirmLabel: 'Take savepoint',
  });
  if (!ok) return false;
  const outcome = await runOperation({
    title: `Savepoint of ${task.name}`,
    run: () => request('POST', `/tr/${encodeURIComponent(task.id)}/savepoint`),
    done: (/** @type {import('../api-types.js').Savepoint | undefined} */ sp) =>
      sp?.path ? `Saved at ${sp.path}` : '',
  });
  return outcome.ok;
}

/** @param {Task} task */
async function remove(task) {
  const cancel = h('input#delete-cancel', { type: 'checkbox', 'data-testid': 'delete-cancel' });
  const batch = isBatch(task);
  const ok = await confirmDialog({
    title: `Delete ${task.name}?`,
    message: batch
      ? `The batch job of ${task.id} is cancelled if it still runs, then DF removes the task. This cannot be undone.`
      : `The Flink job of ${task.id} stops with a final savepoint, then DF removes the task. This cannot be undone.`,
    body: batch
      ? undefined
      : h(
          'div.check-option',
          cancel,
          h('label', { for: 'delete-cancel' }, 'Cancel the job instead (no final savepoint)'),
        ),
    confirmLabel: 'Delete transform',
    danger: true,
  });
  if (!ok) return false;
  const outcome = await runOperation({
    title: `Delete ${task.name}`,
    run: () =>
      request('DELETE', `/tr/${encodeURIComponent(task.id)}`, { query: cancel.checked ? { mode: 'cancel' } : {} }),
    done: (/** @type {import('../api-types.js').TransformDeleted | undefined} */ r) =>
      r?.savepoint ? `Final savepoint: ${r.savepoint}` : `${task.id} is gone.`,
  });
  return outcome.ok;
}

/**
 * Buttons for a transform; `after(name, ok)` runs once an action ended.
 * @param {Task} task
 * @param {(name: string, ok: boolean) => void} after
 * @param {{ small?: boolean }} [options]
 */
export function transformActionButtons(task, after, { small = true } = {}) {
  /**
   * @param {string} name
   * @param {string} label
   * @param {(task: Task) => Promise<boolean>} fn
   */
  const make = (name, label, fn, cls = '') => {
    const button = h(
      `button.btn${small ? '.small' : ''}${cls}`,
      {
        type: 'button',
        'data-testid': `action-${name}`,
        onclick: async () => {
          button.disabled = true;
          try {
            after(name, await fn(task));
          } finally {
            button.disabled = false;
          }
        },
      },
      label,
    );
    return button;
  };
  return [
    LIVE.has(task.status) && !isBatch(task) ? make('savepoint', 'Savepoint', savepoint) : null,
    make('delete', 'Delete', remove, '.danger-outline'),
  ];
}
