import { z } from 'zod';
import { AutoRestartPolicy, autoRestartInput } from './auto-restart';
import { configValueToString } from './connect-config';
import { DfError } from './errors';
import type { StringMap } from './task';
import type { SecretKeys } from './secrets';
import { parseOrThrow, validationError } from './validation';

/**
 * Input pieces every task kind shares (connects and transforms): ids, display fields, config maps.
 */

/** Task ids travel in Kafka Connect URLs, Flink job names and Temporal workflow ids: keep them plain. */
export const TASK_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;
export const taskId = z
  .string()
  .regex(TASK_ID_PATTERN, 'expected 1-200 letters, digits, ".", "_" or "-", starting with a letter or digit');

const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const configValue = z.union([scalar, z.array(scalar)], {
  error: 'expected a string, number, boolean or a list of them',
});
export const configMap = z.record(z.string().min(1, 'empty key'), configValue);
export const patchValue = z.union([scalar, z.array(scalar), z.null()], {
  error: 'expected a string, number, boolean, a list of them, or null to remove the key',
});

/** Names show in lists, logs and the console: any script, no control characters (they garble all three). */
export const displayName = z
  .string({ error: (issue) => (issue.input === undefined ? 'required: a display name' : 'expected a string') })
  .trim()
  .min(1, 'required: a display name')
  .max(200)
  .regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/, 'control characters are not allowed');

export function toStringMap(config: Record<string, z.infer<typeof configValue>> | undefined): StringMap {
  const out: StringMap = {};
  for (const [k, v] of Object.entries(config ?? {})) out[k] = configValueToString(v);
  return out;
}

/** A display name made into an id: lower case, URL-safe. */
export function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '')
    .slice(0, 200);
}

/** What a generated id ends in: 16 hex digits (64 bits), so ids made for repeated names do not meet. */
export const ID_SUFFIX_PATTERN = /^[0-9a-f]{16}$/;

/**
 * The id of a task added without one: its name made URL-safe (at most 48 characters, so the id
 * still reads as the task's), then `suffix`. Names may repeat and ids may not, so the suffix
 * (random, or derived from the request's Idempotency-Key) carries the uniqueness; a name with
 * nothing URL-safe in it gives `fallback` instead.
 */
export function generatedTaskId(name: string, suffix: string, fallback = 'task'): string {
  if (!ID_SUFFIX_PATTERN.test(suffix)) throw new Error(`an id suffix is 16 hex digits, not ${JSON.stringify(suffix)}`);
  const base =
    slug(name)
      .slice(0, 48)
      .replace(/[^a-z0-9]+$/, '') || fallback;
  return `${base}-${suffix}`;
}

/** Where an add without an id gets the suffix of its generated id from (see generatedTaskId). */
export type IdSuffixSource = () => string;

/** Drops undefined fields, so inputs compare and serialise the same whichever way they were built. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/**
 * Status words that ask for a removal. The original DataFibers stored any such word as the task's
 * status and deleted nothing; an update here never deletes either, so the word is refused rather
 * than answered 200 with nothing done, and the refusal names the way that deletes.
 */
const REMOVAL_WORDS = new Set(['DESTROY', 'DELETE', 'REMOVE']);

export function refuseRemovalStatus(status: unknown, deletePath: string): void {
  if (typeof status === 'string' && REMOVAL_WORDS.has(status.trim().toUpperCase())) {
    throw validationError(
      `status ${status.trim()} does not delete: an update never removes a task; send DELETE ${deletePath} to delete it`,
      {
        status: [`not an action an update runs; to delete, send DELETE ${deletePath}`],
      },
    );
  }
}

export function parseTaskId(id: unknown): string {
  return parseOrThrow(taskId, id, 'task id', 'id');
}

