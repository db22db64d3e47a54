import type { LogLineDoc } from '../../src/domain/log-lines';
import { SecretKeys } from '../../src/domain/secrets';
import { startLogStore } from '../../src/log-store';
import { log, setLogPolicy, withLogContext } from '../../src/logger';
import type { LogLineRepository } from '../../src/repository/log-line-repository';

/** A FAKE repository: keeps what it is given, or fails, or holds every write until released. */
function fakeRepository(mode: 'takes' | 'fails' | 'holds' = 'takes') {
  const lines: LogLineDoc[] = [];
  let open = (): void => undefined;
  const gate = new Promise<void>((resume) => (open = resume));
  const repo = {
    lines,
    inserts: 0,
    release: () => open(),
    async insert(batch: readonly LogLineDoc[]) {
      repo.inserts++;
      if (mode === 'fails') throw new Error('store is away');
      if (mode === 'holds') await gate;
      lines.push(...batch);
    },
    async trim() {},
  };
  return repo;
}

const proc = { role: 'worker' as const, host: 'node-1', pid: 7 };
const settings = { maxLines: 100, maxAgeMs: 3_600_000 };

describe('The log store: recent task lines written to the store, never in the way of the code that logs', () => {
  afterEach(() => setLogPolicy({ level: 'warn', secretKeys: new SecretKeys() }));

  it("keeps the lines DF's logger writes that name a task, info and above, whatever level stderr shows", async () => {
    setLogPolicy({ level: 'error', secretKeys: new SecretKeys() });
    const repo = fakeRepository();
    const store = startLogStore(repo as unknown as LogLineRepository, settings, proc);
    withLogContext({ taskId: 'orders', activity: 'createConnector' }, () => {
      log('info', 'connector created');
      log('debug', 'a detail');
    });
    log('info', 'a line about no task');
    await store.close();
    expect(repo.lines).toEqual([
      expect.objectContaining({
        taskId: 'orders',
        level: 'INFO',
        message: 'connector created',
        method: 'createConnector',
      }),
    ]);
  });

  it('masks secrets in a kept line, its message included, as the logger does', async () => {
    setLogPolicy({ level: 'warn', secretKeys: new SecretKeys(['password']) });
    const repo = fakeRepository();
    const store = startLogStore(repo as unknown as LogLineRepository, settings, proc);
    withLogContext({ taskId: 'orders' }, () =>
      log('warn', 'cannot reach mongodb://df:hunter2@store:27017', { config: { password: 'hunter2', user: 'df' } }),
    );
    await store.close();
    expect(repo.lines).toHaveLength(1);
    expect(JSON.stringify(repo.lines[0])).not.toContain('hunter2');
    expect(repo.lines[0].fields).toEqual({ config: { password: expect.any(String), user: 'df' } });
    expect(repo.lines[0].message).toBe('cannot reach mongodb://df:***@store:27017');
  });

  it('never makes logging wait for the store: past its queue, lines are dropped and counted', async () => {
    const repo = fakeRepository('holds');
    const store = startLogStore(repo as unknown as LogLineRepository, settings, proc);
    withLogContext({ taskId: 'busy' }, () => {
      for (let i = 0; i < 2500; i++) log('info', `line ${i}`);
    });
    expect(store.dropped()).toBe(500);
    repo.release();
    await store.close();
    expect(repo.lines).toHaveLength(2000);
    expect(repo.lines[0].message).toBe('line 0');
  });

  it('drops and counts the lines a failing store refuses, and keeps none of its own complaints (no loop)', async () => {
    const repo = fakeRepository('fails');
    const store = startLogStore(repo as unknown as LogLineRepository, settings, proc);
    // Even a write started while serving a task: the writer's complaint names no task.
    await withLogContext({ taskId: 'orders' }, () => {
      log('info', 'one');
      log('info', 'two');
      return store.flush();
    });
    expect(store.dropped()).toBe(2);
    expect(repo.inserts).toBe(1);
    await store.flush();
    await store.close();
    expect(repo.inserts).toBe(1);
  });

  it('keeps nothing when DF_LOG_STORE_LINES is 0', async () => {
    const repo = fakeRepository();
    const store = startLogStore(repo as unknown as LogLineRepository, { ...settings, maxLines: 0 }, proc);
    withLogContext({ taskId: 'orders' }, () => log('warn', 'not kept'));
    await store.close();
    expect(repo.inserts).toBe(0);
  });
});
