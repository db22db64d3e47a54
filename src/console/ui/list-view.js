// @ts-check
// The list every page shows: search, sortable columns, paging and live refresh, speaking the API's
// json-server protocol (q, _sort/_order, _start/_end, X-Total-Count). State lives in the URL hash
// so a reload or a shared link shows the same page of the same search.
import { describeError, get } from '../api.js';
import { h, fill } from '../dom.js';
import { parseHash, replaceQuery } from '../router.js';
import { poll } from './poll.js';

/** @typedef {import('../dom.js').Child} Child */
/** @typedef {import('../api.js').Query} Query */

/**
 * A column: `key` shows that field as text unless `render` says otherwise; `sort` makes it sortable.
 * @template Row
 * @typedef {object} ListColumn
 * @property {string} label
 * @property {string} [key]
 * @property {string} [sort] the field the API sorts by
 * @property {string} [className]
 * @property {(row: Row) => Child} [render]
 */

/**
 * @template Row
 * @typedef {object} ListOptions
 * @property {string} path
 * @property {ListColumn<Row>[]} columns
 * @property {(row: Row) => string} rowKey
 * @property {string} [testid]
 * @property {boolean} [search] false: no search box
 * @property {string} [searchPlaceholder]
 * @property {string} [searchLabel]
 * @property {number} [pageSize]
 * @property {number} [pollMs] refresh this often; without it the list loads once
 * @property {() => Child} [empty]
 * @property {Child} [toolbar]
 * @property {{ searchable: string[] }} [local] the API answers the whole list: search, sort and page here
 * @property {{ sort: string, order: 'asc' | 'desc' }} [defaultSort]
 * @property {boolean} [urlState] false: an embedded list that keeps no state in the URL
 * @property {Query | (() => Query)} [query] more query parameters (a filter)
 * @property {(items: Row[], total: number) => void} [onLoad]
 */

/**
 * A field of a row, by name (search, sort and plain columns name their field).
 * @param {object} row
 * @param {string} key
 */
const fieldOf = (row, key) => /** @type {Record<string, unknown>} */ (row)[key];

let instances = 0;

/**
 * listView({
 *   path: '/ps', columns: [{key, label, sort?: 'field', render(row), className}], rowKey: (row) => id,
 *   searchPlaceholder, pageSize, pollMs, empty: () => node, toolbar: [nodes], testid,
 *   local: {searchable: ['field']}  // the API answers the whole list: search, sort and page here
 *   defaultSort: {sort, order}, search: false (no search box), urlState: false (embedded list)
 * }) → {el, refresh(), stop()}
 * @template {object} Row
 * @param {ListOptions<Row>} options
 */
