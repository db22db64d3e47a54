// @ts-check
// A code area: a textarea with a gutter of line numbers, where problems are marked at their line
// and listed under it ("line 3, column 8: …"). A plain textarea keeps typing, undo, selection and
// accessibility the browser's own; the gutter only follows it.
import { h } from '../dom.js';

/**
 * A problem to mark; without a line it is listed only.
 * @typedef {object} CodeProblem
 * @property {number} [line] 1-based
 * @property {number} [column] 1-based
 * @property {string} message
 */

/**
 * "line 3, column 8: …", or the message alone when it has no place.
 * @param {CodeProblem} p
 */
export function problemText(p) {
  if (p.line === undefined) return p.message;
  return `line ${p.line}${p.column !== undefined ? `, column ${p.column}` : ''}: ${p.message}`;
}

/**
 * codeArea({id, value}) → {el, textarea, value(), mark(problems), clearMarks()}.
 * @param {object} options
 * @param {string} options.id the textarea's id (a label's `for`)
 * @param {string} [options.value]
 * @param {string} [options.testid]
 * @param {number} [options.rows]
 * @param {string} [options.describedBy] ids of the help and error elements about it
 */
export function codeArea({ id, value = '', testid, rows = 10, describedBy }) {
  const gutter = h('div.code-gutter', {
    'aria-hidden': 'true',
    'data-testid': testid ? `${testid}-gutter` : undefined,
  });
  const textarea = h('textarea.code.code-input', {
    id,
    name: id,
    rows,
    wrap: 'off',
    spellcheck: 'false',
    autocomplete: 'off',
    autocapitalize: 'off',
    'data-testid': testid,
    'aria-describedby': describedBy,
  });
  textarea.value = value;
  const list = h('ul.code-problems', {
    hidden: true,
    'data-testid': testid ? `${testid}-problems` : undefined,
    'aria-live': 'polite',
  });
  const el = h('div.code-area-wrap', h('div.code-area', gutter, textarea), list);

  /** @type {Map<number, string[]>} messages by line */
  let marks = new Map();

  function paintGutter() {
    const lines = textarea.value.split(/\r\n|\r|\n/).length;
    const numbers = [];
    for (let n = 1; n <= lines; n++) {
      const messages = marks.get(n);
      numbers.push(
        h(
          `div.code-line${messages ? '.bad' : ''}`,
          { 'data-line': n, title: messages ? messages.join('\n') : undefined },
          String(n),
        ),
      );
    }
    // Problems past the last line (the text was shortened since) still show where they were.
    for (const n of marks.keys()) if (n > lines) numbers.push(h('div.code-line.bad', { 'data-line': n }, String(n)));
    gutter.replaceChildren(...numbers);
    gutter.scrollTop = textarea.scrollTop;
  }

  /**
   * Puts the caret at a place, as a click on a listed problem does.
   * @param {CodeProblem} p
   */
  function goTo(p) {
    if (p.line === undefined) return;
    const lines = textarea.value.split(/(?<=\r\n|\r|\n)/);
    let offset = 0;
    for (let i = 0; i < p.line - 1 && i < lines.length; i++) offset += lines[i].length;
    offset += Math.max(0, (p.column ?? 1) - 1);
    textarea.focus();
    textarea.setSelectionRange(offset, offset);
  }

  /**
   * Marks each problem at its line and lists them all.
   * @param {CodeProblem[]} problems
   */
  function mark(problems) {
    marks = new Map();
    for (const p of problems) {
      if (p.line === undefined) continue;
      marks.set(p.line, [...(marks.get(p.line) ?? []), problemText(p)]);
    }
    list.replaceChildren(
      ...problems.map((p) =>
        h(
          'li',
          { 'data-line': p.line },
          p.line === undefined
            ? p.message
            : h('button.link', { type: 'button', onclick: () => goTo(p) }, problemText(p)),
        ),
      ),
    );
    list.hidden = problems.length === 0;
    textarea.setAttribute('aria-invalid', problems.length > 0 ? 'true' : 'false');
    paintGutter();
  }

  function clearMarks() {
    mark([]);
  }

  textarea.addEventListener('input', paintGutter);
  textarea.addEventListener('scroll', () => {
    gutter.scrollTop = textarea.scrollTop;
  });
  paintGutter();

  return { el, textarea, value: () => textarea.value, mark, clearMarks };
}
