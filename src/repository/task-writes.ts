import type { Collection, IndexDescription } from 'mongodb';
import type { SyncSnapshotStore } from './sync-snapshot-store';
import type { TaskChangeLog, TaskWrite } from './task-change-log';
import type { TaskDoc } from './task-doc';

/**
 * The one way to write df_processor: a write and what it changed go in together, and the change
 * is appended to the status sync's snapshot journal and then counted in the change log once the
 * write is made (a reader that sees the count finds the journal entry). The collection itself is
 * kept here, so a write that forgets to record its change cannot be written.
 */
export class TaskWrites {
  constructor(
    private readonly collection: Collection<TaskDoc>,
    private readonly log: Pick<TaskChangeLog, 'record'>,
    private readonly snapshot: Pick<SyncSnapshotStore, 'record'>,
  ) {}

  /**
   * Runs `write` and records what `changeOf` makes of its result (undefined: nothing changed). A
   * write that throws records nothing; one that changed something and then failed returns what it
   * changed and leaves the throw to its caller.
   */
  async write<R>(
    write: (collection: Collection<TaskDoc>) => Promise<R>,
    changeOf: (result: R) => TaskWrite | undefined,
  ): Promise<R> {
    const result = await write(this.collection);
    const change = changeOf(result);
    if (change) {
      try {
        await this.snapshot.record(change);
      } finally {
        // Counted even when the journal failed: a reader then knows something moved.
        await this.log.record(change);
      }
    }
    return result;
  }

  /** Index setup: changes no task, so nothing is recorded. */
  createIndexes(specs: IndexDescription[]): Promise<string[]> {
    return this.collection.createIndexes(specs);
  }
}
