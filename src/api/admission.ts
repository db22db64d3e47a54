import { DfError } from '../domain/errors';

/**
 * A bound on the operations one API process runs at once (waiting for their workflow, up to
 * DF_SYNC_WAIT_MS each). Past it a new operation is refused at once with 503 OVERLOADED and
 * Retry-After, before anything is started or stored: a client told "not now" can send it again
 * (with its Idempotency-Key), where an accepted operation queued behind thousands of others would
 * only time out. 0 means no bound.
 */
export class OperationAdmission {
  private running = 0;

  /** `what` names the work and its setting in the refusal, e.g. jar uploads and DF_MAX_UPLOADS. */
  constructor(
    readonly limit: number,
    private readonly what = { work: 'operations', setting: 'DF_MAX_IN_FLIGHT' },
  ) {}

  get inFlight(): number {
    return this.running;
  }

  /** Takes a place, or refuses with OVERLOADED; call the returned function once the operation is answered. */
  enter(): () => void {
    if (this.limit > 0 && this.running >= this.limit) {
      throw new DfError(
        'OVERLOADED',
        `DF is running ${this.running} ${this.what.work} already, its bound (${this.what.setting}); send it again shortly`,
        {
          details: { inFlight: this.running, limit: this.limit },
        },
      );
    }
    this.running++;
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.running--;
    };
  }
}
