import { MongoClient } from 'mongodb';
import { loadConfig } from '../../src/config';
import type { SyncedTask } from '../../src/domain/status-sync';
import type { NewTask } from '../../src/domain/task';
import {
  FOLD_AT,
  JOURNAL_COLLECTION,
  SNAPSHOT_COLLECTION,
  SyncSnapshotStore,
} from '../../src/repository/sync-snapshot-store';
import type { TaskDoc } from '../../src/repository/task-doc';
import { newTaskDoc } from '../../src/repository/task-doc';
import { TASK_COLLECTION, TaskRepository } from '../../src/repository/task-repository';
import { useScratchDb } from '../support/scratch-db';

const op = { workflowId: 'snap', runId: 'snap', type: 'seed' };
const at = new Date('2026-01-01T00:00:00Z');

function newTask(id: string, category: 'CONNECT' | 'TRANSFORM' = 'CONNECT'): NewTask {
  return {
    id,
    taskSeq: '1',
    name: id,
    description: '',
    connectorType: category === 'CONNECT' ? 'CONNECT_SOURCE_KAFKA_FlatFile' : 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
    connectorCategory: category,
    connectUid: id,
    status: 'RUNNING',
    connectorConfig: { 'tasks.max': '1' },
    jobConfig: category === 'TRANSFORM' ? { flink_job_id: `job-${id}` } : null,
  };
}

const byId = (tasks: SyncedTask[]) => [...tasks].sort((a, b) => (a.id < b.id ? -1 : 1));

/**
 * The status sync's compact snapshot on the stack's real store: kept by every repository write,
 * from several processes at once, and healed by a true read of df_processor when it cannot know.
 */
