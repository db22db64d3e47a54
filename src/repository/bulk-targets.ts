import { BulkFilter, BulkTarget, MAX_BULK_ITEMS } from '../domain/bulk';
import { DfError } from '../domain/errors';
import type { TaskReads } from './task-reads';

const BULK_CATEGORIES = new Set(['CONNECT', 'TRANSFORM']);

/**
 * The tasks a bulk action names: each id given, with its category (none: no such task), or the
 * connects and transforms a filter picks, by id. A filter picking more than a run takes is refused,
 * not cut short: acting on an arbitrary part of a selection would surprise.
 */
export async function resolveBulkTargets(
  tasks: Pick<TaskReads, 'categoriesOf' | 'list'>,
  target: { ids?: string[]; filter?: BulkFilter },
): Promise<BulkTarget[]> {
  if (target.ids) {
    const categories = await tasks.categoriesOf(target.ids);
    return target.ids.map((id) => {
      const category = categories.get(id);
      return category ? { id, category } : { id };
    });
  }
  const page = await tasks.list({
    ...target.filter,
    sort: 'id',
    order: 'ASC',
    skip: 0,
    limit: MAX_BULK_ITEMS + 1,
  });
  const picked = page.items.filter((t) => BULK_CATEGORIES.has(t.connectorCategory));
  if (picked.length > MAX_BULK_ITEMS || page.total > page.items.length)
    throw new DfError(
      'VALIDATION_FAILED',
      `the filter picks more than ${MAX_BULK_ITEMS} tasks; narrow it or name the tasks by id`,
      { details: { fields: { filter: [`more than ${MAX_BULK_ITEMS} tasks match`] } } },
    );
  return picked.map((t) => ({ id: t.id, category: t.connectorCategory }));
}
