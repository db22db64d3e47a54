// @ts-check
// Create and edit a connect. The plugin's own definition drives the fields; Kafka Connect checks
// the values (Check button, leaving a field, and on submit), and every refusal is shown next to
// the field it is about.
import { ApiError, describeError, get, request } from '../api.js';
import { fill, h, shortClass } from '../dom.js';
import { pluginForm, configKeyOf } from '../form.js';
import { href, navigate } from '../router.js';
import { runOperation } from '../operations.js';
import { formAlert } from '../ui/form-alert.js';
import { errorBox, loading, pageHeader } from '../ui/page.js';
import { kvEditor } from '../ui/kv-editor.js';
import { identityFields } from '../ui/text-field.js';

/** @typedef {import('../api-types.js').Task} Task */
/** @typedef {import('../api-types.js').InstalledPlugin} InstalledPlugin */

/** Keys DF sets on every connector itself: never asked for, never sent back by a form. */
const DF_KEYS = new Set(['name', 'connector.class']);

/** @param {InstalledPlugin} p */
function pluginOption(p) {
  return h('option', { value: p.class }, `${shortClass(p.class)} — ${p.type}, ${p.version}`);
}

/** @type {import('../router.js').Render} */
export async function render(view, { params, query }) {
  const editing = params.id !== undefined;
  const title = editing ? `Edit ${params.id}` : 'New connect';
  view.append(
    pageHeader({
      title,
      crumbs: [
        ['Connects', ['connects']],
        ...(editing ? /** @type {[string, string[]][]} */ ([[params.id, ['connects', params.id]]]) : []),
        [editing ? 'Edit' : 'New'],
      ],
    }),
  );
  const body = h('div', loading());
  view.append(body);

  /** @type {Task | undefined} */
  let task;
  /** @type {InstalledPlugin[]} */
  let plugins;
  try {
    [plugins, task] = await Promise.all([
      get('/config').then((r) => /** @type {InstalledPlugin[] | undefined} */ (r.data) ?? []),
      editing ? get(`/ps/${encodeURIComponent(params.id)}`).then((r) => /** @type {Task} */ (r.data)) : undefined,
    ]);
  } catch (error) {
    fill(body, errorBox(describeError(error)));
    return undefined;
  }
  const connectors = plugins.filter((p) => p.type === 'source' || p.type === 'sink');
  const initialClass = task?.connectorConfig?.['connector.class'] ?? query.plugin ?? '';

  const pluginSelect = h(
    'select#plugin',
    { name: 'plugin', 'data-testid': 'plugin-select', disabled: editing, 'aria-describedby': 'plugin-help' },
    h('option', { value: '' }, '— choose a plugin —'),
    ['source', 'sink'].map((type) =>
      h(
        'optgroup',
        { label: type === 'source' ? 'Sources: into Kafka' : 'Sinks: out of Kafka' },
        connectors.filter((p) => p.type === type).map(pluginOption),
      ),
    ),
  );
  if (initialClass && !connectors.some((p) => p.class === initialClass)) {
    pluginSelect.append(h('option', { value: initialClass }, `${shortClass(initialClass)} (not installed)`));
  }
  pluginSelect.value = initialClass;

  const { nameField, idField, descriptionField } = identityFields(task, editing, {
    name: 'A display name for people.',
    id: editing
      ? 'The connector name in Kafka Connect; it cannot change.'
      : 'The connector name in Kafka Connect: letters, digits, “.”, “_”, “-”. Left empty, DF makes one from the name with a unique ending.',
  });
  const nameInput = /** @type {HTMLInputElement} */ (nameField.querySelector('input'));
  const idInput = /** @type {HTMLInputElement} */ (idField.querySelector('input'));

  const pluginHolder = h('div.plugin-holder');
  const formError = formAlert();
  const submit = h(
    'button.btn.primary',
    { type: 'submit', 'data-testid': 'submit' },
    editing ? 'Save changes' : 'Create connect',
  );
  const checkButton = h(
    'button.btn',
    { type: 'button', 'data-testid': 'check', disabled: !initialClass },
    'Check config',
  );
  const checkResult = h('span.check-result', { 'data-testid': 'check-result', 'aria-live': 'polite' });
  const form = h(
    'form.form',
    { novalidate: true, 'data-testid': 'connect-form' },
    h(
      'fieldset.group',
      h('legend', 'Connector'),
      h(
        'div.fields',
        h(
          'div.field',
          h('label', { for: 'plugin' }, 'Plugin', h('span.req', { title: 'required' }, ' *')),
          pluginSelect,
          h(
            'div.help#plugin-help',
            editing
              ? 'The plugin cannot change: delete the connect and create a new one.'
              : 'Installed in Kafka Connect. See Plugins for the full list.',
          ),
        ),
        nameField,
        idField,
        descriptionField,
      ),
    ),
    pluginHolder,
    formError.el,
    h(
      'div.form-actions',
      submit,
      checkButton,
      checkResult,
      h('span.spacer'),
      h('a.btn.ghost', { href: editing ? href(['connects', params.id]) : href(['connects']) }, 'Cancel'),
    ),
  );
  fill(body, form);

  /** @type {Awaited<ReturnType<typeof pluginForm>> | undefined} the pluginForm of the chosen class */
  let plugin;
  /** @type {ReturnType<typeof kvEditor> | undefined} */
  let extra;
  /** @type {Record<string, string>} */
  const initialExtra = {};
  for (const [k, v] of Object.entries(task?.connectorConfig ?? {})) if (!DF_KEYS.has(k)) initialExtra[k] = v;

  /** @param {string} cls */
  async function choosePlugin(cls) {
    plugin = undefined;
    checkButton.disabled = !cls;
    if (!cls) {
      fill(pluginHolder, h('p.muted.pad', 'Choose a plugin to see its settings.'));
      return;
    }
    fill(pluginHolder, loading(`Reading ${shortClass(cls)}’s settings from Kafka Connect…`));
    try {
      const made = await pluginForm(cls, task?.connectorConfig ?? {});
      if (pluginSelect.value !== cls) return; // another plugin was chosen meanwhile
      plugin = made;
      // What the plugin does not define stays editable as extra properties (imported configs, transforms.*).
      const known = new Set(made.fields.map((f) => f.name));
      const rest = Object.fromEntries(Object.entries(initialExtra).filter(([k]) => !known.has(k)));
      extra = kvEditor(rest);
      fill(pluginHolder, made.el, extra.el);
    } catch (error) {
      fill(pluginHolder, errorBox(`Cannot read the plugin's settings: ${describeError(error)}`));
    }
  }
  pluginSelect.addEventListener('change', () => choosePlugin(pluginSelect.value));
  await choosePlugin(initialClass);

  /** @type {Record<string, HTMLDivElement>} */
  const ownFields = { name: nameField, id: idField, description: descriptionField };
  /**
   * @param {string} key
   * @param {string[]} messages
   */
  function setOwnError(key, messages) {
    const f = ownFields[key];
    if (!f) return false;
    /** @type {Element} */ (f.querySelector('.field-error')).replaceChildren(...messages.map((m) => h('span', m)));
    f.classList.toggle('invalid', messages.length > 0);
    return true;
  }

  function clearErrors() {
    formError.hide();
    checkResult.textContent = '';
    for (const key of Object.keys(ownFields)) setOwnError(key, []);
    plugin?.clearErrors();
    extra?.clearErrors();
  }

  /**
   * Every per-field message next to its field; what fits nowhere is listed under the form.
   * @param {Record<string, string[]>} fields
   */
  function showFieldErrors(fields) {
    const rest = plugin ? plugin.showErrors(fields) : fields;
    /** @type {string[]} */
    const leftover = [];
    for (const [key, messages] of Object.entries(rest)) {
      const bare = configKeyOf(key);
      if (key === 'connectorType' || bare === 'connector.class') {
        pluginSelect.setAttribute('aria-invalid', 'true');
        leftover.push(`${key}: ${messages.join(' ')}`);
      } else if (!setOwnError(key, messages) && !extra?.setError(bare, messages)) {
        leftover.push(`${key}: ${messages.join(' ')}`);
      }
    }
    return leftover;
  }

  checkButton.addEventListener('click', async () => {
    if (!plugin) return;
    clearErrors();
    checkResult.textContent = 'Checking…';
    try {
      const errors = await plugin.check(extra?.values() ?? {});
      if (!errors) return;
      const n = Object.values(errors).reduce((sum, m) => sum + m.length, 0);
      checkResult.textContent =
        n === 0 ? '✓ Kafka Connect accepts this config' : `${n} problem${n === 1 ? '' : 's'} to fix`;
      checkResult.className = `check-result ${n === 0 ? 'ok' : 'bad'}`;
    } catch (error) {
      checkResult.textContent = '';
      formError.show(describeError(error));
    }
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const cls = pluginSelect.value;
    if (!cls || !plugin) {
      formError.show('Choose a plugin first.');
      pluginSelect.focus();
      return;
    }
    const name = nameInput.value.trim();
    const description = /** @type {HTMLTextAreaElement} */ (descriptionField.querySelector('textarea')).value.trim();
    const connectorConfig = { ...extra?.values(), ...plugin.values(), 'connector.class': cls };
    const id = idInput.value.trim();
    const body = editing
      ? { name, description, connectorConfig }
      : { ...(id ? { id } : {}), name, ...(description ? { description } : {}), connectorConfig };
    submit.disabled = true;
    submit.textContent = editing ? 'Saving…' : 'Creating…';
    try {
      const outcome = await runOperation({
        title: editing ? `Update ${params.id}` : `Create ${name || id}`,
        rethrow: true,
        run: () =>
          editing
            ? request('PUT', `/ps/${encodeURIComponent(params.id)}`, {
                body,
                headers: task?.revision ? { 'If-Match': `"${task.revision}"` } : {},
              })
            : request('POST', '/ps', { body }),
        done: (/** @type {Task | undefined} */ t) => (t?.status ? `${t.id} is ${t.status}.` : ''),
      });
      navigate(['connects', outcome.data?.id ?? params.id ?? id]);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 409 || error.status === 412) && editing) {
        formError.showStale('connect', error);
      } else if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
        const leftover = showFieldErrors(error.fields);
        const placed = Object.keys(error.fields).length - leftover.length;
        const verdict = editing ? 'Not saved' : 'Not created';
        formError.show(
          placed > 0
            ? `${verdict}: ${placed} field${placed === 1 ? '' : 's'} to fix, marked above.`
            : `${verdict}: ${error.message}`,
          leftover,
        );
        /** @type {HTMLElement | null} */ (
          form.querySelector('.invalid input, .invalid select, .invalid textarea')
        )?.focus();
      } else {
        formError.show(describeError(error));
      }
    } finally {
      submit.disabled = false;
      submit.textContent = editing ? 'Save changes' : 'Create connect';
    }
  });
  return undefined;
}
