import type { StringMap } from '../domain/task';

/**
 * MongoDB (and FerretDB strictly) refuse "." and a leading "$" in field names, yet Kafka Connect
 * keys are dotted. Keys are stored percent-encoded ("%" → %25, "." → %2E, "$" → %24), which is
 * reversible for every key, so a config round-trips exactly; values are untouched.
 */
export function encodeKey(key: string): string {
  return key.replace(/%/g, '%25').replace(/\./g, '%2E').replace(/\$/g, '%24');
}

export function decodeKey(key: string): string {
  return key.replace(/%2E/g, '.').replace(/%24/g, '$').replace(/%25/g, '%');
}

export function encodeMap(map: StringMap): StringMap {
  const out: StringMap = {};
  for (const [k, v] of Object.entries(map)) out[encodeKey(k)] = v;
  return out;
}

export function decodeMap(map: StringMap): StringMap {
  const out: StringMap = {};
  for (const [k, v] of Object.entries(map)) out[decodeKey(k)] = v;
  return out;
}