/** What an update of any task kind carries: display fields, and a whole new config or a patch of it. */
export interface TaskUpdateInput {
  id: string;
  name?: string;
  description?: string;
  taskSeq?: string;
  /** The whole new config (PUT): keys left out are removed. */
  connectorConfig?: StringMap;
  /** Keys to set, or to remove when null (PATCH). */
  connectorConfigPatch?: Record<string, string | null>;
  /** Refuse the update unless the task is still at this revision (If-Match). */
  expectedRevision?: number;
  /** A new auto-restart policy (its restart count starts afresh). */
  autoRestart?: AutoRestartPolicy;
}

export const taskReplaceBody = z
  .object({
    taskSeq: z.union([z.string(), z.number()]).optional(),
    name: displayName.optional(),
    description: z.string().max(4000).optional(),
    connectorType: z.string().optional(),
    connectorConfig: configMap.optional(),
    autoRestart: autoRestartInput.optional(),
  })
  .passthrough();

export const taskPatchBody = taskReplaceBody.extend({
  connectorConfig: z.record(z.string().min(1), patchValue).optional(),
});

/**
 * An update body (PUT replaces the config, PATCH merges into it) as a TaskUpdateInput; `keys`
 * normalises the config's key spellings the way the task kind wants.
 */
export function parseTaskUpdateBody(
  id: string,
  body: unknown,
  mode: 'replace' | 'merge',
  what: string,
  keys: <V>(config: Record<string, V>) => Record<string, V> = (c) => c,
): TaskUpdateInput {
  const b = parseOrThrow(mode === 'merge' ? taskPatchBody : taskReplaceBody, body, what);
  const common = {
    id,
    name: b.name,
    description: b.description,
    taskSeq: b.taskSeq === undefined ? undefined : String(b.taskSeq),
    autoRestart: b.autoRestart,
  };
  if (!b.connectorConfig) return compact(common);
  if (mode === 'replace')
    return compact({
      ...common,
      connectorConfig: keys(toStringMap(b.connectorConfig as Record<string, z.infer<typeof configValue>>)),
    });
  const patch: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(b.connectorConfig)) patch[k] = v === null ? null : configValueToString(v);
  return compact({ ...common, connectorConfigPatch: keys(patch) });
}

/** The fields of an update given directly to a workflow (CLI): already strings, checked as strictly. */
export const updateInputShape = {
  id: taskId,
  name: displayName.optional(),
  description: z.string().max(4000).optional(),
  taskSeq: z.string().optional(),
  connectorConfig: z.record(z.string().min(1), z.string()).optional(),
  connectorConfigPatch: z.record(z.string().min(1), z.union([z.string(), z.null()])).optional(),
  expectedRevision: z.number().int().min(0).optional(),
  autoRestart: autoRestartInput.optional(),
};

/**
 * The config an update asks for: the new whole config or the current one, with the patch applied.
 * Stored secrets the edit did not re-send (left out, or sent back masked as answers show them) are
 * kept; a PATCH removes one with null.
 */
export function editedConfig(
  current: StringMap,
  input: Pick<TaskUpdateInput, 'connectorConfig' | 'connectorConfigPatch'>,
  secrets: SecretKeys,
): StringMap {
  const config: StringMap = { ...(input.connectorConfig ?? current) };
  const removed: string[] = [];
  for (const [k, v] of Object.entries(input.connectorConfigPatch ?? {})) {
    if (v === null) {
      delete config[k];
      removed.push(k);
    } else config[k] = v;
  }
  return secrets.keepSecrets(current, config, removed);
}

/** Refuses an update made against an older revision than the task's (If-Match): 412. */
export function checkRevision(task: { id: string; revision: number }, expectedRevision: number | undefined): void {
  if (expectedRevision !== undefined && expectedRevision !== task.revision) {
    throw new DfError('CONFLICT', `task ${task.id} is at revision ${task.revision}, not ${expectedRevision}`, {
      httpStatus: 412,
      details: { id: task.id, revision: task.revision, expectedRevision },
    });
  }
}
