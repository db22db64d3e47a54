import { Collection, Db } from 'mongodb';
import type { RowShape } from '../domain/list-sort';
import { SECRET_MASK } from '../domain/secrets';
import type { Webhook, WebhookEventName, WebhookFormat, WebhookView } from '../domain/webhook';
import type { ConfigSealer } from './secret-cipher';

export const WEBHOOK_COLLECTION = 'df_webhooks';

/** The fields of a webhook as the API answers it: what `_sort` takes. */
export const WEBHOOK_ROW_SHAPE: RowShape = {
  fields: ['id', 'url', 'events', 'format', 'secret', 'enabled', 'createdAt', 'updatedAt'],
};

interface WebhookDoc {
  _id: string;
  url: string;
  events: WebhookEventName[];
  format: WebhookFormat;
  /** Sealed with the payload keys (DF_PAYLOAD_KEY), as tasks' secret config values are. */
  secret: string;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** What a write sets: the secret in clear (sealed here), or undefined to keep the stored one. */
export interface WebhookFields {
  url: string;
  events: WebhookEventName[];
  format: WebhookFormat;
  secret?: string;
  enabled: boolean;
}

/** The config key the secret is sealed under (bound into the sealed value); the sealer must count it secret. */
const SEALED_KEY = 'webhook.secret';

function viewOf(doc: WebhookDoc): WebhookView {
  return {
    id: doc._id,
    url: doc.url,
    events: doc.events,
    format: doc.format,
    secret: SECRET_MASK,
    enabled: doc.enabled,
    createdAt: doc.createdAt.toISOString(),
    updatedAt: doc.updatedAt.toISOString(),
  };
}

/**
 * df_webhooks: the webhooks DF calls when something a team cares about happens. Reads answer the
 * secret masked; only `withSecret` (the delivery) opens it.
 */
export class WebhookRepository {
  private readonly collection: Collection<WebhookDoc>;

  /** `sealer` must treat SEALED_KEY as secret: it seals the secret on the way in. */
  constructor(
    db: Db,
    private readonly sealer: ConfigSealer,
  ) {
    this.collection = db.collection<WebhookDoc>(WEBHOOK_COLLECTION);
  }

  private sealed(secret: string): string {
    return this.sealer.seal({ [SEALED_KEY]: secret })[SEALED_KEY];
  }

  async insert(id: string, fields: WebhookFields & { secret: string }, at: Date): Promise<WebhookView> {
    const doc: WebhookDoc = {
      _id: id,
      url: fields.url,
      events: fields.events,
      format: fields.format,
      secret: this.sealed(fields.secret),
      enabled: fields.enabled,
      createdAt: at,
      updatedAt: at,
    };
    await this.collection.insertOne(doc);
    return viewOf(doc);
  }

  /** Replaces every field but the secret when none is given; undefined when there is no such webhook. */
  async replace(id: string, fields: WebhookFields, at: Date): Promise<WebhookView | undefined> {
    const set: Partial<WebhookDoc> = {
      url: fields.url,
      events: fields.events,
      format: fields.format,
      enabled: fields.enabled,
      updatedAt: at,
      ...(fields.secret !== undefined ? { secret: this.sealed(fields.secret) } : {}),
    };
    const doc = await this.collection.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' });
    return doc ? viewOf(doc) : undefined;
  }

  async remove(id: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: id })).deletedCount > 0;
  }

  async get(id: string): Promise<WebhookView | undefined> {
    const doc = await this.collection.findOne({ _id: id });
    return doc ? viewOf(doc) : undefined;
  }

  /** Every webhook; a deployment has a handful, so lists page them in memory. */
  async all(): Promise<WebhookView[]> {
    return (await this.collection.find({}).sort({ _id: 1 }).toArray()).map(viewOf);
  }

  /** The enabled webhooks that want this event: whom an event is sent to. */
  async subscribers(event: WebhookEventName): Promise<WebhookView[]> {
    return (await this.collection.find({ enabled: true, events: event }).toArray()).map(viewOf);
  }

  /** The webhook with its secret opened, for signing; throws SecretCipherError when it does not open. */
  async withSecret(id: string): Promise<Webhook | undefined> {
    const doc = await this.collection.findOne({ _id: id });
    if (!doc) return undefined;
    return { ...viewOf(doc), secret: this.sealer.open({ [SEALED_KEY]: doc.secret })[SEALED_KEY] };
  }
}
