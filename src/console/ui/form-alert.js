// @ts-check
// The alert under a form: why what was sent was not taken, with the messages no field could show.
import { describeError } from '../api.js';
import { fill, h } from '../dom.js';

export function formAlert() {
  const el = h('div.inline-alert', { role: 'alert', hidden: true, 'data-testid': 'form-error' });
  /**
   * @param {string} message
   * @param {string[]} [leftover] messages no field shows
   */
  const show = (message, leftover = []) => {
    fill(
      el,
      h('strong', message),
      leftover.length
        ? h(
            'ul',
            leftover.map((l) => h('li', l)),
          )
        : null,
    );
    el.hidden = false;
  };
  return {
    el,
    show,
    hide() {
      el.hidden = true;
    },
    /**
     * An edit refused because the task changed since the form was opened: the way out is a reload.
     * @param {string} noun
     * @param {unknown} error
     */
    showStale(noun, error) {
      show(
        `Someone else changed this ${noun} since you opened it, so your changes were not saved. Reload to see the current config, then apply your edits again.`,
        [describeError(error)],
      );
      el.append(h('button.btn.small', { type: 'button', onclick: () => window.location.reload() }, 'Reload'));
    },
  };
}
