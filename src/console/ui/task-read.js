// @ts-check
// A detail page's read of its task: a task deleted meanwhile (or never there) is said so in the
// page, pointing to its status history, which outlives it.
import { ApiError, describeError, get } from '../api.js';
import { fill, h } from '../dom.js';
import { href } from '../router.js';
import { errorBox } from './page.js';

/**
 * The task, or undefined once `onGone` has run and `body` says it is gone; other failures are shown and thrown.
 * @param {object} read
 * @param {string} read.path
 * @param {string} read.kind 'connect' or 'transform', for the words
 * @param {string} read.id
 * @param {HTMLElement} read.body where the page shows the task
 * @param {() => void} read.onGone
 * @returns {Promise<import('../api-types.js').Task | undefined>}
 */
export async function readTaskOrGone({ path, kind, id, body, onGone }) {
  try {
    return /** @type {import('../api-types.js').Task} */ ((await get(path)).data);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      onGone();
      fill(
        body,
        errorBox(
          h(
            'span',
            `There is no ${kind} ${id}: it was deleted, or never existed. `,
            h('a', { href: href(['history'], { task: id }) }, 'Its status history'),
            ' stays readable.',
          ),
        ),
      );
      return undefined;
    }
    fill(body, errorBox(describeError(error)));
    throw error;
  }
}
