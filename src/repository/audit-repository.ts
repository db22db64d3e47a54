import { Collection, Db, Filter } from 'mongodb';
import type { AuditEntry, AuditFilter } from '../domain/audit';
import { ensureNamedIndexes } from './indexes';
import { isDuplicateKey } from './mongo';

export const AUDIT_COLLECTION = 'df_audit';

type AuditDoc = Omit<AuditEntry, 'id' | 'at'> & { _id: string; at: Date };

export interface AuditQuery extends AuditFilter {
  /** Case-insensitive text in the actor, task, operation, path, request id or client address. */
  q?: string;
  /** A field of AUDIT_ROW_SHAPE. */
  sort: string;
  order: 'ASC' | 'DESC';
  skip: number;
  limit: number;
}

const SEARCHED = ['actor', 'taskId', 'operation', 'path', 'requestId', 'clientAddress'] as const;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function entryOf({ _id, at, ...doc }: AuditDoc): AuditEntry {
  return { id: _id, at: at.toISOString(), ...doc };
}

/**
 * df_audit: one entry per operation the API started, naming who asked. Written by the API, not by
 * the run: the run holds the same on its memo, and an entry has to say what the request was
 * answered, which only the API knows. Entries are kept: an audit that forgets is no audit.
 */
export class AuditRepository {
  private readonly collection: Collection<AuditDoc>;

  constructor(db: Db) {
    this.collection = db.collection<AuditDoc>(AUDIT_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await ensureNamedIndexes(this.collection, [
      { key: { at: -1 }, name: 'at' },
      { key: { actor: 1, at: -1 }, name: 'actor_at' },
      { key: { taskId: 1, at: -1 }, name: 'task_at' },
      { key: { operation: 1, at: -1 }, name: 'operation_at' },
    ]);
  }

  /** Adds the entry; one under its id is there already (the same run, asked for again) and is kept. */
  async record(entry: AuditEntry): Promise<void> {
    const { id, at, ...rest } = entry;
    try {
      await this.collection.insertOne({ _id: id, at: new Date(at), ...rest });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** Sets the status the request was answered with, unless the entry has one (a repeat's answer is not the first's). */
  async settle(id: string, status: number): Promise<void> {
    await this.collection.updateOne({ _id: id, status: { $exists: false } }, { $set: { status } });
  }

  /** One page of the entries that match every filter given, in the order asked (then newest first), and the total. */
  async list(query: AuditQuery): Promise<{ items: AuditEntry[]; total: number }> {
    const at = { ...(query.from ? { $gte: query.from } : {}), ...(query.to ? { $lte: query.to } : {}) };
    const filter: Filter<AuditDoc> = {
      ...(query.actor !== undefined ? { actor: query.actor } : {}),
      ...(query.taskId !== undefined ? { taskId: query.taskId } : {}),
      ...(query.operation !== undefined ? { operation: query.operation } : {}),
      ...(Object.keys(at).length > 0 ? { at } : {}),
      ...(query.q
        ? { $or: SEARCHED.map((field) => ({ [field]: { $regex: escapeRegex(query.q ?? ''), $options: 'i' } })) }
        : {}),
    };
    const direction = query.order === 'ASC' ? 1 : -1;
    const field = query.sort === 'id' ? '_id' : query.sort;
    // Ties in the field asked for come newest first, then by id, so pages do not overlap.
    const sort: Record<string, 1 | -1> = { [field]: direction };
    if (field !== '_id' && field !== 'at') sort.at = -1;
    if (field !== '_id') sort._id = direction;
    const [docs, total] = await Promise.all([
      query.limit === 0
        ? Promise.resolve([])
        : this.collection.find(filter).sort(sort).skip(query.skip).limit(query.limit).toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items: docs.map(entryOf), total };
  }
}
