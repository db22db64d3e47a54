// @ts-check
// A task's config versions (GET /ps|tr/:id/versions): who applied which config, when, by which run;
// two ticked versions compared key by key (SQL line by line), and a rollback to one of them run as
// its workflow. Shared by the connect and transform pages: both kinds keep versions the same way.
import { describeError, get, request } from '../api.js';
import { fill, h, timeAgo, formatTime } from '../dom.js';
import { runOperation } from '../operations.js';
import { temporalRunUrl } from '../settings.js';
import { tag } from './badge.js';
import { confirmDialog } from './dialog.js';
import { errorBox, externalLink, loading } from './page.js';
import { poll } from './poll.js';

/** @typedef {import('../api-types.js').ConfigVersion} ConfigVersion */
/** @typedef {import('../api-types.js').VersionDiff} VersionDiff */
/** @typedef {import('../api-types.js').KeyChange} KeyChange */
/** @typedef {import('../api-types.js').LineChange} LineChange */
/** @typedef {import('../api-types.js').Task} Task */

/** The newest versions shown; older ones are counted, and reachable through the API's paging. */
const SHOWN = 50;

/** @type {Record<string, string>} */
const CHANGE_TONE = { added: 'ok', removed: 'bad', changed: 'warn' };
/** @type {Record<string, string>} */
const OPERATION_TONE = { add: 'ok', update: 'busy', rollback: 'warn' };
/** @type {Record<string, string>} */
const LINE_MARK = { same: ' ', removed: '-', added: '+' };

/** @param {ConfigVersion} v */
function operationLabel(v) {
  return h(
    'span',
    tag(v.operation, OPERATION_TONE[v.operation] ?? 'plain'),
    v.restoredVersion !== undefined ? h('span.muted.small', ` of v${v.restoredVersion}`) : null,
  );
}

/**
 * A value as a diff shows one side of it: several lines keep their breaks.
 * @param {string | undefined} value
 */
function sideOf(value) {
  if (value === undefined) return h('span.muted', '—');
  return value.includes('\n') ? h('pre.code.diff-value', value) : h('code', value);
}

/**
 * The lines of a multi-line value, each marked kept, removed or added, with its numbers.
 * @param {string} key
 * @param {LineChange[]} lines
 */
function lineDiff(key, lines) {
  return h(
    'div.line-diff',
    { 'data-testid': 'line-diff', 'data-key': key, role: 'table', 'aria-label': `Line changes of ${key}` },
    lines.map((l) =>
      h(
        `div.diff-line.diff-${l.op}`,
        { 'data-testid': 'diff-line', 'data-op': l.op, role: 'row' },
        h('span.diff-num', { role: 'cell' }, 'oldLine' in l ? String(l.oldLine) : ''),
        h('span.diff-num', { role: 'cell' }, 'newLine' in l ? String(l.newLine) : ''),
        h('span.diff-mark', { role: 'cell', 'aria-label': l.op }, LINE_MARK[l.op]),
        h('span.diff-text', { role: 'cell' }, l.text),
      ),
    ),
  );
}

/** @param {VersionDiff} diff */
function diffView(diff) {
  if (diff.changes.length === 0)
    return h('p.muted', { 'data-testid': 'versions-diff' }, `v${diff.from} and v${diff.to} hold the same config.`);
  return h(
    'div.table-wrap',
    h(
      'table.table',
      { 'data-testid': 'versions-diff' },
      h(
        'thead',
        h(
          'tr',
          ['Key', 'Change', `In v${diff.from}`, `In v${diff.to}`].map((label) => h('th', { scope: 'col' }, label)),
        ),
      ),
      h(
        'tbody',
        diff.changes.map((c) =>
          h(
            'tr',
            { 'data-testid': `diff-${c.key}`, 'data-change': c.change },
            h('td', { 'data-label': 'Key' }, h('code', c.key)),
            h('td', { 'data-label': 'Change' }, tag(c.change, CHANGE_TONE[c.change] ?? 'plain')),
            c.change === 'changed' && c.lines
              ? h('td.wrap', { colspan: 2, 'data-label': 'Lines' }, lineDiff(c.key, c.lines))
              : [
                  h('td.wrap', { 'data-label': `In v${diff.from}` }, sideOf(c.change === 'added' ? undefined : c.old)),
                  h('td.wrap', { 'data-label': `In v${diff.to}` }, sideOf(c.change === 'removed' ? undefined : c.new)),
                ],
          ),
        ),
      ),
    ),
  );
}

