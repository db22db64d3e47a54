// @ts-check
// One subject: a version's fields and text, the difference between two versions, and a new version.
import { ApiError, describeError, get, request } from '../api.js';
import { fill, h, prettyJson } from '../dom.js';
import { replaceQuery } from '../router.js';
import { runOperation } from '../operations.js';
import { tag } from '../ui/badge.js';
import { card, details, errorBox, loading, pageHeader, simpleTable } from '../ui/page.js';
import { avroFields, avroType, formatDefault } from './avro.js';
import { COMPATIBILITIES } from './schema-form.js';
import { topicLink, topicOfSubject } from './topic.js';

/** @typedef {import('../api-types.js').SchemaRow} SchemaRow */
/** @typedef {import('../api-types.js').SchemaDiff} SchemaDiff */
/** @typedef {import('./avro.js').AvroObject} AvroObject */

/** @type {Record<string, string>} */
const CHANGE_TONE = { added: 'ok', removed: 'bad', type: 'warn', default: 'busy' };
/** @type {Record<string, string>} */
const CHANGE_LABEL = { added: 'added', removed: 'removed', type: 'type changed', default: 'default changed' };

/** @param {unknown} schema */
function fieldsTable(schema) {
  const fields = avroFields(schema);
  if (!fields) return null;
  return simpleTable(
    [
      { label: 'Field', render: (f) => h('code.strong', f.name) },
      { label: 'Type', className: 'wrap', render: (f) => h('code', avroType(f.type)) },
      {
        label: 'Default',
        render: (f) => ('default' in f ? h('code', formatDefault(f.default)) : h('span.muted', '—')),
      },
      { label: 'Doc', className: 'wrap', render: (f) => f.doc ?? '' },
    ],
    fields,
    { empty: 'The record has no fields.', testid: 'schema-fields' },
  );
}

/**
 * A change's side (from/to): a type or {type, default}.
 * @param {unknown} value
 * @param {string} change
 */
function side(value, change) {
  if (value === undefined) return h('span.muted', '—');
  if (change === 'default') return h('code', formatDefault(value));
  if (
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    'type' in value &&
    (change === 'added' || change === 'removed')
  ) {
    return h('code', avroType(value.type), 'default' in value ? ` = ${formatDefault(value.default)}` : '');
  }
  return h('code', avroType(value));
}

/** @param {SchemaDiff} diff */
function diffTable(diff) {
  return simpleTable(
    [
      { label: 'Field', render: (c) => h('code.strong', c.field) },
      { label: 'Change', render: (c) => tag(CHANGE_LABEL[c.change] ?? c.change, CHANGE_TONE[c.change] ?? 'plain') },
      { label: `In v${diff.from}`, className: 'wrap', render: (c) => side(c.from, c.change) },
      { label: `In v${diff.to}`, className: 'wrap', render: (c) => side(c.to, c.change) },
    ],
    diff.changes,
    { empty: `No field differs between v${diff.from} and v${diff.to}.`, testid: 'schema-diff' },
  );
}

/**
 * @param {string} id
 * @param {string} label
 * @param {number[]} versions
 * @param {number} value
 * @returns {[HTMLLabelElement, HTMLSelectElement]}
 */
function versionSelect(id, label, versions, value) {
  const select = h(
    'select',
    { id, 'data-testid': id },
    versions.map((v) => h('option', { value: String(v) }, `v${v}`)),
  );
  select.value = String(value);
  return [h('label', { for: id }, label), select];
}

