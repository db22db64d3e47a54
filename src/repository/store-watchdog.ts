/**
 * Brings a store client back when its driver gives up on a store that answers again.
 *
 * After a FerretDB restart the driver's server monitor has, now and then, never checked the
 * server again: every call then failed with the error that marked the server Unknown, for as long
 * as the process lived, while a fresh connection answered at once. The watchdog notices the client
 * having no known server for `unknownForMs`, asks a fresh connection, and if that one answers it
 * reconnects the client (close, then connect: collections already handed out follow it). While the
 * store is really down the fresh connection fails too, and nothing is done.
 */
export interface StoreWatchdogOptions {
  /** How long the client may see no store before a fresh connection is asked. */
  unknownForMs: number;
  /** A fresh connection's answer: true when the store answers it. */
  probe(): Promise<boolean>;
  /** Closes and reopens the stuck client. */
  reconnect(): Promise<void>;
  onReconnect?(unknownMs: number): void;
  now?(): number;
}

export class StoreWatchdog {
  private unknownSince: number | undefined;
  private checking = false;
  private readonly now: () => number;

  constructor(private readonly options: StoreWatchdogOptions) {
    this.now = options.now ?? Date.now;
  }

  /** What the client's topology says now: whether it knows a server it can use. */
  observe(known: boolean): void {
    if (known) this.unknownSince = undefined;
    else this.unknownSince ??= this.now();
  }

  /** One look; true when it reconnected the client. Overlapping calls do nothing. */
  async check(): Promise<boolean> {
    if (this.checking || this.unknownSince === undefined) return false;
    const unknownMs = this.now() - this.unknownSince;
    if (unknownMs < this.options.unknownForMs) return false;
    this.checking = true;
    try {
      if (!(await this.options.probe())) return false;
      // The reconnect's own description changes report the state anew.
      this.unknownSince = undefined;
      await this.options.reconnect();
      this.options.onReconnect?.(unknownMs);
      return true;
    } finally {
      this.checking = false;
    }
  }
}
