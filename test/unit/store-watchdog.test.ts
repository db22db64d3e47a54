import { StoreWatchdog } from '../../src/repository/store-watchdog';

/** A watchdog on a clock the spec moves, a store whose fresh connections answer as the spec says. */
function watchdogWith(freshAnswers: boolean) {
  let now = 0;
  const calls = { probes: 0, reconnects: 0, reported: [] as number[] };
  const state = { freshAnswers };
  const watchdog = new StoreWatchdog({
    unknownForMs: 20_000,
    probe: async () => {
      calls.probes += 1;
      return state.freshAnswers;
    },
    reconnect: async () => {
      calls.reconnects += 1;
    },
    onReconnect: (ms) => calls.reported.push(ms),
    now: () => now,
  });
  return { watchdog, calls, state, advance: (ms: number) => (now += ms) };
}

describe('the store watchdog', () => {
  it('leaves a client alone while it knows the store', async () => {
    const { watchdog, calls, advance } = watchdogWith(true);
    watchdog.observe(true);
    advance(60_000);
    expect(await watchdog.check()).toBe(false);
    expect(calls.probes).toBe(0);
  });

  it('gives the driver unknownForMs to find the store again before asking a fresh connection', async () => {
    const { watchdog, calls, advance } = watchdogWith(true);
    watchdog.observe(false);
    advance(19_999);
    expect(await watchdog.check()).toBe(false);
    expect(calls.probes).toBe(0);
  });

  it('reconnects a client that has seen no store for unknownForMs while a fresh connection gets an answer', async () => {
    const { watchdog, calls, advance } = watchdogWith(true);
    watchdog.observe(false);
    advance(5_000);
    watchdog.observe(false);
    advance(20_000);
    expect(await watchdog.check()).toBe(true);
    expect(calls).toEqual({ probes: 1, reconnects: 1, reported: [25_000] });
    // Reconnected, it waits for the client's own view again before another look.
    advance(60_000);
    expect(await watchdog.check()).toBe(false);
    expect(calls.reconnects).toBe(1);
  });

  it('does nothing while the store is down for fresh connections too, and reconnects once it answers them', async () => {
    const { watchdog, calls, state, advance } = watchdogWith(false);
    watchdog.observe(false);
    advance(30_000);
    expect(await watchdog.check()).toBe(false);
    expect(calls.reconnects).toBe(0);
    state.freshAnswers = true;
    advance(5_000);
    expect(await watchdog.check()).toBe(true);
    expect(calls).toMatchObject({ probes: 2, reconnects: 1 });
  });

  it('forgets an outage the driver recovered from by itself', async () => {
    const { watchdog, calls, advance } = watchdogWith(true);
    watchdog.observe(false);
    advance(10_000);
    watchdog.observe(true);
    advance(15_000);
    watchdog.observe(false);
    advance(10_000);
    expect(await watchdog.check()).toBe(false);
    expect(calls.probes).toBe(0);
  });

  it('makes one look at a time', async () => {
    let answer: (value: boolean) => void = () => undefined;
    let probes = 0;
    const watchdog = new StoreWatchdog({
      unknownForMs: 0,
      probe: () => {
        probes += 1;
        return new Promise<boolean>((resolve) => (answer = resolve));
      },
      reconnect: async () => undefined,
    });
    watchdog.observe(false);
    const first = watchdog.check();
    expect(await watchdog.check()).toBe(false);
    answer(true);
    expect(await first).toBe(true);
    expect(probes).toBe(1);
  });
});