/** @type {import('../router.js').Render} */
export async function render(view, { params, query }) {
  const { subject } = params;
  view.append(
    pageHeader({
      title: subject,
      crumbs: [['Schemas', ['schemas']], [subject]],
      actions: topicLink(
        topicOfSubject(subject),
        { class: 'btn', 'data-testid': 'subject-topic' },
        `Topic ${topicOfSubject(subject)}`,
      ),
    }),
  );
  const body = h('div.stack', loading());
  view.append(body);

  /** @type {SchemaRow} */
  let latest;
  try {
    latest = /** @type {SchemaRow} */ ((await get(`/schema/${encodeURIComponent(subject)}`)).data);
  } catch (error) {
    fill(
      body,
      errorBox(
        error instanceof ApiError && error.status === 404
          ? `The registry has no subject ${subject}.`
          : describeError(error),
      ),
    );
    return;
  }
  const versions = [...(latest.versions ?? [latest.version])].sort((a, b) => a - b);
  const state = {
    v: Number(query.v) || latest.version,
    from: Number(query.from) || versions[Math.max(0, versions.length - 2)],
    to: Number(query.to) || latest.version,
  };
  const remember = () => replaceQuery({ v: state.v !== latest.version ? state.v : '', from: state.from, to: state.to });

  const [vLabel, vSelect] = versionSelect('version', 'Version', versions, state.v);
  const versionView = h('div');
  const [fLabel, fromSelect] = versionSelect('diff-from', 'From', versions, state.from);
  const [tLabel, toSelect] = versionSelect('diff-to', 'To', versions, state.to);
  const diffView = h('div', { 'data-testid': 'diff-view' });

  async function showVersion() {
    fill(versionView, loading());
    try {
      const row =
        state.v === latest.version
          ? latest
          : /** @type {SchemaRow} */ ((await get(`/schema/${encodeURIComponent(subject)}/versions/${state.v}`)).data);
      const record = /** @type {AvroObject} */ (row.schema);
      fill(
        versionView,
        details([
          ['Version', `v${row.version}${row.version === latest.version ? ' (latest)' : ''}`],
          ['Schema id', String(row.schemaId)],
          ['Type', tag(row.schemaType)],
          ['Compatibility', tag(row.compatibility ?? latest.compatibility ?? '—')],
          [
            'Record',
            avroFields(row.schema)
              ? h('code', `${record.namespace ? `${record.namespace}.` : ''}${record.name ?? ''}`)
              : undefined,
          ],
        ]),
        fieldsTable(row.schema),
        h(
          'details.raw',
          h('summary', 'Schema text'),
          h('pre.code', { 'data-testid': 'schema-text' }, prettyJson(row.schema)),
        ),
      );
    } catch (error) {
      fill(versionView, errorBox(describeError(error)));
    }
  }

  async function showDiff() {
    if (versions.length < 2) {
      fill(diffView, h('p.muted', 'Only one version so far: nothing to compare.'));
      return;
    }
    if (latest.schemaType !== 'AVRO') {
      fill(
        diffView,
        h(
          'p.muted',
          `Field differences are computed for Avro records; this subject holds ${latest.schemaType} schemas.`,
        ),
      );
      return;
    }
    fill(diffView, loading());
    try {
      const { data } = await get(`/schema/${encodeURIComponent(subject)}/diff`, { from: state.from, to: state.to });
      fill(diffView, diffTable(/** @type {SchemaDiff} */ (data)));
    } catch (error) {
      fill(diffView, errorBox(describeError(error)));
    }
  }

  vSelect.addEventListener('change', () => {
    state.v = Number(vSelect.value);
    remember();
    showVersion();
  });
  fromSelect.addEventListener('change', () => {
    state.from = Number(fromSelect.value);
    remember();
    showDiff();
  });
  toSelect.addEventListener('change', () => {
    state.to = Number(toSelect.value);
    remember();
    showDiff();
  });

  fill(
    body,
    card(
      null,
      h(
        'div.inline-fields',
        vLabel,
        vSelect,
        h('span.muted', `${versions.length} version${versions.length === 1 ? '' : 's'}`),
      ),
      versionView,
    ),
    card('Compare versions', h('div.inline-fields', fLabel, fromSelect, tLabel, toSelect), diffView),
    newVersionCard(subject, latest),
  );
  await Promise.all([showVersion(), showDiff()]);
}

/**
 * PUT /schema/:subject: a new version if the registry finds it compatible, else its reason.
 * @param {string} subject
 * @param {SchemaRow} latest
 */
function newVersionCard(subject, latest) {
  const text = h('textarea#new-version-schema.code', {
    rows: 12,
    spellcheck: 'false',
    'data-testid': 'new-version-schema',
    'aria-describedby': 'new-version-error',
  });
  text.value = prettyJson(latest.schema);
  const compat = h(
    'select#new-version-compat',
    COMPATIBILITIES.map((c) =>
      h('option', { value: c }, c === '' ? `Keep (${latest.compatibility ?? 'registry default'})` : c),
    ),
  );
  const error = h('div.field-error#new-version-error', { role: 'alert' });
  const submit = h('button.btn.primary', { type: 'submit' }, 'Register new version');
  const form = h(
    'form.form',
    { novalidate: true },
    h('div.field', h('label', { for: 'new-version-schema' }, 'Schema'), text, error),
    h('div.field.narrow', h('label', { for: 'new-version-compat' }, 'Compatibility'), compat),
    h('div.form-actions', submit),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    submit.disabled = true;
    try {
      await runOperation({
        title: `New version of ${subject}`,
        rethrow: true,
        run: () =>
          request('PUT', `/schema/${encodeURIComponent(subject)}`, {
            body: {
              schema: text.value,
              schemaType: latest.schemaType,
              ...(compat.value ? { compatibility: compat.value } : {}),
            },
          }),
        done: (row) => (row?.version ? `Now at v${row.version}.` : ''),
      });
      window.location.reload();
    } catch (e) {
      const fields = e instanceof ApiError ? Object.values(e.fields).flat() : [];
      error.textContent = [describeError(e), ...fields].join(' — ');
    } finally {
      submit.disabled = false;
    }
  });
  return h('details.card.fold', h('summary.card-title', 'Register a new version'), form);
}
