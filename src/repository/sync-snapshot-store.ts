import { randomBytes } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { SyncedTask } from '../domain/status-sync';
import {
  applyJournal,
  type ChunkHead,
  chunkCountFor,
  chunkOf,
  chunksOf,
  decodeEntries,
  decodeJournal,
  disagreements,
  encodeEntries,
  encodeJournal,
  type JournalEntry,
  layoutProblem,
  trueReadDue,
} from '../domain/sync-snapshot';
import { isDuplicateKey } from './mongo';
import type { TaskWrite } from './task-change-log';
import type { TaskDoc } from './task-doc';
import type { TaskReader } from './task-reads';
import { SYNC_PROJECTION, syncedTaskOfDoc } from './task-status-doc';

/** The snapshot's chunks (see src/domain/sync-snapshot.ts). */
export const SNAPSHOT_COLLECTION = 'df_sync_snapshot';
/** The changes written since the chunks, one document per write, in the order their ids sort. */
export const JOURNAL_COLLECTION = 'df_sync_journal';

/** The categories the status sync looks after: the entries the snapshot holds. */
export const SYNCED_CATEGORIES = ['CONNECT', 'INTERNAL', 'TRANSFORM'] as const;

/**
 * Journal documents a read folds into the chunks once it holds this many: reading one took about
 * 0.2 ms, while a fold rewrites every chunk the journal touches (about 40 ms each).
 */
export const FOLD_AT = 64;

/**
 * Journal documents left standing that mean no read is folding them (the status sync is off, or
 * has not run for a long time): a writer that finds more replaces them all with one stale marker,
 * so the journal stays bounded and the next read makes a true read, which it would need anyway.
 * A running sync folds at FOLD_AT, far below this.
 */
export const JOURNAL_CAP = 10_000;

/** A writer counts the journal once in this many of its own inserts (a count costs about a scan). */
export const JOURNAL_CHECK_EVERY = 500;

/** Chunk writes of a fold or a build under way at once. */
const CHUNK_WRITE_STREAMS = 4;

/**
 * Chunks per batch of a read: the driver decodes a whole batch at once, and the first batch of a
 * snapshot of 100,000 tasks (about 100 chunks, 10 MB of text) held the event loop for tens of ms.
 */
const CHUNK_READ_BATCH = 8;

interface ChunkDoc extends ChunkHead {
  _id: string;
  /** Bumped by every write of the chunk: a write applies only to the revision its writer read. */
  rev: number;
  /** Entries in `e`: a text cut short reads as a damaged chunk, not as fewer tasks. */
  n: number;
  e: string;
}

interface JournalDoc {
  _id: string;
  /** The entries (JSON); absent on a marker that the snapshot missed a write it cannot name. */
  e?: string;
  stale?: true;
}

export interface SyncSnapshotRead {
  tasks: SyncedTask[];
  /** compact: the chunks and the journal; true: df_processor itself (and the snapshot built again from it). */
  source: 'compact' | 'true';
  /** Why a true read was made. */
  reason?: string;
  /** Tasks the snapshot had wrong or lacked, found by a true read of a whole snapshot. */
  healed?: number;
}

const PROCESS_TAG = randomBytes(4).toString('hex');
let journalSeq = 0;

/** A journal id: sorts by time, then by this process's own order (ties between processes are any order). */
function journalId(now: number): string {
  return `${now.toString(36).padStart(9, '0')}-${PROCESS_TAG}-${(journalSeq++).toString(36).padStart(7, '0')}`;
}

async function inPool<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await run(items[next++]);
    }),
  );
}

/**
 * The status sync's compact snapshot of df_processor. Writers only ever insert journal documents
 * (a document nobody else writes, so concurrent writers cannot lose each other's entries); the
 * chunks are rewritten only by a read (a fold, or a build from a true read), each write
 * conditional on the chunk revision that read saw, and the journal documents it folded are
 * deleted only once every chunk they touch is written. Readers read the journal before the
 * chunks, so a fold between the two shows its entries twice (the same values) and never none.
 */
export class SyncSnapshotStore {
  private readonly chunks: Collection<ChunkDoc>;
  private readonly journal: Collection<JournalDoc>;
  private inserted = 0;

