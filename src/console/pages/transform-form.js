// @ts-check
// Create and edit a transform: its kind's fields, the SQL in a code area, and a Check that has
// Flink plan it (POST /tr/check, which creates nothing) and marks each problem at its line.
import { ApiError, describeError, get, request } from '../api.js';
import { fill, h } from '../dom.js';
import { configKeyOf } from '../form.js';
import { runOperation } from '../operations.js';
import { href, navigate } from '../router.js';
import { codeArea } from '../ui/code-area.js';
import { kvEditor } from '../ui/kv-editor.js';
import { formAlert } from '../ui/form-alert.js';
import { errorBox, loading, pageHeader } from '../ui/page.js';
import { identityFields, textField } from '../ui/text-field.js';
import { DF_KEYS, KINDS, kindOf } from './transform-kinds.js';

/** @typedef {import('../api-types.js').Task} Task */
/** @typedef {import('../api-types.js').PlanProblem} PlanProblem */
/** @typedef {import('../api-types.js').UploadedJar} UploadedJar */
/** @typedef {import('./transform-kinds.js').KindField} KindField */
/** @typedef {import('./transform-kinds.js').TransformKind} TransformKind */

const SQL_FIELD = 'connectorConfig.trans_sql';
const SQL_HELP = {
  query: 'One SELECT. Each input topic is a table of the same name; DF declares the output table itself.',
  script: 'CREATE TABLE statements, SETs and INSERTs, separated by “;”. Every INSERT runs in one job.',
};

/**
 * A select for a field with choices; "default" (empty) first.
 * @param {KindField} f
 * @param {string} value
 */
function choiceField(f, value) {
  const id = `tf-${f.key}`;
  const select = h(
    'select',
    { id, name: f.key, 'data-testid': `field-${f.key}`, 'aria-describedby': `${id}-help ${id}-error` },
    h('option', { value: '' }, 'Default'),
    (f.choices ?? []).map((c) => h('option', { value: c }, c)),
  );
  if (value && !(f.choices ?? []).includes(value)) select.append(h('option', { value }, value));
  select.value = value;
  return h(
    'div.field',
    { 'data-field': id },
    h('label', { for: id }, f.label),
    select,
    f.help ? h('div.help', { id: `${id}-help` }, f.help) : null,
    h('div.field-error', { id: `${id}-error`, 'data-testid': `error-${id}`, role: 'alert' }),
  );
}

/**
 * @param {KindField} f
 * @param {string} value
 */
function kindField(f, value) {
  if (f.choices) return choiceField(f, value);
  return textField({
    id: `tf-${f.key}`,
    label: f.label,
    value,
    required: f.required,
    placeholder: f.placeholder,
    help: f.help,
    testid: `field-${f.key}`,
  });
}

