// @ts-check
// Pause, resume, restart and delete of a connect, each confirmed first: these act on live
// pipelines, so the dialog says what will happen before it does.
import { request } from '../api.js';
import { h } from '../dom.js';
import { runOperation } from '../operations.js';
import { confirmDialog } from '../ui/dialog.js';

/** @typedef {import('../api-types.js').Task} Task */

/**
 * @typedef {object} Action
 * @property {string} label
 * @property {boolean} [danger]
 * @property {(task: Task) => boolean} applies whether the task's status allows it
 * @property {(task: Task) => Parameters<typeof confirmDialog>[0]} confirm
 * @property {(task: Task) => Promise<import('../api.js').ApiResponse>} run
 */

/** @type {Set<string>} */
const HALTED = new Set(['PAUSED', 'STOPPED']);

/** @type {Record<string, Action>} */
const ACTIONS = {
  pause: {
    label: 'Pause',
    applies: (t) => !HALTED.has(t.status) && t.status !== 'LOST',
    confirm: (t) => ({
      title: `Pause ${t.name}?`,
      message: 'Kafka Connect stops its tasks; offsets are kept, and Resume continues where it stopped.',
      confirmLabel: 'Pause',
    }),
    run: (t) => request('POST', `/ps/${encodeURIComponent(t.id)}/pause`),
  },
  resume: {
    label: 'Resume',
    applies: (t) => HALTED.has(t.status),
    confirm: (t) => ({
      title: `Resume ${t.name}?`,
      message: 'Its tasks start again from the offsets they stopped at.',
      confirmLabel: 'Resume',
    }),
    run: (t) => request('POST', `/ps/${encodeURIComponent(t.id)}/resume`),
  },
  restart: {
    label: 'Restart',
    applies: (t) => t.status !== 'LOST',
    confirm: (t) => ({
      title: `Restart ${t.name}?`,
      message:
        'The connector and all its tasks restart. Records in flight are sent again from the last committed offsets.',
      confirmLabel: 'Restart',
    }),
    run: (t) => request('POST', `/ps/${encodeURIComponent(t.id)}/restart`, { query: { includeTasks: 'true' } }),
  },
  delete: {
    label: 'Delete',
    danger: true,
    applies: () => true,
    confirm: (t) => ({
      title: `Delete ${t.name}?`,
      message: `The connector ${t.id} is removed from Kafka Connect and its DF record is deleted. Its status history stays readable. This cannot be undone.`,
      confirmLabel: 'Delete connect',
      danger: true,
    }),
    run: (t) => request('DELETE', `/ps/${encodeURIComponent(t.id)}`),
  },
};

/**
 * Asks, then runs the action as its workflow; resolves true when it was done.
 * @param {string} name
 * @param {Task} task
 */
export async function connectAction(name, task) {
  const action = ACTIONS[name];
  if (!(await confirmDialog(action.confirm(task)))) return false;
  const outcome = await runOperation({
    title: `${action.label} ${task.name}`,
    run: () => action.run(task),
    done: (/** @type {Task | undefined} */ result) =>
      name === 'delete' ? `${task.id} is gone.` : result?.status ? `Now ${result.status}.` : '',
  });
  return outcome.ok;
}

/**
 * The buttons that apply to the task's status; `after(name, ok)` is called once an action ended.
 * @param {Task} task
 * @param {(name: string, ok: boolean) => void} after
 * @param {{ small?: boolean, only?: string[] }} [options] `only`: these actions, if they apply
 */
export function connectActionButtons(task, after, { small = true, only } = {}) {
  return Object.entries(ACTIONS)
    .filter(([name, a]) => a.applies(task) && (!only || only.includes(name)))
    .map(([name, a]) => {
      const button = h(
        `button.btn${small ? '.small' : ''}${a.danger ? '.danger-outline' : ''}`,
        {
          type: 'button',
          'data-testid': `action-${name}`,
          onclick: async () => {
            button.disabled = true;
            try {
              after(name, await connectAction(name, task));
            } finally {
              button.disabled = false;
            }
          },
        },
        a.label,
      );
      return button;
    });
}
