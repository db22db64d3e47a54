import { Hono, type Context } from 'hono';
import type { KeySpelling } from '../../domain/config-spelling';
import { parseTaskId } from '../../domain/connect-input';
import { maskConfigSecrets, type SecretKeys } from '../../domain/secrets';
import type { Task, TaskCategory } from '../../domain/task';
import type { TaskRepository } from '../../repository/task-repository';
import type { TaskListView } from '../../repository/task-list-view';
import { askedSpelling, spelledAnswer } from '../key-spelling';
import { noTask } from '../known-task';
import { parseListQuery } from '../list-protocol';

/** The task with this id, which must be of the category when one is given; else 404 naming what was looked for. */
export async function requireTaskOf(tasks: TaskRepository, id: string, category?: TaskCategory): Promise<Task> {
  const task = await tasks.get(id);
  if (!task || (category && task.connectorCategory !== category)) throw noTask(id, category);
  return task;
}

/**
 * Reads of df_processor: GET /processor (every task), GET /ps (connects), GET /tr (transforms) and one task by id. These
 * come straight from the repository, not through a workflow: a read changes nothing, and a list
 * polled every 10 s by an admin UI should cost one query, not a workflow run (workflow connectList
 * serves the same page to `temporal workflow start`). Lists come from the TaskListView's snapshot
 * when there is one; a single task is always read from the store.
 */
export function taskReadRoutes(tasks: TaskRepository, secretKeys: SecretKeys, view?: TaskListView) {
  // The view hands out the same items array for the same page of one snapshot: polled by many
  // consoles, a page is masked and serialised once per snapshot instead of once per request.
  const bodies = new Map<KeySpelling | undefined, WeakMap<Task[], string>>();
  const bodyOf = (items: Task[], asked: KeySpelling | undefined): string => {
    let cache = bodies.get(asked);
    if (!cache) bodies.set(asked, (cache = new WeakMap()));
    let body = cache.get(items);
    if (body === undefined) {
      body = JSON.stringify(spelledAnswer(maskConfigSecrets(items, secretKeys), asked));
      cache.set(items, body);
    }
    return body;
  };
  const list = (category?: TaskCategory) => async (c: Context) => {
    const asked = askedSpelling(c);
    const query = parseListQuery(c.req.queries(), category, secretKeys);
    const page = view ? await view.list(query) : { ...(await tasks.list(query)), ageMs: 0 };
    c.header('X-Total-Count', String(page.total));
    // How old the list is (ms): a snapshot at most DF_LIST_MAX_AGE old, refreshed behind the answer.
    c.header('X-DF-List-Age', String(page.ageMs));
    // Stored records left out of every list because they cannot be read (each is logged once).
    if (page.unreadable) c.header('X-DF-Unreadable-Records', String(page.unreadable));
    return c.body(bodyOf(page.items, asked), 200, { 'Content-Type': 'application/json' });
  };
  const one = (category?: TaskCategory) => async (c: Context) => {
    const asked = askedSpelling(c);
    const task = await requireTaskOf(tasks, parseTaskId(c.req.param('id')), category);
    return c.json(spelledAnswer(maskConfigSecrets(task, secretKeys), asked));
  };
  return new Hono()
    .get('/processor', list())
    .get('/processor/:id', one())
    .get('/ps', list('CONNECT'))
    .get('/ps/:id', one('CONNECT'))
    .get('/tr', list('TRANSFORM'))
    .get('/tr/:id', one('TRANSFORM'));
}
