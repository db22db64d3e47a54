import type { StringMap } from './task';

/**
 * What changed between two configs, key by key; SQL (and any value of several lines) also line by
 * line, so a reviewer sees which lines of a query an update touched.
 */

/** One line of a line diff: kept, or only in the old or the new text, with its 1-based numbers. */
export type LineChange =
  | { op: 'same'; text: string; oldLine: number; newLine: number }
  | { op: 'removed'; text: string; oldLine: number }
  | { op: 'added'; text: string; newLine: number };

export type KeyChange =
  | { key: string; change: 'added'; new: string }
  | { key: string; change: 'removed'; old: string }
  | { key: string; change: 'changed'; old: string; new: string; lines?: LineChange[] };

/** Keys whose values are diffed line by line whatever they hold. */
export const LINE_DIFFED_KEYS: readonly string[] = ['trans_sql'];

/**
 * Above this many cells of the LCS table (lines of old × lines of new, once the common head and
 * tail are set aside) the changed middle is shown as removed then added: the diff stays bounded.
 */
const MAX_LCS_CELLS = 4_000_000;

function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/** The lines of `before` and `after` as kept, removed and added (a longest common subsequence). */
export function lineDiff(before: string, after: string): LineChange[] {
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const out: LineChange[] = [];
  for (let i = 0; i < head; i++) out.push({ op: 'same', text: a[i], oldLine: i + 1, newLine: i + 1 });
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  out.push(...middleDiff(midA, midB, head));
  for (let k = tail; k > 0; k--) {
    out.push({ op: 'same', text: a[a.length - k], oldLine: a.length - k + 1, newLine: b.length - k + 1 });
  }
  return out;
}

function middleDiff(a: string[], b: string[], offset: number): LineChange[] {
  const n = a.length;
  const m = b.length;
  const removedAll = (): LineChange[] => a.map((text, i) => ({ op: 'removed', text, oldLine: offset + i + 1 }));
  const addedAll = (): LineChange[] => b.map((text, j) => ({ op: 'added', text, newLine: offset + j + 1 }));
  if (n === 0 || m === 0 || n * m > MAX_LCS_CELLS) return [...removedAll(), ...addedAll()];
  // lcs[i * (m + 1) + j]: length of the LCS of a[i..] and b[j..].
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const out: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i], oldLine: offset + i + 1, newLine: offset + j + 1 });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
      out.push({ op: 'removed', text: a[i], oldLine: offset + i + 1 });
      i++;
    } else {
      out.push({ op: 'added', text: b[j], newLine: offset + j + 1 });
      j++;
    }
  }
  for (; i < n; i++) out.push({ op: 'removed', text: a[i], oldLine: offset + i + 1 });
  for (; j < m; j++) out.push({ op: 'added', text: b[j], newLine: offset + j + 1 });
  return out;
}

/**
 * The changes from `before` to `after`, by key in order. `shown` gives a value as an answer may
 * show it (a secret masked): a secret that changed says so, never what it was or is, and gets no
 * line diff.
 */
export function configDiff(
  before: StringMap,
  after: StringMap,
  shown: (key: string, value: string) => string = (_key, value) => value,
): KeyChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes: KeyChange[] = [];
  for (const key of keys) {
    const inBefore = Object.prototype.hasOwnProperty.call(before, key);
    const inAfter = Object.prototype.hasOwnProperty.call(after, key);
    if (!inBefore) changes.push({ key, change: 'added', new: shown(key, after[key]) });
    else if (!inAfter) changes.push({ key, change: 'removed', old: shown(key, before[key]) });
    else if (before[key] !== after[key]) {
      const old = shown(key, before[key]);
      const now = shown(key, after[key]);
      const inClear = old === before[key] && now === after[key];
      const multiLine = LINE_DIFFED_KEYS.includes(key) || /\n/.test(before[key]) || /\n/.test(after[key]);
      changes.push({
        key,
        change: 'changed',
        old,
        new: now,
        ...(inClear && multiLine ? { lines: lineDiff(before[key], after[key]) } : {}),
      });
    }
  }
  return changes;
}
