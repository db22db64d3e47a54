// @ts-check
// The building blocks every page shares, so all pages read the same way.
import { h } from '../dom.js';
import { href } from '../router.js';

/** @typedef {import('../dom.js').Child} Child */

/**
 * A column of a static table.
 * @template Row
 * @typedef {{ label: string, className?: string, render: (row: Row) => Child }} Column
 */

/**
 * Page title with breadcrumbs ([['Connects', ['connects']], ['orders']]) and actions on the right.
 * @param {object} header
 * @param {string} header.title
 * @param {string} [header.subtitle]
 * @param {([string, string[]] | [string])[]} [header.crumbs] label and, but for the last, where it links
 * @param {Child} [header.actions]
 * @param {Node} [header.badge]
 */
export function pageHeader({ title, subtitle, crumbs, actions, badge }) {
  return h(
    'header.page-header',
    crumbs
      ? h(
          'nav.crumbs',
          { 'aria-label': 'Breadcrumb' },
          crumbs.map(([label, segments], i) => [
            i > 0 ? h('span.sep', { 'aria-hidden': 'true' }, '/') : null,
            segments ? h('a', { href: href(segments) }, label) : h('span', { 'aria-current': 'page' }, label),
          ]),
        )
      : null,
    h(
      'div.title-row',
      h('div.title-block', h('h1', title, badge ? [' ', badge] : null), subtitle ? h('p.subtitle', subtitle) : null),
      actions ? h('div.actions', actions) : null,
    ),
  );
}

/**
 * @param {string | null} title
 * @param {Child[]} content
 */
export function card(title, ...content) {
  return h('section.card', title ? h('h2.card-title', title) : null, ...content);
}

/**
 * A definition list from [label, value] pairs; pairs with an undefined value are skipped.
 * @param {[string, Child][]} pairs
 */
export function details(pairs) {
  return h(
    'dl.details',
    pairs.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => [h('dt', k), h('dd', v)]),
  );
}

/** @param {Child} message */
export function errorBox(message) {
  return h('div.inline-alert', { role: 'alert' }, message);
}

export function loading(text = 'Loading…') {
  return h('div.loading', { 'aria-busy': 'true' }, h('span.spinner', { 'aria-hidden': 'true' }), text);
}

/**
 * A link out of the console (Temporal UI): opens in a new tab and says so.
 * @param {string} url
 * @param {string} text
 * @param {import('../dom.js').Attrs} [attrs]
 */
export function externalLink(url, text, attrs = {}) {
  return h(
    'a.external',
    { href: url, target: '_blank', rel: 'noopener', ...attrs },
    text,
    h('span.ext', { 'aria-hidden': 'true' }, ' ↗'),
  );
}

/**
 * A simple static table: columns [{label, render(row)}].
 * @template Row
 * @param {Column<Row>[]} columns
 * @param {Row[]} rows
 * @param {{ empty?: string, testid?: string }} [options]
 */
export function simpleTable(columns, rows, { empty = 'Nothing to show.', testid } = {}) {
  return h(
    'div.table-wrap',
    h(
      'table.table',
      { 'data-testid': testid },
      h(
        'thead',
        h(
          'tr',
          columns.map((c) => h('th', { scope: 'col', class: c.className }, c.label)),
        ),
      ),
      h(
        'tbody',
        rows.length === 0
          ? h('tr.empty', h('td', { colspan: columns.length }, empty))
          : rows.map((row) =>
              h(
                'tr',
                columns.map((c) => h('td', { class: c.className, 'data-label': c.label }, c.render(row))),
              ),
            ),
      ),
    ),
  );
}
