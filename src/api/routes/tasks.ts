import { Hono, type Context } from 'hono';
import { parseTaskId } from '../../domain/connect-input';
import { DfError } from '../../domain/errors';
import type { Task, TaskCategory } from '../../domain/task';
import type { TaskRepository } from '../../repository/task-repository';
import { parseListQuery } from '../list-protocol';

/** The task with this id, which must be of the category when one is given; else 404 naming what was looked for. */
export async function requireTaskOf(tasks: TaskRepository, id: string, category?: TaskCategory): Promise<Task> {
  const task = await tasks.get(id);
  if (!task || (category && task.connectorCategory !== category)) {
    const what = category === 'CONNECT' ? 'connect' : category === 'TRANSFORM' ? 'transform' : 'task';
    throw new DfError('NOT_FOUND', `no ${what} with id ${id}`, { details: { id } });
  }
  return task;
}

/**
 * Reads of df_processor: GET /processor (every task), GET /ps (connects), GET /tr (transforms) and one task by id. These
 * come straight from the repository, not through a workflow: a read changes nothing, and a list
 * polled every 10 s by an admin UI should cost one query, not a workflow run (workflow connectList
 * serves the same page to `temporal workflow start`).
 */
export function taskReadRoutes(tasks: TaskRepository) {
  const list = (category?: TaskCategory) => async (c: Context) => {
    const query = parseListQuery(c.req.queries(), category);
    const page = await tasks.list(query);
    c.header('X-Total-Count', String(page.total));
    return c.json(page.items);
  };
  const one = (category?: TaskCategory) => async (c: Context) => {
    return c.json(await requireTaskOf(tasks, parseTaskId(c.req.param('id')), category));
  };
  return new Hono()
    .get('/processor', list())
    .get('/processor/:id', one())
    .get('/ps', list('CONNECT'))
    .get('/ps/:id', one('CONNECT'))
    .get('/tr', list('TRANSFORM'))
    .get('/tr/:id', one('TRANSFORM'));
}
