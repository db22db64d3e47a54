// @ts-check
// A connect's offsets as Kafka Connect keeps them (GET /ps/:id/offsets, KIP-875): where a source is
// in each of its partitions (a file, a table), where a sink's consumer group is in each topic
// partition. An admin alters them (PATCH) or resets them all (DELETE); each change is a workflow
// that stops the connector, changes them and puts it back, so the outcome names the state it is in.
import { describeError, get, request } from '../api.js';
import { fill, h } from '../dom.js';
import { runOperation } from '../operations.js';
import { confirmDialog } from './dialog.js';
import { errorBox, loading } from './page.js';
import { poll } from './poll.js';

/** @typedef {import('../api-types.js').ConnectorOffsets} ConnectorOffsets */
/** @typedef {import('../api-types.js').ConnectOffsetsChanged} ConnectOffsetsChanged */
/** @typedef {import('../api-types.js').OffsetMap} OffsetMap */
/** @typedef {OffsetMap[string]} OffsetValue */

/** @param {OffsetMap} map */
function pairs(map) {
  return h(
    'div.offset-fields',
    Object.entries(map).map(([k, v]) => h('span', h('span.muted', `${k}: `), h('code', JSON.stringify(v)))),
  );
}

/**
 * The value typed into an offset's input, of the type the offset had: Connect keeps numbers as
 * numbers, and a position typed as text would be a different offset.
 * @param {string} text
 * @param {OffsetValue} was
 * @returns {{ value: OffsetValue } | { error: string }}
 */
export function offsetValueOf(text, was) {
  const t = text.trim();
  if (typeof was === 'number') {
    return t !== '' && Number.isFinite(Number(t)) ? { value: Number(t) } : { error: 'expected a number' };
  }
  if (typeof was === 'boolean') {
    return t === 'true' || t === 'false' ? { value: t === 'true' } : { error: 'expected true or false' };
  }
  if (was === null && t === '') return { value: null };
  return { value: text };
}

/**
 * connectOffsetsCard({id, after}) → {el, stop(), now()}; `after()` runs once a change ended, so the
 * page reads the task (and its state) again.
 * @param {{ id: string, after?: () => void, pollMs?: number }} options
 */
