import { type StatusPatch, withStatusPatch } from './status-patch';
import type { SyncedTask } from './status-sync';

/**
 * The status sync's compact snapshot: every synced task's fields (SyncedTask) in a few chunk
 * documents, each holding its entries as one JSON text, and a journal of the changes written
 * since. On FerretDB a read of 11,000 chunked entries took 150–170 ms whatever the chunk count
 * (4 to 64), against 3.4 s for the tasks themselves, 1.5 s for the same entries as sub-document
 * maps and 1.7 s as one small document each; rewriting one chunk took 20–120 ms, inserting a
 * journal entry 1.5 ms, so writers append to the journal and the sync folds it into the chunks.
 */

/** Entries a chunk is laid out for: rewriting one (a fold) took about 40 ms at this size. */
export const CHUNK_ENTRIES = 700;

/** How many chunks a snapshot of this many tasks is laid out in. */
export function chunkCountFor(tasks: number): number {
  return Math.max(1, Math.ceil(tasks / CHUNK_ENTRIES));
}

/** The chunk a task's entry lives in (FNV-1a of its id): stable for a layout, spread evenly. */
export function chunkOf(id: string, chunks: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % chunks;
}

/** Every task's entry by chunk, for a layout of `chunks` chunks. */
export function chunksOf(tasks: Iterable<SyncedTask>, chunks: number): SyncedTask[][] {
  const out: SyncedTask[][] = Array.from({ length: chunks }, () => []);
  for (const t of tasks) out[chunkOf(t.id, chunks)].push(t);
  return out;
}

/** One change a write appends to the journal: a task as it now stands (null: gone, or not synced), or a round's status patch. */
export type JournalEntry = { id: string; set: SyncedTask | null } | { id: string; patch: StatusPatch };

export function encodeEntries(tasks: SyncedTask[]): string {
  return JSON.stringify(tasks);
}

/** A chunk's entries, or undefined when its text is not what a chunk of `expected` entries holds. */
export function decodeEntries(text: unknown, expected: unknown): SyncedTask[] | undefined {
  if (typeof text !== 'string') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== expected) return undefined;
  for (const e of parsed as Partial<SyncedTask>[]) {
    if (typeof e?.id !== 'string' || typeof e.status !== 'string' || typeof e.statusAt !== 'number') return undefined;
  }
  return parsed as SyncedTask[];
}

export function encodeJournal(entries: JournalEntry[]): string {
  return JSON.stringify(entries);
}

/** A journal document's entries, or undefined when they cannot be read. */
export function decodeJournal(text: unknown): JournalEntry[] | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return undefined;
    const ok = parsed.every(
      (e: Record<string, unknown>) =>
        typeof e?.id === 'string' &&
        (('set' in e && (e.set === null || typeof e.set === 'object')) || (typeof e.patch === 'object' && e.patch)),
    );
    return ok ? (parsed as JournalEntry[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Applies journal entries, in the order they were written, to the entries by id: a patch of a
 * task the snapshot lacks is left out (the write it follows was of a task since removed, or one
 * the true read will bring).
 */
export function applyJournal(byId: Map<string, SyncedTask>, entries: JournalEntry[]): void {
  for (const e of entries) {
    if ('set' in e) {
      if (e.set) byId.set(e.id, e.set);
      else byId.delete(e.id);
      continue;
    }
    const current = byId.get(e.id);
    if (current) byId.set(e.id, withStatusPatch(current, e.patch));
  }
}

/** What each chunk document says of itself, beside its entries. */
export interface ChunkHead {
  index: number;
  /** How many chunks its layout has. */
  of: number;
  /** When the layout's entries last came from a true read of df_processor, and how long that read took (ms). */
  trueAt: number;
  trueMs: number;
}

/**
 * Whether the chunks make a whole snapshot: one layout, every chunk of it present once. Else why
 * not (a chunk missing, or none at all: a store the snapshot was never built in).
 */
export function layoutProblem(heads: ChunkHead[]): string | undefined {
  if (heads.length === 0) return 'no snapshot';
  const of = heads[0].of;
  if (!Number.isInteger(of) || of < 1 || heads.some((h) => h.of !== of)) return 'chunks of different layouts';
  const seen = new Set(heads.map((h) => h.index));
  if (seen.size !== heads.length || heads.length !== of) return `${of - seen.size} of ${of} chunks missing`;
  for (let i = 0; i < of; i++) if (!seen.has(i)) return `chunk ${i} missing`;
  return undefined;
}

/**
 * A true read of df_processor at least this often (ms), whatever the snapshot shows: a writer may
 * die between its write and its journal entry, and a writer outside DF never writes one.
 */
export const TRUE_READ_EVERY_MS = 10 * 60_000;
/** ...and no more often than this many times as long as the last one took (100,000 tasks: 30–40 s). */
export const TRUE_READ_SPACING = 50;

/** Whether the snapshot's last true read is old enough that this round reads df_processor instead. */
export function trueReadDue(heads: Pick<ChunkHead, 'trueAt' | 'trueMs'>[], now: number): boolean {
  if (heads.length === 0) return true;
  const trueAt = Math.min(...heads.map((h) => h.trueAt));
  const trueMs = Math.max(...heads.map((h) => h.trueMs));
  if (!Number.isFinite(trueAt) || !Number.isFinite(trueMs)) return true;
  return now - trueAt >= Math.max(TRUE_READ_EVERY_MS, TRUE_READ_SPACING * trueMs);
}

/**
 * A round reads the snapshot at least this often (ms), whatever the change count says: a writer
 * may die between its write and its count.
 */
export const SNAPSHOT_READ_EVERY_MS = 60_000;
/** ...and no more often than this many times as long as that read took (100,000 tasks: about 1.5 s). */
export const SNAPSHOT_READ_SPACING = 20;

/** Whether a round reads the snapshot again rather than carry the tasks of the last round's read. */
export function snapshotReadDue(last: { readAt: number; readMs: number }, now: number): boolean {
  return now - last.readAt >= Math.max(SNAPSHOT_READ_EVERY_MS, SNAPSHOT_READ_SPACING * last.readMs);
}

/** How many tasks two views disagree on (in one and not the other, or with other fields): what a true read healed. */
export function disagreements(a: Map<string, SyncedTask>, b: Map<string, SyncedTask>): number {
  let n = 0;
  for (const [id, t] of a) {
    const other = b.get(id);
    if (!other || !sameEntry(t, other)) n++;
  }
  for (const id of b.keys()) if (!a.has(id)) n++;
  return n;
}

/** JSON with every object's keys in order: the same entry whatever order its fields were set in. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'undefined';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
}

function sameEntry(a: SyncedTask, b: SyncedTask): boolean {
  return canonical(a) === canonical(b);
}
