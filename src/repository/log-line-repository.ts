import { Collection, Db, Filter, ObjectId } from 'mongodb';
import { LogLineDoc, LogRow, logRowOf, oldestKept, storedLogSortField } from '../domain/log-lines';
import { ensureNamedIndexes } from './indexes';

export const LOG_COLLECTION = 'df_log';

type StoredLine = LogLineDoc & { _id: ObjectId };

export interface LogLineQuery {
  taskId?: string;
  /** Case-insensitive text in the message. */
  q?: string;
  /** A field of LOG_ROW_SHAPE (`fields.<key>` included). */
  sort: string;
  order: 'ASC' | 'DESC';
  skip: number;
  limit: number;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * df_log: the recent log lines that name a task, written in batches by every DF process. Bounded
 * by count and age with deletes of the oldest (trim), not a capped collection or a TTL index,
 * which FerretDB does not promise; reads leave out lines past the age even before a trim removed them.
 */
export class LogLineRepository {
  private readonly collection: Collection<StoredLine>;

  constructor(db: Db) {
    this.collection = db.collection<StoredLine>(LOG_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await ensureNamedIndexes(this.collection, [
      { key: { taskId: 1, _id: -1 }, name: 'task_id' },
      { key: { at: 1 }, name: 'at' },
    ]);
  }

  async insert(lines: readonly LogLineDoc[]): Promise<void> {
    if (lines.length === 0) return;
    await this.collection.insertMany(
      lines.map((line) => ({ ...line, _id: new ObjectId() })),
      { ordered: false },
    );
  }

  /**
   * Removes lines older than maxAgeMs, then all but the newest maxLines. Every process trims: two
   * trims at once remove the same lines, which is harmless.
   */
  async trim(maxLines: number, maxAgeMs: number, now: Date): Promise<void> {
    await this.collection.deleteMany({ at: { $lt: oldestKept(now, maxAgeMs) } });
    const [oldestKeptLine] = await this.collection
      .find({}, { projection: { _id: 1 } })
      .sort({ _id: -1 })
      .skip(maxLines - 1)
      .limit(1)
      .toArray();
    if (oldestKeptLine) await this.collection.deleteMany({ _id: { $lt: oldestKeptLine._id } });
  }

  /** One page of the kept lines (of one task, when taskId is given) and how many match. */
  async list(query: LogLineQuery, maxAgeMs: number, now: Date): Promise<{ items: LogRow[]; total: number }> {
    const filter: Filter<StoredLine> = {
      at: { $gte: oldestKept(now, maxAgeMs) },
      ...(query.taskId !== undefined ? { taskId: query.taskId } : {}),
      ...(query.q ? { message: { $regex: escapeRegex(query.q), $options: 'i' } } : {}),
    };
    const direction = query.order === 'ASC' ? 1 : -1;
    const field = storedLogSortField(query.sort);
    const sort: Record<string, 1 | -1> = field === '_id' ? { _id: direction } : { [field]: direction, _id: direction };
    const [docs, total] = await Promise.all([
      query.limit === 0
        ? Promise.resolve([])
        : this.collection.find(filter).sort(sort).skip(query.skip).limit(query.limit).toArray(),
      this.collection.countDocuments(filter),
    ]);
    return { items: docs.map(({ _id, ...doc }) => logRowOf({ ...doc, id: _id.toHexString() })), total };
  }
}
