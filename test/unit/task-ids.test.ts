import { idSuffixFor } from '../../src/api/new-task-id';
import { generatedTaskId, TASK_ID_PATTERN } from '../../src/domain/task-input';

describe('the id of a task added without one', () => {
  it('is the name made URL-safe, then the suffix', () => {
    expect(generatedTaskId('My task', '0123456789abcdef')).toBe('my-task-0123456789abcdef');
    expect(generatedTaskId('  Über Sink #1 ', '0123456789abcdef')).toBe('ber-sink-1-0123456789abcdef');
  });

  it('keeps at most 48 characters of the name, never ending the base in a separator', () => {
    const id = generatedTaskId(`${'a'.repeat(47)}.${'b'.repeat(100)}`, '0123456789abcdef');
    expect(id).toBe(`${'a'.repeat(47)}-0123456789abcdef`);
    expect(TASK_ID_PATTERN.test(generatedTaskId('x'.repeat(500), 'ffffffffffffffff'))).toBe(true);
  });

  it('falls back to the kind when the name has nothing URL-safe', () => {
    expect(generatedTaskId('東京 📦', '0123456789abcdef', 'transform')).toBe('transform-0123456789abcdef');
    expect(generatedTaskId('---', '0123456789abcdef')).toBe('task-0123456789abcdef');
  });

  it('takes only 16 hex digits as the suffix', () => {
    expect(() => generatedTaskId('a', 'short')).toThrow(/16 hex digits/);
  });
});

describe('where the suffix comes from', () => {
  it('is random without an Idempotency-Key: every add is a new task', () => {
    const source = idSuffixFor('connect', undefined);
    const suffixes = new Set(Array.from({ length: 100 }, () => source()));
    expect(suffixes.size).toBe(100);
    for (const s of suffixes) expect(s).toMatch(/^[0-9a-f]{16}$/);
  });

  it('follows from the key and the kind with one: a retried add names the same task', () => {
    expect(idSuffixFor('connect', 'k-1')()).toBe(idSuffixFor('connect', 'k-1')());
    expect(idSuffixFor('connect', 'k-1')()).not.toBe(idSuffixFor('connect', 'k-2')());
    expect(idSuffixFor('connect', 'k-1')()).not.toBe(idSuffixFor('transform', 'k-1')());
    expect(idSuffixFor('transform', 'k-1')()).toMatch(/^[0-9a-f]{16}$/);
  });
});