export function connectOffsetsCard({ id, after = () => undefined, pollMs = 6000 }) {
  const path = `/ps/${encodeURIComponent(id)}/offsets`;
  /** @type {ConnectorOffsets['offsets']} */
  let offsets = [];
  let editing = false;
  let lastSig = '';
  /** @type {Map<string, HTMLInputElement>} */
  const inputs = new Map();
  const table = h('div', loading());
  const outcome = h('div', { 'data-testid': 'offsets-outcome' });
  const actions = h('div.offsets-actions');
  const el = h(
    'div.offsets',
    { 'data-testid': 'offsets' },
    h(
      'p.muted.small',
      'As Kafka Connect last committed them. A change stops the connector, changes them, and puts it back as it was.',
    ),
    table,
    actions,
    outcome,
  );

  /** @param {string} label @param {string} testid @param {() => unknown} onclick @param {string} [cls] */
  const button = (label, testid, onclick, cls = '') =>
    h(`button.btn.small${cls}`, { type: 'button', 'data-testid': testid, onclick }, label);

  function paint() {
    inputs.clear();
    const rows = offsets.map((o, i) =>
      h(
        'tr',
        { 'data-testid': `offset-row-${i}` },
        h('td.wrap', { 'data-label': 'Partition' }, pairs(o.partition)),
        h(
          'td.wrap',
          { 'data-label': 'Offset', 'data-testid': 'offset-value' },
          o.offset === null
            ? h('span.muted', 'reset: read from the start')
            : editing
              ? h(
                  'div.offset-fields',
                  Object.entries(o.offset).map(([k, v]) => {
                    const input = h('input', {
                      id: `offset-${i}-${k}`,
                      value: v === null ? '' : String(v),
                      'data-testid': `offset-input-${i}-${k}`,
                      autocomplete: 'off',
                      spellcheck: 'false',
                    });
                    inputs.set(`${i}\u0000${k}`, input);
                    return h('label', { for: input.id }, h('span.muted', `${k}: `), input);
                  }),
                )
              : pairs(o.offset),
        ),
      ),
    );
    fill(
      table,
      h(
        'div.table-wrap',
        h(
          'table.table',
          { 'data-testid': 'offsets-table' },
          h(
            'thead',
            h(
              'tr',
              ['Partition', 'Offset'].map((label) => h('th', { scope: 'col' }, label)),
            ),
          ),
          h(
            'tbody',
            rows.length === 0
              ? h('tr.empty', h('td', { colspan: 2 }, 'Kafka Connect has no offsets for this connector yet.'))
              : rows,
          ),
        ),
      ),
    );
    fill(
      actions,
      editing
        ? [
            button('Save offsets', 'offsets-save', () => void save(), '.primary'),
            button('Cancel', 'offsets-cancel', () => {
              editing = false;
              paint();
              refresh.now();
            }),
          ]
        : [
            offsets.some((o) => o.offset !== null)
              ? button('Edit offsets', 'offsets-edit', () => {
                  editing = true;
                  fill(outcome);
                  paint();
                })
              : null,
            offsets.length > 0 ? button('Reset offsets', 'offsets-reset', () => void reset(), '.danger-outline') : null,
          ],
    );
  }

  /** The partitions whose offset was edited, with their new offsets; or the first typing mistake. */
  function edited() {
    /** @type {ConnectorOffsets['offsets']} */
    const changed = [];
    for (const [i, o] of offsets.entries()) {
      if (o.offset === null) continue;
      /** @type {OffsetMap} */
      const next = {};
      let differs = false;
      for (const [k, was] of Object.entries(o.offset)) {
        const input = inputs.get(`${i}\u0000${k}`);
        if (!input) continue;
        const typed = offsetValueOf(input.value, was);
        if ('error' in typed) return { error: `${k} of partition ${i + 1}: ${typed.error}`, input };
        next[k] = typed.value;
        if (typed.value !== was) differs = true;
      }
      if (differs) changed.push({ partition: o.partition, offset: next });
    }
    return { changed };
  }

  /**
   * @param {string} title
   * @param {() => Promise<import('../api.js').ApiResponse>} run
   */
  async function change(title, run) {
    fill(outcome);
    const result = await runOperation({
      title,
      run,
      done: (/** @type {ConnectOffsetsChanged | undefined} */ r) =>
        [r?.message, r?.status ? `The connector is ${r.status}.` : ''].filter(Boolean).join(' '),
    });
    if (result.ok) {
      const r = /** @type {ConnectOffsetsChanged | undefined} */ (result.data);
      editing = false;
      fill(
        outcome,
        h(
          'p.inline-ok',
          { 'data-testid': 'offsets-done' },
          [r?.message, r?.status ? `The connector is ${r.status}.` : ''].filter(Boolean).join(' ') || 'Done.',
        ),
      );
    } else {
      fill(outcome, errorBox(h('span', { 'data-testid': 'offsets-refused' }, describeError(result.error))));
    }
    lastSig = '';
    refresh.now();
    after();
  }

  async function save() {
    const found = edited();
    if ('error' in found) {
      fill(outcome, errorBox(found.error ?? ''));
      found.input?.focus();
      return;
    }
    if (found.changed.length === 0) {
      fill(outcome, errorBox('No offset was changed.'));
      return;
    }
    const n = found.changed.length;
    const ok = await confirmDialog({
      title: `Change the offsets of ${n} partition${n === 1 ? '' : 's'} of ${id}?`,
      message:
        'DF stops the connector, Kafka Connect sets these offsets, and the connector is put back in the state it was in. A source reads on from the new position: records may be sent again or skipped.',
      confirmLabel: 'Change offsets',
    });
    if (!ok) return;
    await change(`Change the offsets of ${id}`, () => request('PATCH', path, { body: { offsets: found.changed } }));
  }

  async function reset() {
    const ok = await confirmDialog({
      title: `Reset every offset of ${id}?`,
      message:
        'DF stops the connector, Kafka Connect forgets its offsets, and the connector is put back in the state it was in: a source reads its partitions from the start again, a sink its topics from where its consumer resets to.',
      confirmLabel: 'Reset offsets',
      danger: true,
    });
    if (!ok) return;
    await change(`Reset the offsets of ${id}`, () => request('DELETE', path));
  }

  const refresh = poll(async () => {
    // An open edit is not repainted under the user's fingers.
    if (editing) return;
    try {
      const data = /** @type {ConnectorOffsets} */ ((await get(path)).data);
      const sig = JSON.stringify(data);
      if (sig === lastSig) return;
      lastSig = sig;
      offsets = data?.offsets ?? [];
      paint();
    } catch (error) {
      const message = describeError(error);
      if (message === lastSig) return;
      lastSig = message;
      offsets = [];
      fill(table, h('p.muted', { 'data-testid': 'offsets-unavailable' }, message));
      fill(actions);
    }
  }, pollMs);

  return { el, stop: refresh.stop, now: refresh.now };
}
