import { Collection, Db } from 'mongodb';
import type { MetaRecord } from '../domain/metadata';

/** df_meta: the processing metadata the metadata sink connector writes; DF only reads it. */
export class MetaRepository {
  private readonly collection: Collection<MetaRecord>;

  constructor(
    private readonly db: Db,
    readonly collectionName: string,
  ) {
    this.collection = db.collection<MetaRecord>(collectionName);
  }

  /** Creates the collection if it is missing, so the sink and the readers meet an existing one. */
  async ensureCollection(): Promise<void> {
    const found = await this.db.listCollections({ name: this.collectionName }, { nameOnly: true }).toArray();
    if (found.length === 0) await this.db.createCollection(this.collectionName).catch(() => undefined);
  }

  async records(): Promise<MetaRecord[]> {
    return this.collection.find({}, { projection: { _id: 0 } }).toArray();
  }
}
