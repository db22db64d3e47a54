import { bulkProgress, plannedItem } from '../../src/domain/bulk';
import { parseBulkRequest } from '../../src/domain/bulk-input';
import { DfError } from '../../src/domain/errors';

const fieldsOf = (body: unknown): Record<string, string[]> => {
  try {
    parseBulkRequest(body);
  } catch (error) {
    if (error instanceof DfError) return (error.details as { fields: Record<string, string[]> }).fields;
    throw error;
  }
  throw new Error('the request was taken');
};

describe('a bulk request, checked at the edge', () => {
  it('takes ids or a filter, with defaults for dryRun and concurrency', () => {
    expect(parseBulkRequest({ action: 'pause', ids: ['a', 'b'] })).toEqual({
      action: 'pause',
      ids: ['a', 'b'],
      dryRun: false,
      concurrency: 4,
    });
    expect(
      parseBulkRequest({
        action: 'delete',
        filter: {
          category: 'CONNECT',
          q: ' orders ',
          status: 'running,failed',
          type: ['CONNECT_SOURCE_KAFKA_FlatFile'],
        },
        dryRun: true,
        concurrency: 8,
      }),
    ).toEqual({
      action: 'delete',
      filter: {
        category: 'CONNECT',
        q: 'orders',
        statuses: ['RUNNING', 'FAILED'],
        types: ['CONNECT_SOURCE_KAFKA_FlatFile'],
      },
      dryRun: true,
      concurrency: 8,
    });
  });

  it('takes set-config with the keys to set or remove, and no config for other actions', () => {
    expect(
      parseBulkRequest({ action: 'set-config', ids: ['a'], config: { 'tasks.max': '2', old: null } }),
    ).toMatchObject({
      configPatch: { 'tasks.max': '2', old: null },
    });
    expect(fieldsOf({ action: 'set-config', ids: ['a'] })).toHaveProperty(['config']);
    expect(fieldsOf({ action: 'set-config', ids: ['a'], config: {} })).toHaveProperty(['config']);
    expect(fieldsOf({ action: 'pause', ids: ['a'], config: { x: '1' } })).toHaveProperty(['config']);
  });

  it('names what is wrong: neither or both of ids and filter, a repeated id, an unknown action or status', () => {
    expect(fieldsOf({ action: 'pause' })).toHaveProperty(['ids']);
    expect(fieldsOf({ action: 'pause', ids: ['a'], filter: {} })).toHaveProperty(['ids']);
    expect(fieldsOf({ action: 'pause', ids: ['a', 'a'] })).toHaveProperty(['ids']);
    expect(fieldsOf({ action: 'explode', ids: ['a'] })).toHaveProperty(['action']);
    expect(fieldsOf({ action: 'pause', filter: { status: 'SLEEPING' } })).toHaveProperty(['filter.status']);
    expect(fieldsOf({ action: 'pause', filter: { category: 'SCHEMA' } })).toHaveProperty(['filter.category']);
    expect(fieldsOf({ action: 'pause', ids: ['a'], concurrency: 0 })).toHaveProperty(['concurrency']);
    expect(fieldsOf({ action: 'pause', ids: ['a'], surprise: 1 })).toHaveProperty(['(body)']);
    expect(fieldsOf({ action: 'pause', ids: Array.from({ length: 1001 }, (_, i) => `t${i}`) })).toHaveProperty(['ids']);
  });
});

describe('a bulk item, planned', () => {
  it('is pending when the action applies, skipped with the reason when not', () => {
    expect(plannedItem('pause', { id: 'c', category: 'CONNECT' })).toEqual({
      id: 'c',
      category: 'CONNECT',
      state: 'pending',
    });
    expect(plannedItem('delete', { id: 't', category: 'TRANSFORM' }).state).toBe('pending');
    expect(plannedItem('set-config', { id: 't', category: 'TRANSFORM' }).state).toBe('pending');
    expect(plannedItem('pause', { id: 't', category: 'TRANSFORM' })).toMatchObject({
      state: 'skipped',
      message: expect.stringMatching(/applies to connects/),
    });
    expect(plannedItem('pause', { id: 'gone' })).toMatchObject({ state: 'skipped', message: 'no task gone' });
    expect(plannedItem('delete', { id: 'meta', category: 'INTERNAL' }).state).toBe('skipped');
  });

  it('counts every state, and is done when nothing is pending or running', () => {
    const progress = bulkProgress(
      { bulkId: 'b', action: 'pause' },
      [
        { id: 'a', state: 'succeeded' },
        { id: 'b', state: 'failed', message: 'no' },
        { id: 'c', state: 'cancelled' },
      ],
      true,
    );
    expect(progress.counts).toEqual({ pending: 0, running: 0, succeeded: 1, failed: 1, skipped: 0, cancelled: 1 });
    expect(progress.done).toBe(true);
    expect(bulkProgress({ bulkId: 'b', action: 'pause' }, [{ id: 'a', state: 'running' }], false).done).toBe(false);
  });
});
