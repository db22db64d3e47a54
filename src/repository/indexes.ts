import type { Collection, Document, IndexDescription } from 'mongodb';

/**
 * Creates the named indexes a collection lacks, one at a time and only the missing ones: FerretDB
 * drops the connection when a single createIndexes names several indexes that already exist.
 * Safe to repeat; an unreadable index list counts as none.
 */
export async function ensureNamedIndexes<T extends Document>(
  collection: Collection<T>,
  indexes: readonly (IndexDescription & { name: string })[],
): Promise<void> {
  const existing = new Set(
    (
      await collection
        .listIndexes()
        .toArray()
        .catch(() => [])
    ).map((i) => String(i.name)),
  );
  for (const index of indexes) {
    if (!existing.has(index.name)) await collection.createIndexes([index]);
  }
}
