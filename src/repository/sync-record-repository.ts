import { Collection, Db } from 'mongodb';
import type { DriftReport } from '../domain/drift';

export const SYNC_RECORD_COLLECTION = 'df_sync';

interface DriftDoc {
  _id: 'drift';
  report: DriftReport;
  workflowId: string;
}

/** df_sync: what the syncs keep between runs. Today the latest drift report. */
export class SyncRecordRepository {
  private readonly collection: Collection<DriftDoc>;

  constructor(db: Db) {
    this.collection = db.collection<DriftDoc>(SYNC_RECORD_COLLECTION);
  }

  async saveDrift(report: DriftReport, workflowId: string): Promise<void> {
    await this.collection.replaceOne({ _id: 'drift' }, { report, workflowId }, { upsert: true });
  }

  async latestDrift(): Promise<{ report: DriftReport; workflowId: string } | undefined> {
    const doc = await this.collection.findOne({ _id: 'drift' });
    return doc ? { report: doc.report, workflowId: doc.workflowId } : undefined;
  }
}
