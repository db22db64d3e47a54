import type { Task } from '../../src/domain/task';
import { sortedWithChanges, sortTasks, taskOrder } from '../../src/repository/task-list-order';

const task = (id: string, name: string | undefined, status = 'RUNNING') =>
  ({ id, name, status, connectorCategory: 'CONNECT', connectorConfig: { topic: name } }) as unknown as Task;

/** A small deterministic generator, so a failing case can be run again. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('sortedWithChanges: a sorted task list after some tasks left it and others entered', () => {
  it('orders by the value, then by id, missing values first; descending reverses both', () => {
    const tasks = [task('b', 'x'), task('a', 'x'), task('c', undefined), task('d', 'a')];
    expect(sortTasks(tasks, taskOrder('name', 1)).map((t) => t.id)).toEqual(['c', 'd', 'a', 'b']);
    expect(sortTasks(tasks, taskOrder('name', -1)).map((t) => t.id)).toEqual(['b', 'a', 'd', 'c']);
  });

  it('gives the very list a fresh sort of the new tasks gives, for any mix of leaving, entering and changed tasks', () => {
    for (const [field, direction] of [
      ['name', 1],
      ['name', -1],
      ['id', 1],
      ['connectorConfig.topic', -1],
    ] as const) {
      const next = random(field.length * 7 + direction + 11);
      const order = taskOrder(field, direction);
      for (let round = 0; round < 40; round++) {
        const name = () => (next() < 0.1 ? undefined : `n${Math.floor(next() * 20)}`);
        const tasks = Array.from({ length: Math.floor(next() * 60) }, (_, i) => task(`t${i}`, name()));
        const sorted = sortTasks(tasks, order);
        const leaving = tasks.filter(() => next() < 0.3);
        // Some of those that left come back changed (a status-sync patch), some new tasks arrive.
        const entering = [
          ...leaving.filter(() => next() < 0.5).map((t) => task(t.id, name())),
          ...Array.from({ length: Math.floor(next() * 5) }, (_, i) => task(`new${i}`, name())),
        ];
        const after = [...tasks.filter((t) => !leaving.includes(t)), ...entering];
        expect(sortedWithChanges(sorted, order, leaving, entering)).toEqual(sortTasks(after, order));
      }
    }
  });

  it('a changed task whose sort value stayed the same takes its old place', () => {
    const order = taskOrder('name', 1);
    const old = task('b', 'm');
    const sorted = sortTasks([task('a', 'm'), old, task('c', 'm')], order);
    const changed = task('b', 'm', 'PAUSED');
    const result = sortedWithChanges(sorted, order, [old], [changed]);
    expect(result?.map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(result?.[1]).toBe(changed);
  });

  it('leaves the list as it was, as a new array', () => {
    const order = taskOrder('name', 1);
    const sorted = sortTasks([task('a', 'x'), task('b', 'y')], order);
    const result = sortedWithChanges(sorted, order, [], []);
    expect(result).toEqual(sorted);
    expect(result).not.toBe(sorted);
  });

  it('is undefined when a leaving task is not the version the list holds (the caller sorts afresh)', () => {
    const order = taskOrder('name', 1);
    const sorted = sortTasks([task('a', 'x'), task('b', 'y')], order);
    expect(sortedWithChanges(sorted, order, [task('a', 'x')], [])).toBeUndefined();
    expect(sortedWithChanges(sorted, order, [task('z', 'q')], [])).toBeUndefined();
  });
});
