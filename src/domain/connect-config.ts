import { DfError } from './errors';
import type { StringMap } from './task';

/**
 * Connector configuration keys. Kafka Connect's own spelling (dots) is canonical and is what DF
 * stores (answers use the task's spelling, see config-spelling.ts). The original DF stored keys
 * with "_" for "." and its UI still sends
 * `connector_class`, `tasks_max`, …; such a key is accepted when its dotted form is a key Kafka
 * Connect knows for the connector (or one of the dynamic prefixes below), and kept as given
 * otherwise, so a property that really contains "_" is never mangled.
 */
export const CORE_LEGACY_KEYS: Record<string, string> = {
  connector_class: 'connector.class',
  tasks_max: 'tasks.max',
};

// Keys under these prefixes are defined per alias or per client, so Connect cannot list them ahead.
const DYNAMIC_PREFIXES = [
  'transforms.',
  'predicates.',
  'key.converter.',
  'value.converter.',
  'header.converter.',
  'producer.override.',
  'consumer.override.',
  'admin.override.',
  'errors.deadletterqueue.',
];

export const CONNECTOR_CLASS = 'connector.class';
export const TASKS_MAX = 'tasks.max';

export type ConfigValue = string | number | boolean | (string | number | boolean)[];

/** Values become strings as Kafka Connect takes them; a list becomes its comma-joined form. */
export function configValueToString(value: ConfigValue): string {
  return Array.isArray(value) ? value.map(String).join(',') : String(value);
}

/**
 * Applies the fixed legacy spellings (connector_class, tasks_max). A key given in both spellings is
 * left as given: which one is the edit shows only against the stored config (storedSpellingOf).
 */
export function normaliseCoreKeys<V>(config: Record<string, V>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [key, value] of Object.entries(config)) {
    const canonical = CORE_LEGACY_KEYS[key] ?? key;
    out[canonical in config ? key : canonical] = value;
  }
  return out;
}

/**
 * Rewrites "_"-spelled keys whose dotted form Kafka Connect defines for this connector (names come
 * from the validate answer). Returns the config and the keys it renamed.
 */
export function resolveLegacyKeys(
  config: StringMap,
  knownKeys: ReadonlySet<string>,
): { config: StringMap; renamed: Record<string, string> } {
  const out: StringMap = {};
  const renamed: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    let target = key;
    if (!key.includes('.') && key.includes('_') && !knownKeys.has(key)) {
      const dotted = key.replace(/_/g, '.');
      if (knownKeys.has(dotted) || DYNAMIC_PREFIXES.some((p) => dotted.startsWith(p))) target = dotted;
    }
    if (target !== key && target in config) {
      // Callers merge spellings first (storedSpellingOf); two values left here cannot be told apart.
      if (config[target] === value) continue;
      throw new DfError(
        'VALIDATION_FAILED',
        `connectorConfig gives "${key}" and "${target}" different values; keep one`,
        {
          details: {
            fields: { [`connectorConfig.${target}`]: [`given as "${key}" and "${target}" with different values`] },
          },
        },
      );
    }
    if (target !== key) renamed[key] = target;
    out[target] = value;
  }
  return { config: out, renamed };
}

/** Equal as an engine sees them (Kafka Connect, a transform's job): same keys, same values, order ignored. */
export function sameConfig(a: StringMap, b: StringMap): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && b[k] === a[k]);
}
