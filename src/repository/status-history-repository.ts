import { Collection, Db, MongoBulkWriteError } from 'mongodb';
import type { HistoryEntry, HistoryEvent } from '../domain/status-sync';
import type { RowShape } from '../domain/list-sort';
import type { DfStatus } from '../domain/status';
import { duplicateKeyRefusals, isDuplicateKey } from './mongo';
import { ensureNamedIndexes } from './indexes';

export const STATUS_HISTORY_COLLECTION = 'df_status_history';

/** One row of GET /status/:id/history. */
export interface StatusHistoryRow {
  id: string;
  taskId: string;
  from: DfStatus;
  to: DfStatus;
  at: string;
  event: HistoryEvent;
  reason?: string;
}

/** The fields of a status history row: what `_sort` takes. */
export const STATUS_HISTORY_ROW_SHAPE: RowShape = {
  fields: ['id', 'taskId', 'from', 'to', 'at', 'event', 'reason'],
};

interface HistoryDoc {
  _id: string;
  taskId: string;
  from: DfStatus;
  to: DfStatus;
  at: Date;
  event: HistoryEvent;
  reason?: string;
}

/**
 * df_status_history: every status change of every task, appended by the status sync and by the
 * operations. Ids are derived from (task, time, event, target status), so appending the same
 * entry twice (a retried step) keeps one row.
 */
export class StatusHistoryRepository {
  private readonly collection: Collection<HistoryDoc>;

  constructor(db: Db) {
    this.collection = db.collection<HistoryDoc>(STATUS_HISTORY_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await ensureNamedIndexes(this.collection, [{ key: { taskId: 1, at: -1 }, name: 'task_at' }]);
  }

  async append(entries: HistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const docs: HistoryDoc[] = entries.map((e) => {
      const at = new Date(e.at);
      return {
        _id: `${e.taskId}:${at.toISOString()}:${e.event}:${e.to}`,
        taskId: e.taskId,
        from: e.from,
        to: e.to,
        at,
        event: e.event,
        ...(e.reason ? { reason: e.reason } : {}),
      };
    });
    // Plain inserts, not upserts: the store (FerretDB) takes a batch of them as one statement
    // instead of a lookup and an insert each (110 entries: 5 ms against 31 ms). An entry that is
    // there already (a retried step) is refused by its _id, and that refusal is the dedupe.
    try {
      await this.collection.insertMany(docs, { ordered: false });
    } catch (error) {
      const onlyTaken =
        error instanceof MongoBulkWriteError ? duplicateKeyRefusals(error) !== undefined : isDuplicateKey(error);
      if (!onlyTaken) throw error;
    }
  }

  /**
   * One page of a task's history in the order asked (by time unless `sort` names another field
   * of STATUS_HISTORY_ROW_SHAPE, then by time), and the total.
   */
  async list(
    taskId: string,
    skip: number,
    limit: number,
    order: 'ASC' | 'DESC',
    sort = 'at',
  ): Promise<{ items: StatusHistoryRow[]; total: number }> {
    const direction = order === 'ASC' ? 1 : -1;
    const field = sort === 'id' ? '_id' : STATUS_HISTORY_ROW_SHAPE.fields.includes(sort) ? sort : 'at';
    // One task's rows only (the task_at index finds them), sorted keeping the page's rows.
    const by: Record<string, 1 | -1> = { [field]: direction, at: direction, _id: direction };
    const [docs, total] = await Promise.all([
      limit === 0 ? Promise.resolve([]) : this.collection.find({ taskId }).sort(by).skip(skip).limit(limit).toArray(),
      this.collection.countDocuments({ taskId }),
    ]);
    return {
      items: docs.map((d) => ({
        id: d._id,
        taskId: d.taskId,
        from: d.from,
        to: d.to,
        at: d.at.toISOString(),
        event: d.event,
        ...(d.reason ? { reason: d.reason } : {}),
      })),
      total,
    };
  }
}
