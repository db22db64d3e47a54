// @ts-check
// Hash routes (#/connects/abc/edit?q=x): the console is static files, so the server only ever
// serves "/" and every view must be reachable, bookmarkable and reloadable from the hash alone.

/** @typedef {{ segments: string[], query: Record<string, string> }} Route */
/** @typedef {Record<string, string | number | null | undefined>} QueryParams */
/** @typedef {(() => void) | undefined | void} Cleanup what a page's render gives back: stops its polling */

/**
 * A page: renders into `view` and gives back its cleanup (or a promise of it).
 * @typedef {(view: HTMLElement, route: Route & { params: Record<string, string> })
 *   => Cleanup | Promise<Cleanup>} Render
 */

/** @typedef {{ section: string | undefined, render: Render, params?: Record<string, string> }} Match */

/**
 * '#/connects/a%20b?q=x' → {segments: ['connects', 'a b'], query: {q: 'x'}}.
 * @returns {Route}
 */
export function parseHash(hash = window.location.hash) {
  const raw = hash.replace(/^#\/?/, '');
  const [path, search = ''] = raw.split('?');
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((s) => decodeURIComponent(s));
  return { segments, query: Object.fromEntries(new URLSearchParams(search)) };
}

/**
 * href(['connects', id, 'edit'], {q}) → '#/connects/<id>/edit?q=…' (empty params left out).
 * @param {string[]} segments
 * @param {QueryParams} [query]
 */
export function href(segments, query = {}) {
  const path = segments.map((s) => encodeURIComponent(s)).join('/');
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const search = params.toString();
  return `#/${path}${search ? `?${search}` : ''}`;
}

/**
 * @param {string[]} segments
 * @param {QueryParams} [query]
 */
export function navigate(segments, query) {
  window.location.hash = href(segments, query);
}

/**
 * Rewrites the current hash's query without re-rendering the page: a list's search, sort and page
 * are kept in the URL (reload and share keep them) while the list updates itself.
 * @param {QueryParams} query
 */
export function replaceQuery(query) {
  const { segments } = parseHash();
  window.history.replaceState(null, '', href(segments, query));
}

/**
 * Renders the page of the current hash into outlet on every hash change. `resolve(segments)` gives
 * {render, section}; a page's render returns its cleanup (stop polling), called before the next one.
 * @param {HTMLElement} outlet
 * @param {(segments: string[]) => Match} resolve
 * @param {(section: string | undefined) => void} [onRoute]
 */
export function startRouter(outlet, resolve, onRoute) {
  /** @type {Cleanup} */
  let cleanup;
  let generation = 0;
  const show = async () => {
    const mine = ++generation;
    if (typeof cleanup === 'function') cleanup();
    cleanup = undefined;
    const route = parseHash();
    const match = resolve(route.segments);
    onRoute?.(match.section);
    // A fresh element per visit: a slow page still loading after the user moved on writes into a
    // detached element instead of into the next page.
    const view = document.createElement('div');
    view.className = 'page';
    outlet.replaceChildren(view);
    window.scrollTo(0, 0);
    const done = await match.render(view, { ...route, params: match.params ?? {} });
    if (mine === generation) cleanup = done;
    else if (typeof done === 'function') done();
  };
  window.addEventListener('hashchange', show);
  return show();
}
