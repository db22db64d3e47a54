import { defineQuery } from '@temporalio/workflow';
import type { BulkProgress } from '../domain/bulk';

/** Where a bulk run is: per-item states and counts, answered live and after it ended (GET /bulk/:id). */
export const bulkProgressQuery = defineQuery<BulkProgress>('bulkProgress');
