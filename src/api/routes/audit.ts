import { Hono } from 'hono';
import { AUDIT_ROW_SHAPE, parseAuditFilter } from '../../domain/audit';
import type { AuditRepository } from '../../repository/audit-repository';
import { parseStoredListQuery } from '../list-protocol';

/**
 * GET /audit: the operations the API started and who asked for each, newest first, filtered by
 * `actor`, `taskId`, `operation` and a time range (`from`, `to`); `q` searches the names, ids and
 * path. Admins only (src/api/auth.ts).
 */
export function auditRoutes({ audit }: { audit: Pick<AuditRepository, 'list'> }) {
  return new Hono().get('/audit', async (c) => {
    const params = c.req.queries();
    const filter = parseAuditFilter(params);
    const { sort, ...page } = parseStoredListQuery(params, AUDIT_ROW_SHAPE, { sort: 'at', order: 'DESC' });
    const found = await audit.list({ ...filter, ...page, sort: sort.field });
    c.header('X-Total-Count', String(found.total));
    return c.json(found.items);
  });
}
