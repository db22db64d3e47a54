// @ts-check
// Tiny DOM helpers. Everything the console shows is built with textContent, never innerHTML,
// so names, configs and error messages coming from the engines can never inject markup.

/**
 * What may stand as a child: nodes, text (numbers and the like as text), nothing, or lists of them.
 * @typedef {Node | string | number | boolean | null | undefined | ChildList} Child
 */
/** @typedef {{ readonly [index: number]: Child, readonly length: number }} ChildList an array of children */

/**
 * Attributes: on* take listeners; false/null/undefined leave the attribute out.
 * @typedef {{ [listener: `on${string}`]: ((event: Event) => unknown) | undefined | null | false }
 *   & { [attribute: string]: unknown }} Attrs
 */

/**
 * The element a spec makes: 'input#name.wide' → HTMLInputElement, anything not a known tag → HTMLElement.
 * @template {string} S
 * @typedef {S extends `${infer T}#${string}` ? TagElement<T> : TagElement<S>} ElementOf
 */

/**
 * @template {string} S
 * @typedef {S extends `${infer T}.${string}` ? TagElement<T> : S extends keyof HTMLElementTagNameMap
 *   ? HTMLElementTagNameMap[S] : HTMLElement} TagElement
 */

/**
 * h('button#save.btn.primary', {onclick, 'data-testid': 'x'}, 'Save') — tag with optional #id and
 * .classes, attributes (on* become listeners; false/null/undefined are skipped), then children.
 * @template {string} S
 * @param {S} spec
 * @param {Attrs | Child} [attrs]
 * @param {Child[]} children
 * @returns {ElementOf<S>}
 */
export function h(spec, attrs, ...children) {
  const tag = /** @type {RegExpMatchArray} */ (spec.match(/^[a-z0-9-]*/i))[0];
  const el = document.createElement(tag || 'div');
  const classes = [];
  for (const [, kind, name] of spec.slice(tag.length).matchAll(/([.#])([^.#]+)/g)) {
    if (kind === '#') el.id = name;
    else classes.push(name);
  }
  if (classes.length) el.className = classes.join(' ');
  if (attrs && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = undefined;
  }
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = [el.className, value].filter(Boolean).join(' ');
    else if (key === 'value') /** @type {HTMLInputElement} */ (el).value = String(value);
    else if (key === 'checked' || key === 'selected' || key === 'disabled') Reflect.set(el, key, Boolean(value));
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return /** @type {ElementOf<S>} */ (el);
}

/**
 * @template {Element} E
 * @param {E} el
 * @param {Child[]} children
 * @returns {E}
 */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/**
 * @template {Element} E
 * @param {E} el
 * @returns {E}
 */
export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/**
 * Replaces an element's content.
 * @template {Element} E
 * @param {E} el
 * @param {Child[]} children
 * @returns {E}
 */
export function fill(el, ...children) {
  return append(clear(el), children);
}

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const ABSOLUTE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * "3 min ago", with the exact time as tooltip: engineers scan recency, then check the exact time.
 * @param {unknown} value an ISO time or epoch milliseconds
 */
export function timeAgo(value) {
  if (value === undefined || value === null || value === '') return h('span.muted', '—');
  const date = new Date(typeof value === 'number' ? value : String(value));
  if (Number.isNaN(date.getTime())) return h('span', String(value));
  const seconds = Math.round((date.getTime() - Date.now()) / 1000);
  const abs = Math.abs(seconds);
  const text =
    abs < 45
      ? RELATIVE.format(seconds, 'second')
      : abs < 2700
        ? RELATIVE.format(Math.round(seconds / 60), 'minute')
        : abs < 79200
          ? RELATIVE.format(Math.round(seconds / 3600), 'hour')
          : RELATIVE.format(Math.round(seconds / 86400), 'day');
  return h('time', { datetime: date.toISOString(), title: ABSOLUTE.format(date) }, text);
}

/** @param {unknown} value an ISO time or epoch milliseconds */
export function formatTime(value) {
  if (value === undefined || value === null || value === '') return '—';
  const date = new Date(typeof value === 'number' ? value : String(value));
  return Number.isNaN(date.getTime()) ? String(value) : ABSOLUTE.format(date);
}

/** @param {unknown} n */
export function formatBytes(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** @param {unknown} ms */
export function formatDuration(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

/**
 * The last dotted part of a Java class name: what people call the plugin.
 * @param {string | undefined} name
 */
export function shortClass(name) {
  return String(name ?? '')
    .split('.')
    .pop();
}

/**
 * Pretty JSON for display; strings that hold JSON are pretty-printed too.
 * @param {unknown} value
 */
export function prettyJson(value) {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2);
}
