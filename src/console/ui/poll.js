// @ts-check
// Live data without hammering the API: one request at a time, and none while the tab is hidden.

/**
 * Calls fn now and then every `ms` after the previous call ended, while the page is visible.
 * Returns {stop, now}: `now()` refreshes at once (after a user's action).
 * @param {() => Promise<unknown>} fn
 * @param {number} ms
 */
export function poll(fn, ms) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  let stopped = false;
  let running = false;
  let again = false;
  const run = async () => {
    clearTimeout(timer);
    if (stopped) return;
    if (running) {
      // Asked again mid-request (a user's action): refresh once more as soon as this one ends.
      again = true;
      return;
    }
    if (document.visibilityState === 'hidden') return;
    running = true;
    try {
      await fn();
    } catch {
      // fn shows its own errors; polling goes on so the view recovers when the API does.
    } finally {
      running = false;
      if (!stopped) timer = setTimeout(run, again ? 0 : ms);
      again = false;
    }
  };
  const onVisible = () => {
    if (document.visibilityState === 'visible') run();
  };
  document.addEventListener('visibilitychange', onVisible);
  run();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    },
    now: run,
  };
}
