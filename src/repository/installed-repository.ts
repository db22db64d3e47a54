import { Collection, Db } from 'mongodb';
import { connectorTypesOf } from '../domain/connector-types';
import { InstalledPlugin } from '../domain/installed';

export const INSTALLED_COLLECTION = 'df_installed';

interface InstalledDoc {
  _id: string;
  class: string;
  type: string;
  version: string;
  /** Kept from the original catalogue, which marked connector entries this way. */
  meta_type: 'installed_connect';
  /** DF connector types that stand for this class (catalogue names and the derived one). */
  connectorTypes: string[];
  /** False once Kafka Connect stops listing the plugin; the entry stays for history. */
  available: boolean;
  seenAt: Date;
  createdAt: Date;
}

/** The catalogue of connector plugins Kafka Connect has installed (collection df_installed). */
export class InstalledRepository {
  private readonly collection: Collection<InstalledDoc>;

  constructor(db: Db) {
    this.collection = db.collection<InstalledDoc>(INSTALLED_COLLECTION);
  }

  /**
   * Records the plugins Kafka Connect lists now, keyed by class, in one bulk write: running it
   * twice leaves the same documents, so a retried activity is harmless.
   */
  async recordListed(plugins: InstalledPlugin[], seenAt: Date): Promise<{ upserted: number; unavailable: number }> {
    const classes = plugins.map((p) => p.class);
    let upserted = 0;
    if (plugins.length > 0) {
      const result = await this.collection.bulkWrite(
        plugins.map((p) => ({
          updateOne: {
            filter: { _id: p.class },
            update: {
              $set: {
                class: p.class,
                type: p.type,
                version: p.version,
                meta_type: 'installed_connect' as const,
                connectorTypes: connectorTypesOf(p.class, p.type),
                available: true,
                seenAt,
              },
              $setOnInsert: { createdAt: seenAt },
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
      upserted = result.upsertedCount;
    }
    const gone = await this.collection.updateMany(
      { _id: { $nin: classes }, available: true },
      { $set: { available: false } },
    );
    return { upserted, unavailable: gone.modifiedCount };
  }

  /** Plugins Kafka Connect listed the last time it was asked, sorted by class. */
  async listAvailable(): Promise<InstalledPlugin[]> {
    const docs = await this.collection.find({ available: true }).sort({ _id: 1 }).toArray();
    return docs.map((d) => ({ class: d.class, type: d.type, version: d.version }));
  }

  /** The installed plugin a DF connector type stands for, if Kafka Connect has it. */
  async findByConnectorType(connectorType: string): Promise<InstalledPlugin | undefined> {
    const doc = await this.collection.findOne({ connectorTypes: connectorType, available: true });
    return doc ? { class: doc.class, type: doc.type, version: doc.version } : undefined;
  }

  /** Every connector type that resolves to an installed plugin, for error messages. */
  async knownConnectorTypes(): Promise<string[]> {
    const docs = await this.collection.find({ available: true }).toArray();
    return docs.flatMap((d) => d.connectorTypes ?? []).sort();
  }
}