  constructor(
    db: Db,
    private readonly reader: TaskReader,
    private readonly bound = { cap: JOURNAL_CAP, checkEvery: JOURNAL_CHECK_EVERY },
  ) {
    this.chunks = db.collection<ChunkDoc>(SNAPSHOT_COLLECTION);
    this.journal = db.collection<JournalDoc>(JOURNAL_COLLECTION);
  }

  /**
   * Appends what a write of df_processor changed, as its writer knows it: a removal, a round's
   * patches, or the documents the write left; a write without them as the tasks now read (by _id).
   */
  async record(change: TaskWrite): Promise<void> {
    const now = Date.now();
    let entries: JournalEntry[];
    if (change.kind === 'remove') entries = [{ id: change.id, set: null }];
    else if (change.kind === 'status') entries = [...change.patches].map(([id, patch]) => ({ id, patch }));
    else if (change.kind === 'put')
      entries = change.doc
        ? [{ id: change.task.id, set: syncedEntryOf(change.doc) }]
        : await this.currentEntries([change.task.id]);
    else if (change.docs) entries = change.docs.map((d) => ({ id: d._id, set: syncedEntryOf(d) }));
    else if (change.ids) entries = await this.currentEntries(change.ids);
    else {
      await this.insert({ _id: journalId(now), stale: true });
      return;
    }
    if (entries.length === 0) return;
    await this.insert({ _id: journalId(now), e: encodeJournal(entries) });
  }

  private async insert(doc: JournalDoc): Promise<void> {
    await this.journal.insertOne(doc);
    if (++this.inserted % this.bound.checkEvery === 0) await this.keepBounded();
  }

  /**
   * Past the cap, the marker goes in before the documents it replaces go: a read in between finds
   * it and makes a true read, whatever else it finds. A document another process wrote meanwhile
   * under an earlier id (its clock behind this one's) may go unread with it; the true read that
   * the marker calls for, or the next one due, heals what it held.
   */
  private async keepBounded(): Promise<void> {
    if ((await this.journal.estimatedDocumentCount()) <= this.bound.cap) return;
    const marker = journalId(Date.now());
    await this.journal.insertOne({ _id: marker, stale: true });
    await this.journal.deleteMany({ _id: { $lt: marker } });
  }

  /** The tasks as they now stand, each read by _id (the one filter FerretDB takes to its index; an $in scans). */
  private async currentEntries(ids: string[]): Promise<JournalEntry[]> {
    const entries: JournalEntry[] = new Array(ids.length);
    await inPool(
      ids.map((id, i) => [id, i] as const),
      CHUNK_WRITE_STREAMS,
      async ([id, i]) => {
        const doc = await this.reader.findOne({ _id: id }, { projection: SYNC_PROJECTION });
        entries[i] = { id, set: doc ? syncedEntryOf(doc) : null };
      },
    );
    return entries;
  }

  /**
   * Every synced task: from the snapshot, or from `trueRead` (df_processor) when the snapshot is
   * not whole, a writer could not name what it wrote, or the last true read is due again; the
   * snapshot is then built again from what it read.
   */
  async read(trueRead: () => Promise<SyncedTask[]>, now = Date.now()): Promise<SyncSnapshotRead> {
    // The journal before the chunks (see the class).
    const journalDocs = (await this.journal.find({}).toArray()).sort((a, b) => (a._id < b._id ? -1 : 1));
    const chunkDocs = await this.chunks.find({}, { batchSize: CHUNK_READ_BATCH }).toArray();

    const problem = layoutProblem(chunkDocs.map(headOf));
    let compact: Map<string, SyncedTask> | undefined;
    let reason = problem;
    if (!problem) {
      compact = new Map();
      for (const c of chunkDocs) {
        // A turn of the event loop between chunks: the API shares the process.
        if (compact.size > 0) await new Promise((resolve) => setImmediate(resolve));
        const entries = decodeEntries(c.e, c.n);
        if (!entries) {
          reason = `chunk ${c.index} unreadable`;
          compact = undefined;
          break;
        }
        for (const t of entries) compact.set(t.id, t);
      }
    }
    const journalEntries: JournalEntry[] = [];
    for (const j of journalDocs) {
      const entries = j.stale ? undefined : decodeJournal(j.e);
      if (!entries) {
        reason ??= 'a write the journal could not name';
        break;
      }
      journalEntries.push(...entries);
    }
    if (compact) applyJournal(compact, journalEntries);
    if (!reason && trueReadDue(chunkDocs, now)) reason = 'due';

    if (reason || !compact) {
      const started = Date.now();
      const tasks = await trueRead();
      const trueMs = Date.now() - started;
      const truth = new Map(tasks.map((t) => [t.id, t]));
      await this.build(truth, chunkDocs, journalDocs, { trueAt: started, trueMs });
      return {
        tasks,
        source: 'true',
        reason: reason ?? 'due',
        ...(compact ? { healed: disagreements(compact, truth) } : {}),
      };
    }
    if (journalDocs.length >= FOLD_AT) {
      const of = chunkDocs[0].of;
      const touched = new Set(journalEntries.map((e) => chunkOf(e.id, of)));
      const layout = chunksOf(compact.values(), of);
      await this.writeChunks(
        chunkDocs.filter((c) => touched.has(c.index)).map((c) => ({ doc: c, entries: layout[c.index] })),
        journalDocs,
      );
    }
    return { tasks: [...compact.values()], source: 'compact' };
  }