describe('status sync snapshot: the compact copy agrees with df_processor', () => {
  const scratch = useScratchDb('it_snapshot');
  let tasks: TaskRepository;

  beforeAll(async () => {
    tasks = new TaskRepository(scratch.db);
    await tasks.ensureIndexes();
  });

  /** The compact read, which must not have needed df_processor. */
  async function compact(repo = tasks): Promise<SyncedTask[]> {
    const read = await repo.readSyncSnapshot();
    expect(read.source).toBe('compact');
    return byId(read.tasks);
  }

  it('is built from df_processor on the first read of a deployment whose tasks were written without it', async () => {
    // Records written straight into the collection: an upgrade from a version without the snapshot.
    await scratch.db
      .collection(TASK_COLLECTION)
      .insertMany(
        Array.from({ length: 800 }, (_, i) =>
          newTaskDoc(newTask(`old-${i}`, i % 10 ? 'CONNECT' : 'TRANSFORM'), op, at, undefined as never),
        ) as never[],
      );
    const first = await tasks.readSyncSnapshot();
    expect(first).toMatchObject({ source: 'true', reason: 'no snapshot' });
    expect(first.tasks).toHaveLength(800);
    expect(await compact()).toEqual(byId(await tasks.syncSnapshot()));
  }, 60_000);

  it('loses no entry while several processes write different tasks at once, with folds under way', async () => {
    const WRITERS = 8;
    const PER_WRITER = 20;
    // Each writer its own client and repository: another worker process.
    const clients = await Promise.all(
      Array.from({ length: WRITERS }, () => MongoClient.connect(loadConfig(process.env).mongo.url)),
    );
    try {
      const repos = clients.map((c) => new TaskRepository(c.db(scratch.db.databaseName)));
      let reading = true;
      // A reader that folds the journal whenever it has grown, while the writers write.
      const reader = (async () => {
        let reads = 0;
        while (reading) {
          await tasks.readSyncSnapshot();
          reads++;
        }
        return reads;
      })();
      await Promise.all(
        repos.map(async (repo, w) => {
          for (let i = 0; i < PER_WRITER; i++) {
            const id = `w${w}-${i}`;
            await repo.insert(newTask(id, i % 4 ? 'CONNECT' : 'TRANSFORM'), op, at);
            if (i % 3 === 0) await repo.recordStatus(id, 'PAUSED', 'by writer', new Date(at.getTime() + i));
            if (i % 5 === 0) await repo.remove(`old-${w * 30 + i}`);
            if (i % 7 === 0)
              await repo.applyStatusChanges([
                {
                  id: `old-${w * 30 + i + 1}`,
                  expect: { status: 'RUNNING', statusAt: at.getTime() },
                  set: { status: 'FAILED', statusAt: at.getTime() + 1, statusReason: 'round' },
                  history: [],
                },
              ]);
          }
        }),
      );
      reading = false;
      expect(await reader).toBeGreaterThan(0);
      // The journal holds more than a fold's worth: the next read folds it into the chunks.
      expect(WRITERS * PER_WRITER).toBeGreaterThan(FOLD_AT);
      const truth = byId(await tasks.syncSnapshot());
      expect(truth.filter((t) => t.id.startsWith('w'))).toHaveLength(WRITERS * PER_WRITER);
      expect(await compact()).toEqual(truth);
      expect(await compact()).toEqual(truth); // after the fold
      expect(await scratch.db.collection(JOURNAL_COLLECTION).countDocuments()).toBeLessThan(FOLD_AT);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  }, 180_000);

  it('follows an import (a bulk insert some of whose ids are taken) and a restart count, without a true read', async () => {
    const imported = Array.from({ length: 50 }, (_, i) => newTask(`imp-${i}`));
    const taken = newTask('w0-1');
    const stored = await tasks.insertManyUnlessTaken([...imported, taken], { ...op, runId: 'import' }, at);
    expect(stored).toHaveLength(50);
    expect(await tasks.recordRestartAttempt('imp-3', 1, new Date())).toBe(true);
    const read = await compact();
    expect(read.filter((t) => t.id.startsWith('imp-'))).toHaveLength(50);
    expect(read.find((t) => t.id === 'imp-3')?.restarts).toMatchObject({ attempts: 1 });
    expect(read).toEqual(byId(await tasks.syncSnapshot()));
  }, 60_000);

  it('is healed by the next true read after a write made behind its back', async () => {
    await scratch.db
      .collection(TASK_COLLECTION)
      .updateOne({ _id: 'old-1' as never }, { $set: { status: 'STOPPED', statusAt: new Date() } });
    // The compact read cannot know...
    expect((await compact()).find((t) => t.id === 'old-1')?.status).not.toBe('STOPPED');
    // ...until its true read is due.
    const healed = await tasks.readSyncSnapshot(Date.now() + 24 * 3600_000);
    expect(healed).toMatchObject({ source: 'true', reason: 'due', healed: 1 });
    expect((await compact()).find((t) => t.id === 'old-1')?.status).toBe('STOPPED');
    expect(await compact()).toEqual(byId(await tasks.syncSnapshot()));
  }, 60_000);

  it('reads df_processor and builds itself again when a chunk is missing', async () => {
    await scratch.db.collection(SNAPSHOT_COLLECTION).deleteOne({ _id: 'chunk-0' as never });
    const read = await tasks.readSyncSnapshot();
    expect(read.source).toBe('true');
    expect(read.reason).toMatch(/missing/);
    expect(await compact()).toEqual(byId(await tasks.syncSnapshot()));
  }, 60_000);
});

describe('status sync snapshot: a journal no read folds (the status sync off)', () => {
  const scratch = useScratchDb('it_journal');

  it('stays bounded: past its cap one stale marker replaces it, and the next read is a true one', async () => {
    const store = new SyncSnapshotStore(scratch.db, scratch.db.collection<TaskDoc>(TASK_COLLECTION), {
      cap: 20,
      checkEvery: 5,
    });
    const journal = scratch.db.collection(JOURNAL_COLLECTION);
    const trueRead = async (): Promise<SyncedTask[]> => [];
    expect(await store.read(trueRead)).toMatchObject({ source: 'true', reason: 'no snapshot' });

    for (let i = 0; i < 60; i++) await store.record({ kind: 'remove', id: `gone-${i}` });
    const held = await journal.countDocuments();
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThanOrEqual(20 + 5);
    expect(await journal.countDocuments({ stale: true })).toBe(1);

    expect(await store.read(trueRead)).toMatchObject({
      source: 'true',
      reason: 'a write the journal could not name',
    });
    expect(await journal.countDocuments()).toBe(0);
    expect(await store.read(trueRead)).toMatchObject({ source: 'compact', tasks: [] });
  }, 60_000);
});
