import type { DfStatus, StatusReading } from './status';

/** A reading of a connector's status as an operation watches it. */
export interface ConnectStatusRead extends StatusReading {
  /** A task of the connector has FAILED: no use waiting for another state. */
  taskFailed?: boolean;
}

/**
 * Right after an action Kafka Connect may still report the state from before it, or no status at
 * all for a connector it has just created: a failure or an absence counts only this long after.
 */
export const SETTLE_GRACE_MS = 1500;

/** Whether an operation can stop watching: the state it asked for, or a failure or absence past the grace. */
export function connectSettled(reading: ConnectStatusRead, target: DfStatus, watchedMs: number, graceMs = SETTLE_GRACE_MS): boolean {
  if (reading.status === target) return true;
  const bad = reading.status === 'FAILED' || reading.taskFailed === true || reading.status === 'LOST';
  return bad && watchedMs >= graceMs;
}
