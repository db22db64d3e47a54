import { Hono, type Context } from 'hono';
import type { LogStoreSettings } from '../../config';
import { LOG_ROW_SHAPE } from '../../domain/log-lines';
import { parseTaskId } from '../../domain/task-input';
import type { LogLineRepository } from '../../repository/log-line-repository';
import { parseStoredListQuery } from '../list-protocol';

/**
 * GET /logs and /logs/:id: the recent log lines that name a task, which every DF process keeps in
 * the store (src/log-store.ts), newest first unless asked otherwise. /logs/:id gives the lines of
 * one task: lines outlive their task, so an id with no lines is an empty list, not a 404.
 */
export function logRoutes({ logLines, logStore }: { logLines: LogLineRepository; logStore: LogStoreSettings }) {
  const list = async (c: Context, taskId?: string) => {
    const { sort, ...query } = parseStoredListQuery(c.req.queries(), LOG_ROW_SHAPE, {
      sort: 'timestamp',
      order: 'DESC',
    });
    // A compound field sorts by its path (`id`); a key of `fields` by itself.
    const sortField = sort.kind === 'field' ? sort.path.join('.') : sort.field;
    const page = await logLines.list(
      { ...query, sort: sortField, ...(taskId !== undefined ? { taskId } : {}) },
      logStore.maxAgeMs,
      new Date(),
    );
    c.header('X-Total-Count', String(page.total));
    return c.json(page.items);
  };
  return new Hono().get('/logs', (c) => list(c)).get('/logs/:id', (c) => list(c, parseTaskId(c.req.param('id'))));
}
