import type { Filter } from 'mongodb';
import { DfError } from '../domain/errors';
import type { StoreUpgrade } from '../domain/legacy-task';
import type { StringMap } from '../domain/task';
import { decodeMap } from './key-encoding';
import type { ConfigSealer } from './secret-cipher';
import {
  readTaskDoc,
  storedMap,
  type TaskDoc,
  toTask,
  type UnreadableRecord,
  unreadableError,
  upgradeOfOriginal,
} from './task-doc';
import { FULL_READ_BATCH, type TaskReader } from './task-reads';
import type { TaskWrites } from './task-writes';

/** What an upgrade of stored records works with: the repository's reader, writes and sealer. */
export interface UpgradeContext {
  reader: TaskReader;
  writes: TaskWrites;
  sealer: ConfigSealer;
  onUnreadable?: (record: UnreadableRecord) => void;
}

/**
 * Upgrades one original record (see upgradeStoredRecords); undefined when it is not one (any more).
 * The write applies only to the record as it was read, so a status recorded meanwhile is never
 * overwritten: the record is then read again.
 */
export async function upgradeOriginal(
  { reader, writes, sealer }: UpgradeContext,
  id: string,
  at: Date,
): Promise<{ id: string; changes: string[] } | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const raw = await reader.findOne({ _id: id, revision: { $exists: false } });
    if (!raw) return undefined;
    const read = readTaskDoc(raw as unknown as Record<string, unknown>, sealer);
    if (!read.ok) throw unreadableError(read.unreadable);
    const { set, changes } = upgradeOfOriginal(raw as unknown as Record<string, unknown>, read.task, at, sealer);
    const unchanged = (field: 'status' | 'statusAt') => (raw[field] === undefined ? { $exists: false } : raw[field]);
    const filter = {
      _id: id,
      revision: { $exists: false },
      status: unchanged('status'),
      statusAt: unchanged('statusAt'),
    } as Filter<TaskDoc>;
    // A replacement, not a $set: FerretDB takes a $set of a map whose values are unchanged, under
    // other keys, for no change at all (the renamed connector keys would stay as they were).
    const { _id: _same, ...rest } = raw;
    const updated = await writes.write(
      (c) => c.findOneAndReplace(filter, { ...rest, ...set } as TaskDoc, { returnDocument: 'after' }),
      (doc) => (doc ? { kind: 'put', task: toTask(doc, sealer), doc } : undefined),
    );
    if (updated) return { id, changes };
  }
  throw new DfError('CONFLICT', `task ${id} kept changing while it was upgraded from the original service's shape`, {
    details: { id },
  });
}

/**
 * Seals the secret config values DF's own records hold in clear (written before secrets were
 * sealed, or while no key was set). Not a change of the task: revision and times stay. Returns
 * the ids sealed; a record written meanwhile is left for the next run.
 */
async function sealClearSecrets({ reader, writes, sealer }: UpgradeContext): Promise<string[]> {
  const docs = reader.find(
    { revision: { $exists: true } },
    { projection: { connectorConfig: 1, jobConfig: 1, revision: 1, updatedAt: 1 }, batchSize: FULL_READ_BATCH },
  );
  const clear: { id: string; revision: number; updatedAt: Date }[] = [];
  for await (const d of docs) {
    const maps = [d.connectorConfig, d.jobConfig].filter((m): m is StringMap => m !== null && typeof m === 'object');
    if (typeof d._id === 'string' && maps.some((m) => sealer.hasClearSecret(decodeMap(m))))
      clear.push({ id: d._id, revision: d.revision, updatedAt: d.updatedAt });
  }
  // One change for the lot: readers only need to know that something moved.
  return writes.write(
    async (c) => {
      const sealed: string[] = [];
      for (const { id, revision, updatedAt } of clear) {
        const doc = await reader.findOne({ _id: id });
        const read = doc ? readTaskDoc(doc as unknown as Record<string, unknown>, sealer) : undefined;
        if (!read?.ok) continue;
        const { connectorConfig, jobConfig } = read.task;
        const result = await c.updateOne(
          { _id: id, revision, updatedAt },
          {
            $set: {
              connectorConfig: storedMap(connectorConfig, sealer),
              jobConfig: jobConfig ? storedMap(jobConfig, sealer) : null,
            },
          },
        );
        if (result.modifiedCount === 1) sealed.push(id);
      }
      return sealed;
    },
    (sealed) => (sealed.length > 0 ? { kind: 'unknown', ids: sealed } : undefined),
  );
}

/**
 * Brings every record the original service wrote (no revision) to DF's shape, in place: DF type
 * names, DF statuses, Kafka Connect's key spelling, times and revision 0. Run again, it finds
 * nothing to do. A document that cannot be read is left as it is and named in `unreadable`.
 */
export async function upgradeStoredRecords(context: UpgradeContext, at: Date): Promise<StoreUpgrade> {
  const result: StoreUpgrade = { upgraded: [], sealed: [], unreadable: [] };
  const docs = await context.reader.find({ revision: { $exists: false } }, { batchSize: FULL_READ_BATCH }).toArray();
  for (const doc of docs) {
    const read = readTaskDoc(doc as unknown as Record<string, unknown>, context.sealer);
    if (!read.ok) {
      result.unreadable.push(read.unreadable);
      context.onUnreadable?.(read.unreadable);
      continue;
    }
    const done = await upgradeOriginal(context, read.task.id, at);
    if (done) result.upgraded.push(done);
  }
  result.sealed = await sealClearSecrets(context);
  return result;
}
