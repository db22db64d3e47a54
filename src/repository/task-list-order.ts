import type { Task } from '../domain/task';
import { compareSortValues, type SortPath, sortPathOf, sortValueOf } from '../domain/list-sort';
import { maskUrlCredentials } from '../domain/secrets';
import { TASK_ROW_SHAPE, type TaskSortField } from '../domain/task-query';

/** The order of one task list: the value each task sorts by, as answers show it, and the direction. */
export interface TaskOrder {
  valueOf(task: Task): unknown;
  direction: 1 | -1;
}

/**
 * The order Mongo would give the tasks: by the value at the sort field (missing first, config values
 * as answers show them), then by id; an unknown field sorts by id.
 */
export function taskOrder(field: TaskSortField, direction: 1 | -1): TaskOrder {
  const path: SortPath = sortPathOf(TASK_ROW_SHAPE, field) ?? { kind: 'field', field: 'id', path: ['id'] };
  const valueOf =
    path.kind === 'map'
      ? (task: Task) => {
          const value = sortValueOf(task, path);
          return typeof value === 'string' ? maskUrlCredentials(value) : value;
        }
      : (task: Task) => sortValueOf(task, path);
  return { valueOf, direction };
}

function compareEntries(order: TaskOrder, va: unknown, a: Task, vb: unknown, b: Task): number {
  const cmp = compareSortValues(va, vb);
  if (cmp !== 0) return cmp * order.direction;
  return a.id === b.id ? 0 : (a.id < b.id ? -1 : 1) * order.direction;
}

/** The tasks in the order; values are read once per task, not per comparison. */
export function sortTasks(tasks: Iterable<Task>, order: TaskOrder): Task[] {
  const entries: { task: Task; value: unknown }[] = [];
  for (const task of tasks) entries.push({ task, value: order.valueOf(task) });
  return entries.sort((a, b) => compareEntries(order, a.value, a.task, b.value, b.task)).map((entry) => entry.task);
}

/** The first index of `sorted` whose task does not come before `task` (binary search). */
function lowerBound(sorted: readonly Task[], order: TaskOrder, task: Task): number {
  const value = order.valueOf(task);
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = sorted[mid];
    if (compareEntries(order, order.valueOf(at), at, value, task) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A sorted list after some of its tasks left it and others entered (a changed task is both: its old
 * version leaves, its new one enters), as a new array: O(n) copying and O(k log n) comparisons for
 * k changes, instead of sorting every task again. Undefined if a leaving task is not where the order
 * puts it (the list was not made of these versions): the caller sorts afresh.
 */
export function sortedWithChanges(
  sorted: readonly Task[],
  order: TaskOrder,
  leaving: readonly Task[],
  entering: readonly Task[],
): Task[] | undefined {
  const removed: number[] = [];
  for (const task of leaving) {
    const at = lowerBound(sorted, order, task);
    if (sorted[at] !== task) return undefined;
    removed.push(at);
  }
  removed.sort((a, b) => a - b);
  const added = sortTasks(entering, order);
  // Into the list as it was: a new version that compares equal to its old one goes just before it, which leaves.
  const addAt = added.map((task) => lowerBound(sorted, order, task));
  const out: Task[] = [];
  let r = 0;
  let e = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (e < added.length && addAt[e] === i) out.push(added[e++]);
    if (r < removed.length && removed[r] === i) {
      while (r < removed.length && removed[r] === i) r++;
      continue;
    }
    out.push(sorted[i]);
  }
  while (e < added.length) out.push(added[e++]);
  return out;
}
