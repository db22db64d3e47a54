// @ts-check
// A connector's config form, built from the plugin's own definition (GET /config/<class>/fields):
// Kafka Connect knows every key, its type, default, documentation and group better than any
// hand-written form could, and checks values the same way it will when the connector is created.
import { request } from './api.js';
import { h, shortClass } from './dom.js';

/** @typedef {import('./api-types.js').ConnectorField} ConnectorField */
/** @typedef {import('./api-types.js').ConnectorForm} ConnectorForm */
/** @typedef {Record<string, string[]>} FieldErrors messages by field key */

/** Groups every connector has (Kafka Connect's framework settings): shown after the plugin's own. */
const FRAMEWORK_GROUPS = [
  'Common',
  'Transforms',
  'Predicates',
  'Error Handling',
  'Topic Creation',
  'Exactly Once Support',
  'offsets.topic',
];
const NUMERIC = new Set(['INT', 'LONG', 'SHORT', 'DOUBLE']);

/** Form control ids must be unique in the page whatever the key holds. */
const controlId = (/** @type {string} */ name) => `cf-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/**
 * Error keys from the API may be prefixed (`connectorConfig.topic`); the form knows bare keys.
 * @param {string} errorKey
 */
export function configKeyOf(errorKey) {
  return errorKey.startsWith('connectorConfig.') ? errorKey.slice('connectorConfig.'.length) : errorKey;
}

/**
 * Ungrouped plugin settings, then the plugin's groups, then the framework's, in Connect's order.
 * @param {string} group
 */
function groupOrder(group) {
  if (group === 'Other') return -2;
  const i = FRAMEWORK_GROUPS.indexOf(group);
  return i === -1 ? -1 : i;
}

/**
 * @param {ConnectorField} field
 * @param {string | undefined} value
 */
function controlFor(field, value) {
  const id = controlId(field.name);
  const common = {
    id,
    name: field.name,
    'data-testid': `field-${field.name}`,
    'aria-describedby': `${id}-help ${id}-error`,
    'data-key': field.name,
  };
  const choices = field.type === 'BOOLEAN' ? ['true', 'false'] : field.recommendedValues;
  if (choices.length > 0) {
    const placeholder =
      field.defaultValue !== null && field.defaultValue !== '' ? `Default (${field.defaultValue})` : '— not set —';
    const options = [h('option', { value: '' }, placeholder), ...choices.map((v) => h('option', { value: v }, v))];
    if (value && !choices.includes(value)) options.push(h('option', { value }, value));
    const select = h('select', common, options);
    select.value = value ?? '';
    return select;
  }
  return h('input', {
    ...common,
    type: field.type === 'PASSWORD' ? 'password' : 'text',
    inputmode: NUMERIC.has(field.type) ? 'numeric' : undefined,
    // Kafka Connect shows password defaults as "[hidden]": not a value worth suggesting.
    placeholder:
      field.type === 'PASSWORD' ? '' : (field.defaultValue ?? (field.type === 'LIST' ? 'comma-separated' : '')),
    value: value ?? '',
    autocomplete: 'off',
    spellcheck: 'false',
  });
}

/**
 * @param {ConnectorField} field
 * @param {string | undefined} value
 */
function fieldRow(field, value) {
  const id = controlId(field.name);
  const help = field.documentation || '';
  const helpEl = h('div.help', { id: `${id}-help` }, help);
  if (help.length > 160) {
    // Plugin docs can run to paragraphs: two lines, then the rest on click.
    helpEl.classList.add('clamped');
    helpEl.title = 'Click to read more';
    helpEl.addEventListener('click', () => helpEl.classList.toggle('clamped'));
  }
  return h(
    'div.field',
    { 'data-field': field.name },
    h(
      'label',
      { for: id },
      field.displayName,
      field.required ? h('span.req', { title: 'required' }, ' *') : null,
      field.displayName !== field.name ? h('code.key', field.name) : null,
      h('span.type', field.type.toLowerCase()),
    ),
    controlFor(field, value),
    help ? helpEl : null,
    h('div.field-error', { id: `${id}-error`, 'data-testid': `error-${field.name}`, role: 'alert' }),
  );
}

/**
 * pluginForm(connectorClass, initial) → Promise<{el, fields, values(), showErrors(map, {onlyTouched}),
 * clearErrors(), check()}>. Values left empty are not sent: Kafka Connect then applies its defaults.
 * @param {string} connectorClass
 * @param {Record<string, string>} [initial] the values the form starts with
 */
export async function pluginForm(connectorClass, initial = {}) {
  const data = /** @type {ConnectorForm} */ (
    (await request('GET', `/config/${encodeURIComponent(connectorClass)}/fields`)).data
  );
  /** @type {Map<string, number>} */
  const firstSeen = new Map();
  data.fields.forEach((f, i) => {
    if (!firstSeen.has(f.group)) firstSeen.set(f.group, i);
  });
  const fields = [...data.fields].sort(
    (a, b) =>
      groupOrder(a.group) - groupOrder(b.group) ||
      Number(firstSeen.get(a.group)) - Number(firstSeen.get(b.group)) ||
      a.order - b.order,
  );
  const byName = new Map(fields.map((f) => [f.name, f]));
  /** @type {Set<string>} */
  const touched = new Set();

  // The plugin's ungrouped settings come first, with the framework settings every connector needs
  // (tasks.max, topics); then the plugin's own groups; Kafka Connect's other framework settings
  // are folded, one click away.
  const main = `${shortClass(connectorClass)} settings`;
  const essential = (/** @type {ConnectorField} */ f) => f.required || f.importance === 'HIGH';
  const groupOf = (/** @type {ConnectorField} */ f) =>
    f.group === 'Other' || (FRAMEWORK_GROUPS.includes(f.group) && essential(f)) ? main : f.group;
  /** @type {Map<string, ConnectorField[]>} */
  const groups = new Map([[main, []]]);
  for (const f of fields) {
    const g = groupOf(f);
    const list = groups.get(g) ?? [];
    if (!groups.has(g)) groups.set(g, list);
    list.push(f);
  }
  const sections = [...groups.entries()]
    .filter(([, list]) => list.length > 0)
    .map(([group, list]) => {
      const rows = list.map((f) => fieldRow(f, initial[f.name]));
      const used = list.filter((f) => (initial[f.name] ?? '') !== '').length;
      if (group === main || (!FRAMEWORK_GROUPS.includes(group) && list.some(essential))) {
        return h('fieldset.group', { 'data-group': group }, h('legend', group), h('div.fields', rows));
      }
      return h(
        'details.group',
        { 'data-group': group, open: used > 0 || undefined },
        h(
          'summary',
          group,
          h('span.muted', ` · ${list.length} setting${list.length === 1 ? '' : 's'}${used ? `, ${used} set` : ''}`),
        ),
        h('div.fields', rows),
      );
    });
  const el = h('div.plugin-form', { 'data-testid': 'plugin-fields' }, sections);

  /** A field's input or select; every field has one. */
  const control = (/** @type {string} */ name) =>
    /** @type {HTMLInputElement | HTMLSelectElement} */ (el.querySelector(`[data-key="${CSS.escape(name)}"]`));
  const errorSlot = (/** @type {string} */ name) => el.querySelector(`[data-field="${CSS.escape(name)}"] .field-error`);

  /** The values entered, empty ones left out. */
  function values() {
    /** @type {Record<string, string>} */
    const out = {};
    for (const f of fields) {
      const c = control(f.name);
      const v = f.type === 'PASSWORD' ? c.value : c.value.trim();
      if (v !== '') out[f.name] = v;
    }
    return out;
  }

  /**
   * @param {string} name
   * @param {string[]} messages
   */
  function setError(name, messages) {
    const slot = errorSlot(name);
    if (!slot) return false;
    slot.replaceChildren(...messages.map((m) => h('span', m)));
    /** @type {Element} */ (slot.closest('.field')).classList.toggle('invalid', messages.length > 0);
    control(name).setAttribute('aria-invalid', messages.length > 0 ? 'true' : 'false');
    if (messages.length > 0) {
      const folded = slot.closest('details');
      if (folded) folded.open = true;
    }
    return true;
  }

  function clearErrors() {
    for (const f of fields) setError(f.name, []);
  }

  /**
   * Shows per-field messages; keys this form does not have are given back for the caller to show
   * (the task name, the id, keys of extra properties).
   * @param {FieldErrors} map
   * @param {{ onlyTouched?: boolean }} [options] only fields the user has visited show their messages
   * @returns {FieldErrors}
   */
  function showErrors(map, { onlyTouched = false } = {}) {
    /** @type {FieldErrors} */
    const rest = {};
    const shown = new Set();
    for (const [key, messages] of Object.entries(map)) {
      const name = configKeyOf(key);
      if (byName.has(name)) {
        if (onlyTouched && !touched.has(name)) continue;
        setError(name, messages);
        shown.add(name);
      } else {
        rest[key] = messages;
      }
    }
    for (const f of fields) if (!shown.has(f.name) && (!onlyTouched || touched.has(f.name))) setError(f.name, []);
    return rest;
  }

  let checkSeq = 0;
  /**
   * Kafka Connect's verdict on the values entered, without creating anything.
   * @param {Record<string, string>} [extra] more config entries to check with the form's
   * @param {{ onlyTouched?: boolean }} [options]
   * @returns {Promise<FieldErrors | undefined>} undefined when a later check overtook this one
   */
  async function check(extra = {}, { onlyTouched = false } = {}) {
    const mine = ++checkSeq;
    const { data } = await request('POST', `/config/${encodeURIComponent(connectorClass)}/validate`, {
      body: { connectorConfig: { ...extra, ...values() } },
    });
    if (mine !== checkSeq) return undefined; // a later check is on its way: its answer wins
    const answer = /** @type {ConnectorForm} */ (data);
    /** @type {FieldErrors} */
    const errors = {};
    for (const f of answer.fields) if (f.errors.length > 0) errors[f.name] = f.errors;
    showErrors(errors, { onlyTouched });
    return errors;
  }

  // Checked as the user leaves a field, but only fields already visited show their errors: no
  // "missing required" shouted at fields nobody has reached yet.
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let debounce;
  el.addEventListener('change', (event) => {
    const key = event.target instanceof HTMLElement ? event.target.dataset.key : undefined;
    if (!key) return;
    touched.add(key);
    clearTimeout(debounce);
    debounce = setTimeout(() => check({}, { onlyTouched: true }).catch(() => undefined), 300);
  });

  return { el, fields, values, showErrors, clearErrors, check };
}