export function listView(options) {
  const id = ++instances;
  const pageSize = options.pageSize ?? 20;
  // Only the page's main list keeps its state in the URL; lists inside a detail view start fresh.
  const urlState = options.urlState !== false;
  const initial = urlState ? parseHash().query : {};
  const state = {
    q: initial.q ?? '',
    sort: initial.sort ?? options.defaultSort?.sort ?? '',
    order: initial.order ?? options.defaultSort?.order ?? 'asc',
    page: Math.max(1, Number(initial.page) || 1),
  };
  const rows = new Map(); // key → {sig, tr}: unchanged rows keep their DOM (focus, hover) between polls
  let total = 0;
  let loaded = false;
  /** @type {Row[] | undefined} */
  let localRows;

  const searchId = `search-${id}`;
  const search = h('input.search', {
    id: searchId,
    type: 'search',
    placeholder: options.searchPlaceholder ?? 'Search…',
    value: state.q,
    autocomplete: 'off',
    'data-testid': 'search',
  });
  const error = h('div.inline-alert', { role: 'alert', hidden: true, 'data-testid': 'list-error' });
  const tbody = h('tbody');
  const summary = h('span.pager-summary', { 'data-testid': 'pager-summary' });
  const prev = h('button.btn.small', { type: 'button', onclick: () => go(state.page - 1) }, '‹ Previous');
  const next = h('button.btn.small', { type: 'button', onclick: () => go(state.page + 1) }, 'Next ›');
  const live = h('span.live', { title: 'Refreshes every few seconds while this tab is visible' });
  const headCells = options.columns.map((col) => headerCell(col));
  const el = h(
    `section.panel.list${options.search === false ? '.plain' : ''}`,
    { 'data-testid': options.testid ?? 'list' },
    options.search === false && !options.toolbar
      ? null
      : h(
          'div.toolbar',
          options.search === false
            ? null
            : h(
                'div.search-box',
                h('label.visually-hidden', { for: searchId }, options.searchLabel ?? 'Search'),
                search,
              ),
          options.toolbar ?? null,
          h('span.spacer'),
          options.pollMs ? live : null,
        ),
    error,
    h('div.table-wrap', h('table.table', h('thead', h('tr', headCells)), tbody)),
    h('div.pager', summary, h('span.spacer'), prev, next),
  );

  /** @param {ListColumn<Row>} col */
  function headerCell(col) {
    if (!col.sort) return h('th', { class: col.className, scope: 'col' }, col.label);
    const button = h(
      'button.sort',
      { type: 'button', onclick: () => sortBy(/** @type {string} */ (col.sort)) },
      col.label,
      h('span.sort-icon', { 'aria-hidden': 'true' }),
    );
    const th = h('th', { class: col.className, scope: 'col', 'data-sort': col.sort }, button);
    return th;
  }

  function paintHeader() {
    for (const th of headCells) {
      const field = th.dataset.sort;
      if (!field) continue;
      const active = field === state.sort;
      th.setAttribute('aria-sort', active ? (state.order === 'desc' ? 'descending' : 'ascending') : 'none');
      th.classList.toggle('sorted', active);
    }
  }

  function remember() {
    if (!urlState) return;
    replaceQuery({
      ...parseHash().query,
      q: state.q,
      sort: state.sort,
      order: state.sort ? state.order : '',
      page: state.page > 1 ? state.page : '',
    });
  }

  /** @param {string} field */
  function sortBy(field) {
    if (state.sort === field) state.order = state.order === 'asc' ? 'desc' : 'asc';
    else {
      state.sort = field;
      state.order = 'asc';
    }
    state.page = 1;
    remember();
    poller.now();
  }

  /** @param {number} page */
  function go(page) {
    state.page = Math.max(1, page);
    remember();
    poller.now();
  }

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let debounce;
  search.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => {
      state.q = search.value.trim();
      state.page = 1;
      remember();
      poller.now();
    }, 250);
  });

  /** @returns {Promise<{ items: Row[], total: number }>} */
  async function fetchPage() {
    const start = (state.page - 1) * pageSize;
    const { local } = options;
    if (local) {
      if (!localRows || options.pollMs)
        localRows = /** @type {Row[] | undefined} */ ((await get(options.path)).data) ?? [];
      const q = state.q.toLowerCase();
      const matching = q
        ? localRows.filter((r) =>
            local.searchable.some((f) =>
              String(fieldOf(r, f) ?? '')
                .toLowerCase()
                .includes(q),
            ),
          )
        : localRows;
      const sorted = state.sort
        ? [...matching].sort(
            (a, b) =>
              String(fieldOf(a, state.sort) ?? '').localeCompare(String(fieldOf(b, state.sort) ?? ''), undefined, {
                numeric: true,
              }) * (state.order === 'desc' ? -1 : 1),
          )
        : matching;
      return { items: sorted.slice(start, start + pageSize), total: matching.length };
    }
    const res = await get(options.path, {
      ...(typeof options.query === 'function' ? options.query() : (options.query ?? {})),
      q: state.q,
      _sort: state.sort,
      _order: state.sort ? state.order.toUpperCase() : '',
      _start: start,
      _end: start + pageSize,
    });
    /** @type {Row[]} */
    const items = Array.isArray(res.data) ? res.data : [];
    return { items, total: res.total ?? items.length };
  }

  async function load() {
    try {
      const page = await fetchPage();
      if (page.items.length === 0 && page.total > 0 && state.page > 1) {
        // The page emptied under us (rows deleted): step back rather than show nothing.
        state.page = Math.max(1, Math.ceil(page.total / pageSize));
        remember();
        return load();
      }
      total = page.total;
      loaded = true;
      error.hidden = true;
      paintRows(page.items);
      live.replaceChildren(h('span.live-dot', { 'aria-hidden': 'true' }), 'Live');
      live.classList.remove('stale');
      options.onLoad?.(page.items, total);
    } catch (e) {
      fill(error, describeError(e));
      error.hidden = false;
      live.replaceChildren(h('span.live-dot', { 'aria-hidden': 'true' }), 'Not updating');
      live.classList.add('stale');
      if (!loaded) paintMessage('Could not load this list.');
      throw e;
    }
  }

  /** @param {string} text */
  function paintMessage(text) {
    rows.clear();
    tbody.replaceChildren(h('tr.empty', h('td', { colspan: options.columns.length }, text)));
  }

  /** @param {Row[]} items */
  function paintRows(items) {
    paintHeader();
    const bucket = Math.floor(Date.now() / 30000); // relative times ("2 min ago") refresh twice a minute
    if (items.length === 0) {
      tbody.replaceChildren(
        h(
          'tr.empty',
          h(
            'td',
            { colspan: options.columns.length },
            state.q ? `Nothing matches “${state.q}”.` : (options.empty?.() ?? 'Nothing here yet.'),
          ),
        ),
      );
      rows.clear();
    } else {
      const seen = new Set();
      const trs = items.map((row) => {
        const key = options.rowKey(row);
        seen.add(key);
        const sig = `${bucket}${JSON.stringify(row)}`;
        const known = rows.get(key);
        if (known && known.sig === sig) return known.tr;
        const tr = h(
          'tr',
          { 'data-testid': `row-${key}`, 'data-key': key },
          options.columns.map((col) =>
            h(
              'td',
              { class: col.className, 'data-label': col.label },
              col.render ? col.render(row) : String(fieldOf(row, String(col.key)) ?? '—'),
            ),
          ),
        );
        rows.set(key, { sig, tr });
        return tr;
      });
      for (const key of [...rows.keys()]) if (!seen.has(key)) rows.delete(key);
      tbody.replaceChildren(...trs);
    }
    const first = total === 0 ? 0 : (state.page - 1) * pageSize + 1;
    const last = Math.min(total, state.page * pageSize);
    summary.textContent = total === 0 ? '0 items' : `${first}–${last} of ${total}`;
    prev.disabled = state.page <= 1;
    next.disabled = state.page * pageSize >= total;
  }

  paintHeader();
  paintMessage('Loading…');
  const poller = poll(load, options.pollMs || 24 * 3600 * 1000);
  return {
    el,
    refresh: () => poller.now(),
    /** From the first page again: the filter changed. */
    reload: () => go(1),
    stop: () => poller.stop(),
  };
}
