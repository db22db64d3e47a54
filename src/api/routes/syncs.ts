import { Hono } from 'hono';
import { DfError } from '../../domain/errors';
import { HIST_ROW_SHAPE, type HistRow, processingHistory } from '../../domain/metadata';
import type { MetaRepository } from '../../repository/meta-repository';
import type { SyncRecordRepository } from '../../repository/sync-record-repository';
import { rowsAnswer } from '../list-protocol';

/**
 * What the syncs found: GET /drift (the latest startup sync's drift report) and GET /hist (the
 * processing history the metadata sink collects, per task and file).
 */
export function syncRoutes({ syncRecords, meta }: { syncRecords: SyncRecordRepository; meta: MetaRepository }) {
  return new Hono()
    .get('/drift', async (c) => {
      const latest = await syncRecords.latestDrift();
      if (!latest)
        throw new DfError('NOT_FOUND', 'no drift report yet: startupSync has not run for this deployment', {
          details: {},
        });
      return c.json({ ...latest.report, workflowId: latest.workflowId });
    })
    .get('/hist', async (c) => {
      const answer = rowsAnswer<HistRow>(c, {
        shape: HIST_ROW_SHAPE,
        searchable: ['cuid', 'file_name', 'topic_sent', 'schema_subject', 'status'],
        defaultSort: 'id',
      });
      return answer(processingHistory(await meta.records()));
    });
}
