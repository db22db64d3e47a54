// @ts-check
// Extra connector properties the plugin cannot list ahead (transforms.<alias>.type,
// producer.override.*, keys of an imported config): free key/value rows.
import { h } from '../dom.js';

let rowsMade = 0;

/** The key or value input of a row. */
const input = (/** @type {Element} */ row, /** @type {'key' | 'value'} */ role) =>
  /** @type {HTMLInputElement} */ (row.querySelector(`[data-role=${role}]`));
const errorSlot = (/** @type {Element} */ row) => /** @type {HTMLElement} */ (row.querySelector('.field-error'));

/**
 * kvEditor(initial) → {el, values(), setError(key, messages)}.
 * @param {Record<string, string>} [initial]
 * @param {string} [hint] which keys belong here
 */
export function kvEditor(initial = {}, hint = 'keys the plugin does not list, such as transforms.<alias>.*') {
  const list = h('div.kv-rows');
  const addRow = (key = '', value = '') => {
    const n = ++rowsMade;
    const keyInput = h('input', {
      id: `kv-key-${n}`,
      value: key,
      placeholder: 'e.g. transforms.route.type',
      autocomplete: 'off',
      spellcheck: 'false',
      'data-role': 'key',
    });
    const valueInput = h('input', {
      id: `kv-value-${n}`,
      value,
      placeholder: 'value',
      autocomplete: 'off',
      spellcheck: 'false',
      'data-role': 'value',
    });
    /** @type {HTMLDivElement} */
    const row = h(
      'div.kv-row',
      h('label.visually-hidden', { for: `kv-key-${n}` }, 'Property name'),
      keyInput,
      h('label.visually-hidden', { for: `kv-value-${n}` }, 'Property value'),
      valueInput,
      h(
        'button.btn.small.ghost',
        { type: 'button', onclick: () => row.remove(), title: 'Remove this property' },
        'Remove',
      ),
      h('div.field-error', { role: 'alert' }),
    );
    list.append(row);
    return row;
  };
  for (const [k, v] of Object.entries(initial)) addRow(k, v);
  const el = h(
    'details.group.kv',
    { open: Object.keys(initial).length > 0 || undefined },
    h('summary', 'Extra properties', h('span.muted', ` · ${hint}`)),
    list,
    h('button.btn.small', { type: 'button', onclick: () => input(addRow(), 'key').focus() }, '+ Add property'),
  );

  return {
    el,
    values() {
      /** @type {Record<string, string>} */
      const out = {};
      for (const row of list.children) {
        const key = input(row, 'key').value.trim();
        if (key) out[key] = input(row, 'value').value.trim();
      }
      return out;
    },
    /**
     * Shows a message next to the row of this key; false when no row has it.
     * @param {string} key
     * @param {string[]} messages
     */
    setError(key, messages) {
      for (const row of list.children) {
        if (input(row, 'key').value.trim() !== key) continue;
        errorSlot(row).textContent = messages.join(' ');
        row.classList.toggle('invalid', messages.length > 0);
        el.open = true;
        return true;
      }
      return false;
    },
    clearErrors() {
      for (const row of list.children) {
        errorSlot(row).textContent = '';
        row.classList.remove('invalid');
      }
    },
  };
}