/**
 * versionsCard({kind: 'connect', id, task: () => the task as last read, after}) → {el, stop(), now()}.
 * `after()` runs once a rollback ended, so the page reads the task again.
 * @param {object} options
 * @param {'connect' | 'transform'} options.kind
 * @param {string} options.id
 * @param {() => Task | undefined} options.task the task as the page last read it: its revision goes in If-Match
 * @param {() => void} [options.after]
 * @param {number} [options.pollMs]
 */
export function versionsCard({ kind, id, task, after = () => undefined, pollMs = 8000 }) {
  const base = `/${kind === 'connect' ? 'ps' : 'tr'}/${encodeURIComponent(id)}`;
  /** @type {Set<number>} */
  const picked = new Set();
  /** @type {ConfigVersion[]} */
  let rows = [];
  let lastSig = '';
  let diffKey = '';
  const list = h('div', loading());
  const summary = h('p.muted.small', { 'data-testid': 'versions-summary' });
  const outcome = h('div', { 'data-testid': 'versions-outcome' });
  const diff = h('div.versions-diff', { 'data-testid': 'versions-diff-view' });
  const el = h(
    'div.versions',
    { 'data-testid': 'versions' },
    summary,
    list,
    outcome,
    h('h3.card-subtitle', 'Compare'),
    diff,
  );

  function paintDiffHint() {
    diffKey = '';
    fill(
      diff,
      h(
        'p.muted',
        rows.length < 2 ? 'A second version appears once the config changes.' : 'Tick two versions to compare them.',
      ),
    );
  }

  async function showDiff() {
    if (picked.size !== 2) return paintDiffHint();
    const [from, to] = [...picked].sort((a, b) => a - b);
    const key = `${from}:${to}`;
    if (key === diffKey) return;
    diffKey = key;
    fill(diff, loading(`Comparing v${from} with v${to}…`));
    try {
      const d = /** @type {VersionDiff} */ ((await get(`${base}/versions/diff`, { from, to })).data);
      if (diffKey === key) fill(diff, diffView(d));
    } catch (error) {
      if (diffKey === key) fill(diff, errorBox(describeError(error)));
    }
  }

  /** @param {number} version */
  function togglePick(version) {
    if (picked.has(version)) picked.delete(version);
    else {
      // A third tick replaces the older of the two: the newest pick is what the user looks at.
      if (picked.size === 2) picked.delete(Math.min(...picked));
      picked.add(version);
    }
    paintRows();
    void showDiff();
  }

  /** @param {ConfigVersion} v */
  async function rollback(v) {
    const current = task();
    const stateless =
      kind === 'transform'
        ? h('input#rollback-stateless', { type: 'checkbox', 'data-testid': 'rollback-stateless' })
        : undefined;
    const ok = await confirmDialog({
      title: `Roll back ${current?.name || id} to v${v.version}?`,
      message:
        kind === 'connect'
          ? `Kafka Connect validates v${v.version}'s config, then runs the connector with it, as an update giving the whole config would. It is kept as a new version.`
          : `Flink plans v${v.version}'s SQL first, then the job moves to it over a savepoint, as an update would. It is kept as a new version.`,
      confirmLabel: `Roll back to v${v.version}`,
      body: stateless
        ? h(
            'label.check-option',
            { for: 'rollback-stateless' },
            stateless,
            ' Start without a savepoint (stateless): the job forgets its state',
          )
        : undefined,
    });
    if (!ok) return;
    fill(outcome);
    const result = await runOperation({
      title: `Roll back ${current?.name || id} to v${v.version}`,
      run: () =>
        request('POST', `${base}/rollback`, {
          body: { version: v.version },
          query: stateless?.checked ? { upgradeMode: 'stateless' } : undefined,
          // The rollback is refused if someone changed the task since this page read it.
          headers: current?.revision ? { 'If-Match': `"${current.revision}"` } : {},
        }),
      done: (/** @type {Task | undefined} */ t) =>
        `v${v.version}'s config is applied${t?.status ? `; now ${t.status}` : ''}.`,
    });
    fill(
      outcome,
      result.ok
        ? h('p.inline-ok', { 'data-testid': 'rollback-done' }, `Rolled back to v${v.version}.`)
        : errorBox(h('span', { 'data-testid': 'rollback-refused' }, describeError(result.error))),
    );
    refresh.now();
    after();
  }

  function paintRows() {
    const newest = rows[0]?.version;
    fill(
      list,
      h(
        'div.table-wrap',
        h(
          'table.table',
          { 'data-testid': 'versions-list' },
          h(
            'thead',
            h(
              'tr',
              h('th', { scope: 'col' }, h('span.visually-hidden', 'Compare')),
              ['Version', 'Operation', 'Who', 'When', 'Run'].map((label) => h('th', { scope: 'col' }, label)),
              h('th.actions-cell', { scope: 'col' }, h('span.visually-hidden', 'Actions')),
            ),
          ),
          h(
            'tbody',
            rows.length === 0
              ? h('tr.empty', h('td', { colspan: 7 }, 'No versions kept yet.'))
              : rows.map((v) =>
                  h(
                    'tr',
                    { 'data-testid': `version-${v.version}`, class: picked.has(v.version) ? 'selected' : undefined },
                    h(
                      'td',
                      h('input', {
                        type: 'checkbox',
                        checked: picked.has(v.version),
                        'aria-label': `Compare v${v.version}`,
                        'data-testid': `version-pick-${v.version}`,
                        onchange: () => togglePick(v.version),
                      }),
                    ),
                    h(
                      'td',
                      { 'data-label': 'Version' },
                      h('strong', `v${v.version}`),
                      v.version === newest ? h('span.muted.small', ' current') : null,
                    ),
                    h('td', { 'data-label': 'Operation' }, operationLabel(v)),
                    h('td', { 'data-label': 'Who' }, h('code', v.actor)),
                    h(
                      'td',
                      { 'data-label': 'When' },
                      h('div.cell-stack', timeAgo(v.at), h('span.muted.small', formatTime(v.at))),
                    ),
                    h(
                      'td.wrap',
                      { 'data-label': 'Run' },
                      v.workflowId ? externalLink(temporalRunUrl(v.workflowId, v.runId), v.workflowId) : '—',
                    ),
                    h(
                      'td.actions-cell',
                      v.version === newest
                        ? null
                        : h(
                            'button.btn.small',
                            {
                              type: 'button',
                              'data-testid': `rollback-${v.version}`,
                              onclick: async (/** @type {Event} */ e) => {
                                const button = /** @type {HTMLButtonElement} */ (e.currentTarget);
                                button.disabled = true;
                                try {
                                  await rollback(v);
                                } finally {
                                  button.disabled = false;
                                }
                              },
                            },
                            `Roll back to v${v.version}`,
                          ),
                    ),
                  ),
                ),
          ),
        ),
      ),
    );
  }

  const refresh = poll(async () => {
    try {
      const res = await get(`${base}/versions`, { _start: 0, _end: SHOWN });
      const next = /** @type {ConfigVersion[]} */ (res.data ?? []);
      const total = res.total ?? next.length;
      const sig = JSON.stringify([next, total]);
      // Repainted only when it changed, so ticks and focus stay while someone reads.
      if (sig === lastSig) return;
      lastSig = sig;
      rows = next;
      for (const v of [...picked]) if (!rows.some((r) => r.version === v)) picked.delete(v);
      fill(
        summary,
        total > rows.length
          ? `The newest ${rows.length} of ${total} versions.`
          : `${total} version${total === 1 ? '' : 's'}, newest first.`,
      );
      paintRows();
      void showDiff();
    } catch (error) {
      lastSig = '';
      fill(list, errorBox(describeError(error)));
    }
  }, pollMs);

  paintDiffHint();
  return { el, stop: refresh.stop, now: refresh.now };
}
