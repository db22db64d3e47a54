import type { Db } from 'mongodb';
import type { SyncedTask } from '../../src/domain/status-sync';
import { chunkCountFor, chunksOf, encodeEntries } from '../../src/domain/sync-snapshot';
import { SNAPSHOT_COLLECTION, SyncSnapshotStore } from '../../src/repository/sync-snapshot-store';
import type { TaskReader } from '../../src/repository/task-reads';

const task = (i: number): SyncedTask => ({
  id: `task-${i}`,
  category: 'CONNECT',
  connectUid: `task-${i}`,
  status: 'RUNNING',
  statusAt: 1000,
  updatedAt: 900,
});

/** A FAKE store that answers every find at once with the documents it holds (no I/O to wait for). */
function storeHolding(chunkDocs: object[]): Db {
  const collection = (name: string) => ({
    find: () => ({ toArray: async () => (name === SNAPSHOT_COLLECTION ? chunkDocs : []) }),
  });
  return { collection } as unknown as Db;
}

describe('the sync snapshot store', () => {
  it('lets the event loop turn between the chunks it decodes (the API shares the process)', async () => {
    const now = Date.now();
    const tasks = Array.from({ length: 5_000 }, (_, i) => task(i));
    const of = chunkCountFor(tasks.length);
    const chunkDocs = chunksOf(tasks, of).map((entries, index) => ({
      _id: `chunk-${index}`,
      index,
      of,
      rev: 1,
      n: entries.length,
      e: encodeEntries(entries),
      trueAt: now,
      trueMs: 10,
    }));
    const store = new SyncSnapshotStore(storeHolding(chunkDocs), {} as TaskReader);

    let turns = 0;
    let done = false;
    const turn = () => {
      turns++;
      if (!done) setImmediate(turn);
    };
    setImmediate(turn);
    const read = await store.read(() => Promise.reject(new Error('no true read expected')), now);
    done = true;

    expect(read.source).toBe('compact');
    expect(read.tasks).toHaveLength(tasks.length);
    expect(turns).toBeGreaterThanOrEqual(of - 1);
  });
});
