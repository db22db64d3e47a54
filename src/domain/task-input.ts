import { z } from 'zod';
import { configValueToString } from './connect-config';
import type { StringMap } from './task';
import { parseOrThrow } from './validation';

/**
 * Input pieces every task kind shares (connects and transforms): ids, display fields, config maps.
 */

/** Task ids travel in Kafka Connect URLs, Flink job names and Temporal workflow ids: keep them plain. */
export const TASK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
export const taskId = z.string().regex(TASK_ID_PATTERN, 'expected 1-200 letters, digits, ".", "_" or "-", starting with a letter or digit');

const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const configValue = z.union([scalar, z.array(scalar)], { error: 'expected a string, number, boolean or a list of them' });
export const configMap = z.record(z.string().min(1, 'empty key'), configValue);
export const patchValue = z.union([scalar, z.array(scalar), z.null()], { error: 'expected a string, number, boolean, a list of them, or null to remove the key' });

export const displayName = z.string({ error: (issue) => (issue.input === undefined ? 'required: a display name' : 'expected a string') })
  .trim().min(1, 'required: a display name').max(200);

export function toStringMap(config: Record<string, z.infer<typeof configValue>> | undefined): StringMap {
  const out: StringMap = {};
  for (const [k, v] of Object.entries(config ?? {})) out[k] = configValueToString(v);
  return out;
}

/** A display name made into an id: lower case, URL-safe. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 200);
}

/** Drops undefined fields, so inputs compare and serialise the same whichever way they were built. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

export function parseTaskId(id: unknown): string {
  return parseOrThrow(taskId, id, 'task id');
}
