/**
 * Whether this process's worker polls its task queue, and if not why: what /readyz of a process
 * with a worker reports. The worker runner tells it each step; the readiness probe asks it.
 */
export class WorkerStatus {
  private reason = 'the worker has not started yet';
  private state: (() => string) | undefined;

  /** The worker cannot start yet (Temporal away, refusing DF): this is why. */
  waiting(reason: string): void {
    this.reason = reason;
  }

  /** The worker runs; its own state (the SDK's) says from now on whether it still does. */
  polling(state: () => string): void {
    this.state = state;
  }

  stopped(reason: string): void {
    this.state = undefined;
    this.reason = reason;
  }

  /** Throws, saying why, unless the worker is running. */
  assertRunning(): void {
    if (!this.state) throw new Error(this.reason);
    const state = this.state();
    if (state !== 'RUNNING') throw new Error(`the worker is ${state.toLowerCase()}, not polling`);
  }
}
