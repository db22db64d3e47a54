import { Hono } from 'hono';
import { readResultRows } from '../../batch-result-files';
import { parsePreviewLimit, previewableResult } from '../../domain/batch-result';
import { parseTaskId } from '../../domain/task-input';
import type { TaskRepository } from '../../repository/task-repository';
import { requireTaskOf } from './tasks';

/**
 * GET /tr/:id/result?limit=: the first rows of a finished batch SQL transform's result, read from
 * the files its job wrote; X-Total-Count is the number of rows the whole result has.
 */
export function batchResultRoutes({ tasks, resultDir }: { tasks: TaskRepository; resultDir: string }) {
  return new Hono().get('/tr/:id/result', async (c) => {
    const id = parseTaskId(c.req.param('id'));
    const limit = parsePreviewLimit(c.req.query('limit'));
    const task = await requireTaskOf(tasks, id, 'TRANSFORM');
    const { resultPath, rows } = previewableResult(task);
    const items = await readResultRows(resultPath, resultDir, limit);
    c.header('X-Total-Count', String(rows));
    return c.json(items);
  });
}
