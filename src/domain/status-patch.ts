import type { RestartState } from './auto-restart';
import type { DfStatus } from './status';
import type { SyncedTask } from './status-sync';
import type { Task } from './task';

/** Fields a status-sync round sets on a task; null removes the field. Times are epoch milliseconds. */
export interface StatusPatch {
  status?: DfStatus;
  statusReason?: string | null;
  statusAt?: number;
  unreachableSince?: number | null;
  pending?: { status: DfStatus; since: number } | null;
  restarts?: RestartState;
}

/** How a patch value is carried: as it is, a time (ms; ISO text on a task, a Date in the store), or a pending flip. */
type PatchValue = 'as-is' | 'time' | 'pending';

interface PatchField {
  value: PatchValue;
  /** The field of the stored document (df_processor). */
  stored: string;
  /**
   * What null does to the stored field: kept as null (as every status write keeps statusReason),
   * or removed (the sync's own markers, which a record without them reads the same).
   */
  storedNull: 'null' | 'unset';
  /** Whether the API's task has the field (a pending flip is the sync's own business). */
  onTask: boolean;
  /** A field of the synced task the patch makes obsolete when it sets this one. */
  clearsOnSync?: keyof SyncedTask;
}

/**
 * Every status-patch field and where it lands: the stored document, the status sync's task, the
 * API's task. The three appliers below read only this, so a field added here lands in all three.
 */
export const STATUS_PATCH_FIELDS: { readonly [K in keyof Required<StatusPatch>]: PatchField } = {
  status: { value: 'as-is', stored: 'status', storedNull: 'null', onTask: true },
  statusReason: { value: 'as-is', stored: 'statusReason', storedNull: 'null', onTask: true },
  // A status time set means the record has one now, whoever wrote it first.
  statusAt: { value: 'time', stored: 'statusAt', storedNull: 'null', onTask: true, clearsOnSync: 'statusUnrecorded' },
  unreachableSince: { value: 'time', stored: 'unreachableSince', storedNull: 'unset', onTask: true },
  pending: { value: 'pending', stored: 'statusPending', storedNull: 'unset', onTask: false },
  restarts: { value: 'as-is', stored: 'restarts', storedNull: 'null', onTask: true },
};

type Field = keyof StatusPatch;
type Pending = NonNullable<StatusPatch['pending']>;

/** The patch's fields that are set (null included), in table order. */
function entriesOf(patch: StatusPatch): [Field, NonNullable<StatusPatch[Field]> | null, PatchField][] {
  return (Object.keys(STATUS_PATCH_FIELDS) as Field[])
    .filter((field) => patch[field] !== undefined)
    .map((field) => [field, patch[field] as NonNullable<StatusPatch[Field]> | null, STATUS_PATCH_FIELDS[field]]);
}

/** In memory a removed field is absent; an empty reason reads as none, as the store's reader has it. */
function removes(value: unknown): boolean {
  return value === null || value === '';
}

/**
 * The write of a patch in the stored shape: the fields to set (times as Date) and the fields to
 * remove. Empty when the patch sets nothing.
 */
export function storedStatusPatch(patch: StatusPatch): { set: Record<string, unknown>; unset: string[] } {
  const set: Record<string, unknown> = {};
  const unset: string[] = [];
  for (const [, value, field] of entriesOf(patch)) {
    if (value === null && field.storedNull === 'unset') unset.push(field.stored);
    else if (value === null || field.value === 'as-is') set[field.stored] = value;
    else if (field.value === 'time') set[field.stored] = new Date(value as number);
    else set[field.stored] = { status: (value as Pending).status, since: new Date((value as Pending).since) };
  }
  return { set, unset };
}

/**
 * The task as the store holds it once a round's change was written: the same fields the
 * repository's write sets or removes, so a round can carry its snapshot over to the next.
 */
export function withStatusPatch(task: SyncedTask, patch: StatusPatch): SyncedTask {
  const next: Record<string, unknown> = { ...task };
  for (const [name, value, field] of entriesOf(patch)) {
    if (removes(value)) delete next[name];
    else next[name] = value;
    if (field.clearsOnSync) delete next[field.clearsOnSync];
  }
  return next as unknown as SyncedTask;
}

/**
 * The same patch on a whole task as the API shows it (times as ISO text): how a list snapshot in
 * the process that made the round's write follows it without reading every task again.
 */
export function taskWithStatusPatch(task: Task, patch: StatusPatch): Task {
  const next: Record<string, unknown> = { ...task };
  for (const [name, value, field] of entriesOf(patch)) {
    if (!field.onTask) continue;
    if (removes(value)) delete next[name];
    else next[name] = field.value === 'time' ? new Date(value as number).toISOString() : value;
  }
  return next as unknown as Task;
}
