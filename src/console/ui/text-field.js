// @ts-check
// The one-line and multi-line text fields of the console's forms, each with its help and the
// place a refusal of its value is shown.
import { h } from '../dom.js';

/** @typedef {import('../api-types.js').Task} Task */

/**
 * @param {object} field
 * @param {string} field.id
 * @param {string} field.label
 * @param {string} [field.value]
 * @param {boolean} [field.required]
 * @param {string} [field.placeholder]
 * @param {string} [field.help]
 * @param {string} [field.testid]
 * @param {boolean} [field.readonly]
 * @param {boolean} [field.multiline] a textarea rather than a one-line input
 */
export function textField({ id, label, value = '', required, placeholder, help, testid, readonly, multiline }) {
  const attrs = {
    id,
    name: id,
    value,
    placeholder,
    readonly: readonly || undefined,
    'data-testid': testid,
    'aria-describedby': `${id}-help ${id}-error`,
    autocomplete: 'off',
    spellcheck: 'false',
  };
  const control = multiline ? h('textarea', { ...attrs, rows: 2 }) : h('input', { ...attrs, type: 'text' });
  if (multiline) control.value = value;
  return h(
    `div.field${multiline ? '.wide' : ''}`,
    { 'data-field': id },
    h('label', { for: id }, label, required ? h('span.req', { title: 'required' }, ' *') : null),
    control,
    help ? h('div.help', { id: `${id}-help` }, help) : null,
    h('div.field-error', { id: `${id}-error`, 'data-testid': `error-${id}`, role: 'alert' }),
  );
}

/**
 * A task's name, id and description fields, as its create and edit forms ask for them: the id is
 * fixed once the task exists.
 * @param {Task | undefined} task
 * @param {boolean} editing
 * @param {{ name?: string, id: string }} help
 */
export function identityFields(task, editing, help) {
  return {
    nameField: textField({
      id: 'name',
      label: 'Name',
      required: true,
      value: task?.name ?? '',
      testid: 'field-name',
      help: help.name,
    }),
    idField: textField({
      id: 'id',
      label: 'ID',
      value: task?.id ?? '',
      testid: 'field-id',
      readonly: editing,
      help: help.id,
    }),
    descriptionField: textField({
      id: 'description',
      label: 'Description',
      value: task?.description ?? '',
      testid: 'field-description',
      multiline: true,
    }),
  };
}
