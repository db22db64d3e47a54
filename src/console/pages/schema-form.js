// @ts-check
// Add a subject: the Kafka topic of its name is created too (POST /schema).
import { ApiError, describeError, request } from '../api.js';
import { h } from '../dom.js';
import { navigate, href } from '../router.js';
import { runOperation } from '../operations.js';
import { formAlert } from '../ui/form-alert.js';
import { pageHeader } from '../ui/page.js';

export const COMPATIBILITIES = [
  '',
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
];

const EXAMPLE = JSON.stringify(
  {
    type: 'record',
    name: 'Order',
    namespace: 'com.example',
    fields: [
      { name: 'id', type: 'string' },
      { name: 'amount', type: 'double' },
      { name: 'note', type: ['null', 'string'], default: null },
    ],
  },
  null,
  2,
);

/**
 * @param {string} id
 * @param {string} label
 * @param {HTMLElement} control
 * @param {string} [help]
 * @param {boolean} [required]
 */
function field(id, label, control, help, required) {
  return h(
    'div.field',
    { 'data-field': id },
    h('label', { for: id }, label, required ? h('span.req', { title: 'required' }, ' *') : null),
    control,
    help ? h('div.help', { id: `${id}-help` }, help) : null,
    h('div.field-error', { id: `${id}-error`, role: 'alert', 'data-testid': `error-${id}` }),
  );
}

/** @type {import('../router.js').Render} */
export function render(view) {
  const subject = h('input#subject', {
    type: 'text',
    autocomplete: 'off',
    spellcheck: 'false',
    'aria-describedby': 'subject-help subject-error',
    'data-testid': 'field-subject',
  });
  const type = h(
    'select#schemaType',
    ['AVRO', 'JSON', 'PROTOBUF'].map((t) => h('option', { value: t }, t)),
  );
  const compat = h(
    'select#compatibility',
    COMPATIBILITIES.map((c) => h('option', { value: c }, c || 'Registry default')),
  );
  const partitions = h('input#partitions', {
    type: 'text',
    inputmode: 'numeric',
    placeholder: '1',
    'aria-describedby': 'partitions-help partitions-error',
  });
  const schema = h('textarea#schema.code', {
    rows: 14,
    spellcheck: 'false',
    'aria-describedby': 'schema-help schema-error',
    'data-testid': 'field-schema',
  });
  schema.value = EXAMPLE;
  const formError = formAlert();
  const submit = h('button.btn.primary', { type: 'submit' }, 'Add schema');
  const form = h(
    'form.form',
    { novalidate: true, 'data-testid': 'schema-form' },
    h(
      'fieldset.group',
      h('legend', 'Subject'),
      h(
        'div.fields',
        field('subject', 'Subject', subject, 'Also the Kafka topic’s name: letters, digits, “.”, “_”, “-”.', true),
        field('schemaType', 'Type', type),
        field('compatibility', 'Compatibility', compat),
        field('partitions', 'Topic partitions', partitions, 'Used when the topic does not exist yet.'),
      ),
    ),
    h(
      'fieldset.group',
      h('legend', 'Schema'),
      field('schema', 'Schema text', schema, 'Avro records without a name take the subject’s.', true),
    ),
    formError.el,
    h('div.form-actions', submit, h('span.spacer'), h('a.btn.ghost', { href: href(['schemas']) }, 'Cancel')),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    formError.hide();
    for (const slot of form.querySelectorAll('.field-error')) slot.textContent = '';
    submit.disabled = true;
    try {
      const name = subject.value.trim();
      const outcome = await runOperation({
        title: `Add schema ${name}`,
        rethrow: true,
        run: () =>
          request('POST', '/schema', {
            body: {
              subject: name,
              schema: schema.value,
              schemaType: type.value,
              ...(compat.value ? { compatibility: compat.value } : {}),
              ...(partitions.value.trim() ? { partitions: Number(partitions.value.trim()) } : {}),
            },
          }),
        done: (/** @type {import('../api-types.js').SchemaRow | undefined} */ row) =>
          row?.version ? `v${row.version} registered.` : '',
      });
      navigate(['schemas', outcome.data?.subject ?? name]);
    } catch (error) {
      const leftover = [];
      for (const [key, messages] of Object.entries(error instanceof ApiError ? error.fields : {})) {
        const slot = form.querySelector(`#${CSS.escape(key === 'id' ? 'subject' : key)}-error`);
        if (slot) slot.textContent = messages.join(' ');
        else leftover.push(`${key}: ${messages.join(' ')}`);
      }
      formError.show(describeError(error), leftover);
    } finally {
      submit.disabled = false;
    }
  });
  view.append(pageHeader({ title: 'New schema', crumbs: [['Schemas', ['schemas']], ['New']] }), form);
}
