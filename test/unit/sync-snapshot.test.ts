import type { SyncedTask } from '../../src/domain/status-sync';
import {
  applyJournal,
  CHUNK_ENTRIES,
  chunkCountFor,
  chunkOf,
  chunksOf,
  decodeEntries,
  decodeJournal,
  disagreements,
  encodeEntries,
  encodeJournal,
  type JournalEntry,
  layoutProblem,
  SNAPSHOT_READ_EVERY_MS,
  SNAPSHOT_READ_SPACING,
  snapshotReadDue,
  TRUE_READ_EVERY_MS,
  TRUE_READ_SPACING,
  trueReadDue,
} from '../../src/domain/sync-snapshot';

const task = (id: string, extra: Partial<SyncedTask> = {}): SyncedTask => ({
  id,
  category: 'CONNECT',
  connectUid: id,
  status: 'RUNNING',
  statusAt: 1000,
  updatedAt: 900,
  ...extra,
});

describe('the status sync compact snapshot', () => {
  describe('entries of a chunk', () => {
    it('read back as they were written, every field kept', () => {
      const tasks = [
        task('a'),
        task('b', {
          category: 'TRANSFORM',
          jobId: 'j1',
          streamsBack: true,
          pending: { status: 'UNASSIGNED', since: 5 },
          unreachableSince: 7,
          statusReason: 'x',
          autoRestart: { enabled: true, maxRestarts: 3, backoff: '30s' },
          restarts: { attempts: 1, lastAttemptAt: '2026-01-01T00:00:00.000Z' },
        }),
        task('c', { statusUnrecorded: true }),
      ];
      expect(decodeEntries(encodeEntries(tasks), 3)).toEqual(tasks);
    });

    it('read as damaged when cut short, of another count, or not entries at all', () => {
      const text = encodeEntries([task('a'), task('b')]);
      expect(decodeEntries(text, 3)).toBeUndefined();
      expect(decodeEntries(text.slice(0, -5), 2)).toBeUndefined();
      expect(decodeEntries('{"id":"a"}', 1)).toBeUndefined();
      expect(decodeEntries(JSON.stringify([{ id: 'a' }]), 1)).toBeUndefined();
      expect(decodeEntries(undefined, 0)).toBeUndefined();
    });
  });

  describe('the journal', () => {
    it('reads back its entries, and refuses what is not a list of them', () => {
      const entries: JournalEntry[] = [
        { id: 'a', set: task('a') },
        { id: 'b', set: null },
        { id: 'c', patch: { status: 'PAUSED', statusAt: 2000 } },
      ];
      expect(decodeJournal(encodeJournal(entries))).toEqual(entries);
      expect(decodeJournal('[{"id":"a"}]')).toBeUndefined();
      expect(decodeJournal('not json')).toBeUndefined();
      expect(decodeJournal(undefined)).toBeUndefined();
    });

    it('applies in order: a later write of a task wins, null removes it, a patch changes only what it names', () => {
      const byId = new Map([
        ['a', task('a')],
        ['b', task('b')],
        ['c', task('c', { statusReason: 'old', pending: { status: 'UNASSIGNED', since: 1 } })],
      ]);
      applyJournal(byId, [
        { id: 'a', set: task('a', { status: 'PAUSED' }) },
        { id: 'a', set: task('a', { status: 'STOPPED' }) },
        { id: 'b', set: null },
        { id: 'c', patch: { status: 'FAILED', statusAt: 3000, statusReason: null, pending: null } },
        { id: 'n', set: task('n') },
      ]);
      expect(byId.get('a')?.status).toBe('STOPPED');
      expect(byId.has('b')).toBe(false);
      expect(byId.get('c')).toEqual({ ...task('c'), status: 'FAILED', statusAt: 3000 });
      expect(byId.get('n')).toEqual(task('n'));
    });

    it('leaves out a patch of a task the snapshot lacks (removed since, or for the true read to bring)', () => {
      const byId = new Map<string, SyncedTask>();
      applyJournal(byId, [{ id: 'x', patch: { status: 'PAUSED' } }]);
      expect(byId.size).toBe(0);
    });

    it('applied again over chunks that already hold it changes nothing (a fold seen half way)', () => {
      const journal: JournalEntry[] = [
        { id: 'a', set: task('a', { status: 'PAUSED' }) },
        { id: 'b', patch: { status: 'FAILED', statusAt: 5 } },
      ];
      const once = new Map([
        ['a', task('a')],
        ['b', task('b')],
      ]);
      applyJournal(once, journal);
      const twice = new Map(once);
      applyJournal(twice, journal);
      expect(twice).toEqual(once);
    });
  });

  describe('chunks', () => {
    it('are laid out for about CHUNK_ENTRIES tasks each, at least one', () => {
      expect(chunkCountFor(0)).toBe(1);
      expect(chunkCountFor(CHUNK_ENTRIES)).toBe(1);
      expect(chunkCountFor(CHUNK_ENTRIES + 1)).toBe(2);
      expect(chunkCountFor(11_000)).toBe(Math.ceil(11_000 / CHUNK_ENTRIES));
    });

    it('hold each task in one chunk, the same every time, spread about evenly', () => {
      const tasks = Array.from({ length: 11_000 }, (_, i) => task(`fake-connector-${i}`));
      const chunks = chunkCountFor(tasks.length);
      const layout = chunksOf(tasks, chunks);
      expect(layout.flat()).toHaveLength(tasks.length);
      const misplaced = layout.flatMap((entries, k) => entries.filter((t) => chunkOf(t.id, chunks) !== k));
      expect(misplaced).toEqual([]);
      const sizes = layout.map((l) => l.length);
      expect(Math.min(...sizes)).toBeGreaterThan(CHUNK_ENTRIES * 0.7);
      expect(Math.max(...sizes)).toBeLessThan(CHUNK_ENTRIES * 1.3);
    });

    it('make a whole snapshot only with one layout and every chunk of it present once', () => {
      const head = (index: number, of = 3) => ({ index, of, trueAt: 1, trueMs: 1 });
      expect(layoutProblem([head(0), head(1), head(2)])).toBeUndefined();
      expect(layoutProblem([])).toBe('no snapshot');
      expect(layoutProblem([head(0), head(2)])).toMatch(/missing/);
      expect(layoutProblem([head(0), head(0), head(2)])).toMatch(/missing/);
      expect(layoutProblem([head(0), head(1), head(2, 4)])).toMatch(/layouts/);
    });
  });

  describe('a round reading the snapshot again', () => {
    const now = 10_000_000;
    it('is due once the last one is SNAPSHOT_READ_EVERY_MS old', () => {
      expect(snapshotReadDue({ readAt: now - SNAPSHOT_READ_EVERY_MS + 1, readMs: 150 }, now)).toBe(false);
      expect(snapshotReadDue({ readAt: now - SNAPSHOT_READ_EVERY_MS, readMs: 150 }, now)).toBe(true);
    });

    it('is spaced by SNAPSHOT_READ_SPACING times the last one when that is longer', () => {
      const readMs = 5_000;
      expect(snapshotReadDue({ readAt: now - SNAPSHOT_READ_EVERY_MS, readMs }, now)).toBe(false);
      expect(snapshotReadDue({ readAt: now - SNAPSHOT_READ_SPACING * readMs, readMs }, now)).toBe(true);
    });
  });

  describe('a true read of df_processor', () => {
    const now = 10_000_000;
    it('is due once the last one is TRUE_READ_EVERY_MS old', () => {
      expect(trueReadDue([{ trueAt: now - TRUE_READ_EVERY_MS + 1, trueMs: 3000 }], now)).toBe(false);
      expect(trueReadDue([{ trueAt: now - TRUE_READ_EVERY_MS, trueMs: 3000 }], now)).toBe(true);
    });

    it('is spaced by TRUE_READ_SPACING times the last one when that is longer (a slow store with many tasks)', () => {
      const trueMs = 40_000;
      expect(trueReadDue([{ trueAt: now - TRUE_READ_EVERY_MS, trueMs }], now + 1)).toBe(false);
      expect(trueReadDue([{ trueAt: now - TRUE_READ_SPACING * trueMs, trueMs }], now)).toBe(true);
    });

    it('goes by the oldest chunk, and is due with no chunk or a chunk without a stamp', () => {
      expect(
        trueReadDue(
          [
            { trueAt: now, trueMs: 1 },
            { trueAt: now - TRUE_READ_EVERY_MS, trueMs: 1 },
          ],
          now,
        ),
      ).toBe(true);
      expect(trueReadDue([], now)).toBe(true);
      expect(trueReadDue([{ trueAt: undefined as unknown as number, trueMs: 1 }], now)).toBe(true);
    });

    it('counts the tasks the snapshot had wrong, lacked or kept after they were gone', () => {
      const snapshot = new Map([
        ['a', task('a')],
        ['b', task('b')],
        ['gone', task('gone')],
      ]);
      const truth = new Map([
        ['a', { ...task('a') }],
        ['b', task('b', { status: 'PAUSED' })],
        ['new', task('new')],
      ]);
      expect(disagreements(snapshot, truth)).toBe(3);
      expect(disagreements(truth, new Map(truth))).toBe(0);
    });
  });
});