  /** The snapshot laid out again from a true read, replacing every chunk (and dropping the journal it read before). */
  private async build(
    truth: Map<string, SyncedTask>,
    current: ChunkDoc[],
    journalDocs: JournalDoc[],
    stamp: Pick<ChunkHead, 'trueAt' | 'trueMs'>,
  ): Promise<void> {
    const of = chunkCountFor(truth.size);
    const layout = chunksOf(truth.values(), of);
    const byIndex = new Map(current.map((c) => [c._id, c]));
    const writes = layout.map((entries, index) => ({
      doc: byIndex.get(chunkId(index)) ?? { _id: chunkId(index), index, of, rev: 0, n: 0, e: '', trueAt: 0, trueMs: 0 },
      entries,
      head: { of, ...stamp },
    }));
    const extra = current.filter((c) => c.index >= of || c._id !== chunkId(c.index));
    const ok = await this.writeChunks(writes, journalDocs);
    // Chunks of a larger layout: only once the new one is whole, so no read finds neither.
    if (ok) await Promise.all(extra.map((c) => this.chunks.deleteOne({ _id: c._id, rev: c.rev })));
  }

  /**
   * Writes each chunk at the revision read (a chunk not there yet: inserted), then deletes the
   * journal documents read with them if every write applied. A chunk another reader wrote
   * meanwhile is left as that one wrote it, and the journal stays for the next read to apply.
   */
  private async writeChunks(
    writes: { doc: ChunkDoc; entries: SyncedTask[]; head?: Omit<ChunkHead, 'index'> }[],
    journalDocs: JournalDoc[],
  ): Promise<boolean> {
    let all = true;
    await inPool(writes, CHUNK_WRITE_STREAMS, async ({ doc, entries, head }) => {
      const fields = { n: entries.length, e: encodeEntries(entries), ...(head ?? {}) };
      if (doc.rev === 0) {
        try {
          await this.chunks.insertOne({ ...doc, ...fields, rev: 1 });
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          all = false;
        }
        return;
      }
      const result = await this.chunks.updateOne(
        { _id: doc._id, rev: doc.rev },
        { $set: { ...fields, rev: doc.rev + 1 } },
      );
      if (result.modifiedCount !== 1) all = false;
    });
    if (all && journalDocs.length > 0) await this.journal.deleteMany({ _id: { $in: journalDocs.map((j) => j._id) } });
    return all;
  }
}

/** A stored task's entry: null when the sync does not look after it, or cannot read it (a true read leaves it out too). */
function syncedEntryOf(doc: TaskDoc): SyncedTask | null {
  if (!(SYNCED_CATEGORIES as readonly string[]).includes(doc.connectorCategory)) return null;
  return syncedTaskOfDoc(doc) ?? null;
}

function chunkId(index: number): string {
  return `chunk-${index}`;
}

function headOf(c: ChunkDoc): ChunkHead {
  return { index: c.index, of: c.of, trueAt: c.trueAt, trueMs: c.trueMs };
}
