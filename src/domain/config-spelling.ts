import type { StringMap } from './task';
import { validationError } from './validation';

/**
 * The two spellings of a connector config key: Kafka Connect's (`tasks.max`), which DF stores and
 * sends to Connect, and the original DataFibers' (`tasks_max`, every "." as "_"), which its admin
 * UI binds. A connect answers in the spelling it was created with; an edit may use either.
 */
export const KEY_SPELLINGS = ['dotted', 'underscore'] as const;
export type KeySpelling = (typeof KEY_SPELLINGS)[number];

/** What every spelling of one key has in common: its "_" form. */
export function spellingFree(key: string): string {
  return key.replace(/\./g, '_');
}

/**
 * The spelling a create speaks: the original's when its keys use "_" and none uses "."; a config
 * with a dotted key, or with no key either way, speaks Kafka Connect's.
 */
export function spellingOfKeys(keys: readonly string[]): KeySpelling {
  return keys.some((k) => k.includes('_')) && !keys.some((k) => k.includes('.')) ? 'underscore' : 'dotted';
}

/**
 * A stored (dotted) config as an answer in this spelling shows it. A key whose "_" form is stored
 * as a key of its own keeps its dots, so no two keys ever collapse into one.
 */
export function spelledConfig(config: StringMap, spelling: KeySpelling | undefined): StringMap {
  if (spelling !== 'underscore') return config;
  const out: StringMap = {};
  for (const [key, value] of Object.entries(config)) {
    const shown = spellingFree(key);
    out[shown !== key && shown in config ? key : shown] = value;
  }
  return out;
}

/** Tasks whose config is Kafka Connect's: the ones a spelling applies to. */
const CONNECT_CATEGORIES: readonly unknown[] = ['CONNECT', 'INTERNAL'];

/**
 * A copy of an answer with the config of every task in it (a task, a list of them, an operation's
 * result) in the task's own spelling, or in `asked` for every connect when the caller asks for one.
 * Transforms keep their keys (their own keys are the original's already).
 */
export function inTaskSpelling<T>(value: T, asked?: KeySpelling, depth = 0): T {
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v) => {
      const spelled = inTaskSpelling(v, asked, depth + 1);
      changed ||= spelled !== v;
      return spelled;
    });
    return (changed ? out : value) as T;
  }
  const record = value as Record<string, unknown>;
  const config = record.connectorConfig;
  if (config !== null && typeof config === 'object' && !Array.isArray(config)) {
    const spelling =
      asked !== undefined && CONNECT_CATEGORIES.includes(record.connectorCategory) ? asked : record.keySpelling;
    return (
      spelling === 'underscore'
        ? { ...record, connectorConfig: spelledConfig(config as StringMap, 'underscore') }
        : value
    ) as T;
  }
  if (record.result !== null && typeof record.result === 'object') {
    const result = inTaskSpelling(record.result, asked, depth + 1);
    return (result === record.result ? value : { ...record, result }) as T;
  }
  return value;
}

/** The dotted key among spellings of one key: the one with the most ".". */
function mostDotted(keys: readonly string[]): string {
  return keys.reduce((best, k) => (k.split('.').length > best.split('.').length ? k : best));
}

/**
 * An edit's config keys in the stored spelling. A key is matched to the stored key it spells
 * (`tasks_max` edits a stored `tasks.max`); a key the store does not hold stays as given. When
 * one key comes in both spellings (a record read back in one spelling, with the other added),
 * the value that differs from the stored one is the edit and wins; two different new values
 * are refused naming the key, since either choice would drop the other without a word.
 * `shown` is how an answer shows a stored value (secrets masked): sent back, it is no change.
 */
export function storedSpellingOf<V extends string | null>(
  stored: StringMap,
  given: Record<string, V>,
  shown: (key: string, value: string) => string = (_key, value) => value,
  path = 'connectorConfig',
): Record<string, V> {
  const storedKeys = new Map<string, string[]>();
  for (const key of Object.keys(stored)) {
    const free = spellingFree(key);
    storedKeys.set(free, [...(storedKeys.get(free) ?? []), key]);
  }
  const groups = new Map<string, string[]>();
  for (const key of Object.keys(given)) {
    const free = spellingFree(key);
    groups.set(free, [...(groups.get(free) ?? []), key]);
  }
  const out: Record<string, V> = {};
  for (const [free, keys] of groups) {
    const twins = storedKeys.get(free) ?? [];
    // The store holds several spellings as keys of their own: each given key edits its namesake.
    if (twins.length > 1) {
      for (const key of keys) out[key] = given[key];
      continue;
    }
    const target = twins[0] ?? mostDotted(keys);
    if (keys.length === 1) {
      out[target] = given[keys[0]];
      continue;
    }
    const current = twins[0] === undefined ? undefined : stored[twins[0]];
    const unchanged = (v: V) => current !== undefined && v !== null && (v === current || v === shown(target, current));
    const edits = [...new Set(keys.map((k) => given[k]).filter((v) => !unchanged(v)))];
    if (edits.length > 1) {
      const spelled = keys.map((k) => `"${k}"`).join(' and ');
      throw validationError(
        `${path} gives ${spelled} different new values; they are one key (${target}): send one of them, or the same value in both`,
        { [`${path}.${target}`]: [`given as ${spelled} with different new values`] },
      );
    }
    out[target] = edits.length === 1 ? edits[0] : given[keys.includes(target) ? target : keys[0]];
  }
  return out;
}