/** @type {import('../router.js').Render} */
export async function render(view, { params, query }) {
  const editing = params.id !== undefined;
  view.append(
    pageHeader({
      title: editing ? `Edit ${params.id}` : 'New transform',
      crumbs: [
        ['Transforms', ['transforms']],
        ...(editing ? /** @type {[string, string[]][]} */ ([[params.id, ['transforms', params.id]]]) : []),
        [editing ? 'Edit' : 'New'],
      ],
    }),
  );
  const body = h('div', loading());
  view.append(body);

  /** @type {Task | undefined} */
  let task;
  try {
    task = editing ? /** @type {Task} */ ((await get(`/tr/${encodeURIComponent(params.id)}`)).data) : undefined;
  } catch (error) {
    fill(body, errorBox(describeError(error)));
    return undefined;
  }
  const stored = task?.connectorConfig ?? {};
  let kind = kindOf(task?.connectorType ?? query.kind ?? KINDS[0].type);
  /** Values typed so far, by key: kept when another kind with the same field is chosen. */
  /** @type {Record<string, string>} */
  const typed = { ...stored };

  const kindSelect = h(
    'select#kind',
    { name: 'kind', 'data-testid': 'kind-select', disabled: editing, 'aria-describedby': 'kind-help' },
    KINDS.map((k) => h('option', { value: k.type }, k.label)),
  );
  kindSelect.value = kind.type;
  const kindHelp = h('div.help#kind-help', kind.summary);
  const { nameField, idField, descriptionField } = identityFields(task, editing, {
    id: editing
      ? 'It cannot change.'
      : 'Letters, digits, “.”, “_”, “-”. Left empty, DF makes one from the name with a unique ending.',
  });
  const input = (/** @type {Element} */ f) => /** @type {HTMLInputElement} */ (f.querySelector('input, textarea'));

  const code = codeArea({
    id: 'trans_sql',
    value: stored.trans_sql ?? '',
    testid: 'sql-editor',
    rows: 12,
    describedBy: 'trans_sql-help trans_sql-error',
  });
  const sqlHelp = h('div.help#trans_sql-help');
  const sqlError = h('div.field-error#trans_sql-error', { 'data-testid': 'error-trans_sql', role: 'alert' });
  const sqlGroup = h(
    'fieldset.group',
    { 'data-field': 'trans_sql' },
    h('legend', h('label', { for: 'trans_sql' }, 'SQL'), h('span.req', { title: 'required' }, ' *')),
    code.el,
    sqlHelp,
    sqlError,
  );
  const jarFile = h('input#jar-file', { type: 'file', accept: '.jar', 'data-testid': 'jar-file' });
  const jarGroup = h(
    'div.field',
    h('label', { for: 'jar-file' }, 'Upload a jar'),
    jarFile,
    h('div.help', 'Uploaded when you create or save; its jar id then fills “Jar id”.'),
  );
  const kindFields = h('div.fields');
  const kindGroup = h('fieldset.group', h('legend', 'Settings'), kindFields);
  const known = new Set(KINDS.flatMap((k) => k.fields.map((f) => f.key)).concat('trans_sql'));
  const extra = kvEditor(
    Object.fromEntries(Object.entries(stored).filter(([k]) => !known.has(k) && !DF_KEYS.has(k))),
    'other connectorConfig keys, kept as they are',
  );

  const formError = formAlert();
  const submitLabel = editing ? 'Save changes' : 'Create transform';
  const submit = h('button.btn.primary', { type: 'submit', 'data-testid': 'submit' }, submitLabel);
  const checkButton = h('button.btn', { type: 'button', 'data-testid': 'check' }, 'Check');
  const checkResult = h('span.check-result', { 'data-testid': 'check-result', 'aria-live': 'polite' });
  const form = h(
    'form.form',
    { novalidate: true, 'data-testid': 'transform-form' },
    h(
      'fieldset.group',
      h('legend', 'Transform'),
      h(
        'div.fields',
        h(
          'div.field',
          h('label', { for: 'kind' }, 'Kind', h('span.req', { title: 'required' }, ' *')),
          kindSelect,
          kindHelp,
        ),
        nameField,
        idField,
        descriptionField,
      ),
    ),
    kindGroup,
    sqlGroup,
    extra.el,
    formError.el,
    h(
      'div.form-actions',
      submit,
      checkButton,
      checkResult,
      h('span.spacer'),
      h('a.btn.ghost', { href: editing ? href(['transforms', params.id]) : href(['transforms']) }, 'Cancel'),
    ),
  );
  fill(body, form);

  /** The control of a kind's field. */
  const control = (/** @type {string} */ key) =>
    /** @type {HTMLInputElement | HTMLSelectElement | null} */ (kindFields.querySelector(`#tf-${CSS.escape(key)}`));
  let shownKind = kind;
  /** The kind's own fields, keeping what was typed into fields of the same key. */
  function showKind() {
    for (const f of shownKind.fields) {
      const c = control(f.key);
      if (c) typed[f.key] = c.value;
    }
    shownKind = kind;
    kindHelp.textContent = kind.summary;
    fill(
      kindFields,
      kind.fields.map((f) => kindField(f, typed[f.key] ?? '')),
      kind.sql ? null : jarGroup,
    );
    kindGroup.hidden = kind.fields.length === 0;
    sqlGroup.hidden = !kind.sql;
    sqlHelp.textContent = kind.sql ? SQL_HELP[kind.sql] : '';
    checkButton.textContent = kind.sql ? 'Check SQL' : 'Check';
  }
  kindSelect.addEventListener('change', () => {
    kind = kindOf(kindSelect.value);
    showKind();
  });
  showKind();

  /** The connectorConfig the form holds: extra keys, then the kind's fields, then the SQL. */
  function config() {
    /** @type {Record<string, string>} */
    const out = { ...extra.values() };
    for (const f of kind.fields) {
      const v = control(f.key)?.value.trim() ?? '';
      if (v) out[f.key] = v;
    }
    if (kind.sql) out.trans_sql = code.value();
    for (const k of DF_KEYS) if (stored[k] !== undefined) out[k] = stored[k];
    return out;
  }

  /** The id the form names (empty: DF makes one), and the body of the create or the edit. */
  function requestBody() {
    const name = input(nameField).value.trim();
    const description = input(descriptionField).value.trim();
    const id = editing ? params.id : input(idField).value.trim();
    const connectorConfig = config();
    const body = editing
      ? { name, description, connectorConfig }
      : {
          ...(id ? { id } : {}),
          name,
          ...(description ? { description } : {}),
          connectorType: kind.type,
          connectorConfig,
        };
    return { id, name, body };
  }

  /** @type {Record<string, Element>} */
  const ownFields = { name: nameField, id: idField, description: descriptionField };
  /** The error slot of an API field key, if the form shows that field. */
  function slotOf(/** @type {string} */ key) {
    if (key === SQL_FIELD) return sqlError;
    const bare = configKeyOf(key);
    const field = ownFields[key] ?? kindFields.querySelector(`[data-field="tf-${CSS.escape(bare)}"]`);
    return field?.querySelector('.field-error') ?? undefined;
  }

  function clearErrors() {
    formError.hide();
    checkResult.textContent = '';
    checkResult.className = 'check-result';
    code.clearMarks();
    for (const slot of form.querySelectorAll('.field-error')) slot.replaceChildren();
    for (const f of form.querySelectorAll('.field.invalid')) f.classList.remove('invalid');
    extra.clearErrors();
  }

  /**
   * Each field's messages next to it; what fits nowhere is given back.
   * @param {Record<string, string[]>} fields
   */
  function showFieldErrors(fields) {
    /** @type {string[]} */
    const leftover = [];
    for (const [key, messages] of Object.entries(fields)) {
      const slot = slotOf(key);
      if (slot) {
        slot.replaceChildren(...messages.map((m) => h('span', m)));
        slot.closest('.field')?.classList.add('invalid');
      } else if (!extra.setError(configKeyOf(key), messages)) {
        leftover.push(`${key}: ${messages.join(' ')}`);
      }
    }
    return leftover;
  }

  /** @param {unknown} error */
  const problemsOf = (error) => {
    const d = error instanceof ApiError ? error.details : undefined;
    const p = d && typeof d === 'object' && 'problems' in d ? d.problems : undefined;
    return Array.isArray(p) ? /** @type {PlanProblem[]} */ (p) : [];
  };

  checkButton.addEventListener('click', async () => {
    clearErrors();
    checkResult.textContent = 'Checking…';
    try {
      // The check takes an add's body; an edit is checked under its own id.
      const { id, body } = requestBody();
      await request('POST', '/tr/check', { body: { ...body, ...(id ? { id } : {}), connectorType: kind.type } });
      checkResult.textContent = kind.sql ? '✓ Flink accepts this SQL' : '✓ The settings are valid';
      checkResult.className = 'check-result ok';
    } catch (error) {
      const problems = problemsOf(error);
      if (problems.length === 0) {
        checkResult.textContent = '';
        formError.show(describeError(error));
        return;
      }
      const inSql = problems.filter((p) => !p.field || p.field === SQL_FIELD);
      code.mark(inSql);
      /** @type {Record<string, string[]>} */
      const others = {};
      for (const p of problems)
        if (p.field && p.field !== SQL_FIELD) others[p.field] = [...(others[p.field] ?? []), p.message];
      const leftover = showFieldErrors(others);
      if (leftover.length) formError.show('Not accepted:', leftover);
      checkResult.textContent = `${problems.length} problem${problems.length === 1 ? '' : 's'} to fix`;
      checkResult.className = 'check-result bad';
    }
  });

  /** Uploads the chosen jar, if any, and fills its id in. */
  async function uploadChosenJar() {
    const file = jarFile.files?.[0];
    if (kind.sql || !file) return;
    const form = new FormData();
    form.append('file', file, file.name);
    const jar = /** @type {UploadedJar} */ ((await request('POST', '/uploaded_files', { form })).data);
    const jarInput = control('trans_jar');
    if (jarInput) jarInput.value = jar.jarId;
    jarFile.value = '';
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    submit.disabled = true;
    submit.textContent = editing ? 'Saving…' : 'Creating…';
    try {
      await uploadChosenJar();
      const { id, name, body } = requestBody();
      const outcome = await runOperation({
        title: editing ? `Update ${params.id}` : `Create ${name || id || 'transform'}`,
        rethrow: true,
        run: () =>
          editing
            ? request('PUT', `/tr/${encodeURIComponent(params.id)}`, {
                body,
                headers: task?.revision ? { 'If-Match': `"${task.revision}"` } : {},
              })
            : request('POST', '/tr', { body }),
        done: (/** @type {Task | undefined} */ t) => (t?.status ? `${t.id} is ${t.status}.` : ''),
      });
      navigate(['transforms', outcome.data?.id ?? id]);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 409 || error.status === 412) && editing) {
        formError.showStale('transform', error);
      } else if (error instanceof ApiError && Object.keys(error.fields).length > 0) {
        const leftover = showFieldErrors(error.fields);
        formError.show(`${editing ? 'Not saved' : 'Not created'}: ${error.message}`, leftover);
      } else {
        formError.show(describeError(error));
      }
    } finally {
      submit.disabled = false;
      submit.textContent = submitLabel;
    }
  });
  return undefined;
}
