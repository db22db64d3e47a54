import { Collection, Db } from 'mongodb';
import type { HistoryEntry, HistoryEvent } from '../domain/status-sync';
import type { DfStatus } from '../domain/status';

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
    const existing = new Set((await this.collection.listIndexes().toArray().catch(() => [])).map((i) => String(i.name)));
    if (!existing.has('task_at')) await this.collection.createIndexes([{ key: { taskId: 1, at: -1 }, name: 'task_at' }]);
  }

  async append(entries: HistoryEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.collection.bulkWrite(entries.map((e) => {
      const at = new Date(e.at);
      const doc: HistoryDoc = { _id: `${e.taskId}:${at.toISOString()}:${e.event}:${e.to}`, taskId: e.taskId, from: e.from, to: e.to, at, event: e.event, ...(e.reason ? { reason: e.reason } : {}) };
      const { _id, ...fields } = doc;
      return { updateOne: { filter: { _id }, update: { $setOnInsert: fields }, upsert: true } };
    }), { ordered: false });
  }

  /** A task's history, newest first, one page of it and the total. */
  async list(taskId: string, skip: number, limit: number, order: 'ASC' | 'DESC'): Promise<{ items: StatusHistoryRow[]; total: number }> {
    const direction = order === 'ASC' ? 1 : -1;
    const [docs, total] = await Promise.all([
      limit === 0 ? Promise.resolve([]) : this.collection.find({ taskId }).sort({ at: direction, _id: direction }).skip(skip).limit(limit).toArray(),
      this.collection.countDocuments({ taskId }),
    ]);
    return {
      items: docs.map((d) => ({ id: d._id, taskId: d.taskId, from: d.from, to: d.to, at: d.at.toISOString(), event: d.event, ...(d.reason ? { reason: d.reason } : {}) })),
      total,
    };
  }
}
