import type { Collection, Db } from 'mongodb';
import type { StatusPatch } from '../domain/status-patch';
import type { Task } from '../domain/task';
import type { TaskDoc } from './task-doc';
import { isDuplicateKey } from './mongo';

/** One counter per collection of how many writes it has had: lets a reader tell "nothing changed" by one _id read. */
export const CHANGES_COLLECTION = 'df_changes';

interface ChangeCountDoc {
  _id: string;
  seq: number;
}

/**
 * A write this process made to df_processor, as a reader in the same process can apply it to a
 * copy of every task instead of reading them all again: a task as it now stands, a removal, status
 * patches (the sync's bulk write), or "something" (applying it needs a read) to the tasks it names,
 * when it can name them.
 */
export type TaskWrite =
  | {
      kind: 'put';
      task: Task;
      /** Its document as the write left it, when the write has it (the sync's journal takes it instead of reading it). */
      doc?: TaskDoc;
    }
  | { kind: 'remove'; id: string }
  | { kind: 'status'; patches: Map<string, StatusPatch> }
  | {
      kind: 'unknown';
      /** The tasks it wrote, when it can name them. */
      ids?: string[];
      /** Those tasks' documents as the write left them, when it knows them (the sync's journal takes them instead of reading them). */
      docs?: TaskDoc[];
    };

/** A write as the list view keeps it: without the documents the journal took. */
function keptOf(write: TaskWrite): TaskWrite {
  if (write.kind === 'unknown') return { kind: 'unknown' };
  if (write.kind === 'put') return { kind: 'put', task: write.task };
  return write;
}

/** Writes kept for readers in this process, by change count: a reader further behind reads everything. */
const WRITES_KEPT = 2000;

/**
 * The change log of one collection: its write count in df_changes (from every process), and the
 * writes this process made, kept under the count each took so the list view can apply them.
 */
export class TaskChangeLog {
  private readonly changes: Collection<ChangeCountDoc>;
  /** This process's writes by the change count each took (see since). */
  private readonly ownWrites = new Map<number, TaskWrite>();

  constructor(
    db: Db,
    /** The collection whose writes are counted: the counter's _id. */
    private readonly counted: string,
  ) {
    this.changes = db.collection<ChangeCountDoc>(CHANGES_COLLECTION);
  }

  /** Creates the counter at 0 unless it exists. Safe to repeat. */
  async ensureCounter(): Promise<void> {
    await this.changes
      .updateOne({ _id: this.counted }, { $setOnInsert: { seq: 0 } }, { upsert: true })
      .catch((error: unknown) => {
        if (!isDuplicateKey(error)) throw error; // another process created it meanwhile
      });
  }

  /** How many writes the collection has had, from any process: one small document, by _id. */
  async count(): Promise<number> {
    return (await this.changes.findOne({ _id: this.counted }))?.seq ?? 0;
  }

  /**
   * Counts a write, after it is made (so a reader that sees the count also sees the write), and
   * keeps what it was under the count it took.
   */
  async record(write: TaskWrite): Promise<void> {
    const bump = () =>
      this.changes.findOneAndUpdate(
        { _id: this.counted },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
    let counted: ChangeCountDoc | null;
    try {
      counted = await bump();
    } catch (error) {
      // Two first writes raced to create the counter: it exists now.
      if (!isDuplicateKey(error)) throw error;
      counted = await bump();
    }
    if (!counted) return;
    this.ownWrites.set(counted.seq, keptOf(write));
    if (this.ownWrites.size > WRITES_KEPT) this.ownWrites.delete(this.ownWrites.keys().next().value as number);
  }

  /**
   * The writes counted after `since` up to `until`, in order, if this process made every one of
   * them (and still keeps them); undefined if any was another process's, or is unknown.
   */
  since(since: number, until: number): TaskWrite[] | undefined {
    if (until - since > WRITES_KEPT) return undefined;
    const writes: TaskWrite[] = [];
    for (let seq = since + 1; seq <= until; seq++) {
      const write = this.ownWrites.get(seq);
      if (!write || write.kind === 'unknown') return undefined;
      writes.push(write);
    }
    return writes;
  }
}
