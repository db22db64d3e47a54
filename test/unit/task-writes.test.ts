import type { Collection } from 'mongodb';
import type { TaskWrite } from '../../src/repository/task-change-log';
import type { TaskDoc } from '../../src/repository/task-doc';
import { TaskWrites } from '../../src/repository/task-writes';

/** A fake change log that keeps what it was told, and a stand-in collection no write here touches. */
function fakeWrites() {
  const recorded: TaskWrite[] = [];
  const collection = { collectionName: 'df_processor' } as unknown as Collection<TaskDoc>;
  const writes = new TaskWrites(collection, {
    record: async (write: TaskWrite) => {
      recorded.push(write);
    },
  });
  return { writes, recorded, collection };
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
