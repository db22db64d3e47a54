import type { Collection } from 'mongodb';
import type { TaskWrite } from '../../src/repository/task-change-log';
import type { TaskDoc } from '../../src/repository/task-doc';
import { TaskWrites } from '../../src/repository/task-writes';

/** A fake change log and snapshot journal that keep what they were told, in order, and a stand-in collection no write here touches. */
function fakeWrites(journal: (write: TaskWrite) => Promise<void> = async () => undefined) {
  const recorded: TaskWrite[] = [];
  const order: string[] = [];
  const collection = { collectionName: 'df_processor' } as unknown as Collection<TaskDoc>;
  const writes = new TaskWrites(
    collection,
    {
      record: async (write: TaskWrite) => {
        order.push('count');
        recorded.push(write);
      },
    },
    {
      record: async (write: TaskWrite) => {
        order.push('journal');
        await journal(write);
      },
    },
  );
  return { writes, recorded, collection, order };
}

describe('writes of df_processor', () => {
  it('hand the write the collection and record the change its result makes, after it', async () => {
    const { writes, recorded, collection } = fakeWrites();
    const order: string[] = [];
    const result = await writes.write(
      async (c) => {
        expect(c).toBe(collection);
        order.push('write');
        return { deletedCount: 1 };
      },
      (r) => {
        order.push('change');
        return r.deletedCount === 1 ? { kind: 'remove', id: 't1' } : undefined;
      },
    );
    expect(result).toEqual({ deletedCount: 1 });
    expect(order).toEqual(['write', 'change']);
    expect(recorded).toEqual([{ kind: 'remove', id: 't1' }]);
  });

  it('append the change to the sync snapshot journal before counting it (a reader that sees the count finds the entry)', async () => {
    const { writes, order } = fakeWrites();
    await writes.write(
      async () => ({ deletedCount: 1 }),
      () => ({ kind: 'remove', id: 't1' }),
    );
    expect(order).toEqual(['journal', 'count']);
  });

  it('count the change even when the journal fails, and pass the failure on', async () => {
    const { writes, recorded } = fakeWrites(async () => {
      throw new Error('journal down');
    });
    await expect(
      writes.write(
        async () => ({ deletedCount: 1 }),
        () => ({ kind: 'remove', id: 't1' }),
      ),
    ).rejects.toThrow('journal down');
    expect(recorded).toEqual([{ kind: 'remove', id: 't1' }]);
  });

  it('record nothing when the result says nothing changed', async () => {
    const { writes, recorded } = fakeWrites();
    await writes.write(
      async () => ({ modifiedCount: 0 }),
      (r) => (r.modifiedCount > 0 ? { kind: 'unknown' } : undefined),
    );
    expect(recorded).toEqual([]);
  });

  it('record nothing when the write fails, and pass its failure on', async () => {
    const { writes, recorded } = fakeWrites();
    await expect(
      writes.write(
        async () => {
          throw new Error('store down');
        },
        () => ({ kind: 'unknown' }),
      ),
    ).rejects.toThrow('store down');
    expect(recorded).toEqual([]);
  });
});
