import { Collection, Db } from 'mongodb';
import type { RowShape } from '../domain/list-sort';
import type { WebhookEventName } from '../domain/webhook';
import { ensureNamedIndexes } from './indexes';
import { isDuplicateKey } from './mongo';

export const WEBHOOK_DELIVERY_COLLECTION = 'df_webhook_deliveries';

/**
 * What one attempt came to: `delivered` (a 2xx), `failed` (tried again later), `refused` (a 4xx
 * that another attempt cannot change: no more attempts), `dropped` (the webhook was removed,
 * disabled or no longer wants the event, or its URL is no longer allowed).
 */
export type DeliveryOutcome = 'delivered' | 'failed' | 'refused' | 'dropped';

/** One row of GET /webhooks/:id/deliveries. */
export interface WebhookDeliveryRow {
  id: string;
  webhookId: string;
  eventId: string;
  event: WebhookEventName;
  taskId: string;
  /** 1 for the first attempt, then counting up. */
  attempt: number;
  at: string;
  outcome: DeliveryOutcome;
  /** The receiver's HTTP status, when it answered. */
  httpStatus?: number;
  /** Why it did not go through, in one line. */
  error?: string;
}

export const WEBHOOK_DELIVERY_ROW_SHAPE: RowShape = {
  fields: ['id', 'webhookId', 'eventId', 'event', 'taskId', 'attempt', 'at', 'outcome', 'httpStatus', 'error'],
};

interface DeliveryDoc extends Omit<WebhookDeliveryRow, 'id' | 'at'> {
  _id: string;
  at: Date;
}

/**
 * df_webhook_deliveries: every attempt to deliver an event to a webhook, appended by the delivery
 * activity. An attempt's id is (webhook, event, attempt), so recording it twice keeps one row.
 */
export class WebhookDeliveryRepository {
  private readonly collection: Collection<DeliveryDoc>;

  constructor(db: Db) {
    this.collection = db.collection<DeliveryDoc>(WEBHOOK_DELIVERY_COLLECTION);
  }

  async ensureIndexes(): Promise<void> {
    await ensureNamedIndexes(this.collection, [{ key: { webhookId: 1, at: -1 }, name: 'webhook_at' }]);
  }

  async append(row: Omit<WebhookDeliveryRow, 'id'>): Promise<void> {
    const { at, ...rest } = row;
    try {
      await this.collection.insertOne({
        _id: `${row.webhookId}:${row.eventId}:${row.attempt}`,
        ...rest,
        at: new Date(at),
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  /** One page of a webhook's deliveries in the order asked (by time unless `sort` names another field), and the total. */
  async list(
    webhookId: string,
    skip: number,
    limit: number,
    order: 'ASC' | 'DESC',
    sort = 'at',
  ): Promise<{ items: WebhookDeliveryRow[]; total: number }> {
    const direction = order === 'ASC' ? 1 : -1;
    const field = sort === 'id' ? '_id' : WEBHOOK_DELIVERY_ROW_SHAPE.fields.includes(sort) ? sort : 'at';
    const by: Record<string, 1 | -1> = { [field]: direction, at: direction, _id: direction };
    const [docs, total] = await Promise.all([
      limit === 0
        ? Promise.resolve([])
        : this.collection.find({ webhookId }).sort(by).skip(skip).limit(limit).toArray(),
      this.collection.countDocuments({ webhookId }),
    ]);
    return {
      items: docs.map(({ _id, at, ...rest }) => ({ id: _id, ...rest, at: at.toISOString() })),
      total,
    };
  }

  /** Forgets a removed webhook's deliveries. */
  async removeOf(webhookId: string): Promise<void> {
    await this.collection.deleteMany({ webhookId });
  }
}
