import { sameConfig } from './connect-config';
import type { DfStatus, StatusReading } from './status';
import type { StringMap } from './task';

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
export function connectSettled(
  reading: ConnectStatusRead,
  target: DfStatus,
  watchedMs: number,
  graceMs = SETTLE_GRACE_MS,
): boolean {
  if (reading.status === target) return true;
  const bad = reading.status === 'FAILED' || reading.taskFailed === true || reading.status === 'LOST';
  return bad && watchedMs >= graceMs;
}

/**
 * What an operation reads of a connector right after giving Kafka Connect a new config: its
 * status, its config and its tasks' configs (absent while Connect refuses to answer during a
 * rebalance).
 */
export interface ConnectAppliedRead {
  reading: ConnectStatusRead;
  /** Tasks in the status report. */
  statusTasks: number;
  config?: StringMap;
  taskConfigs?: StringMap[];
}

/**
 * Whether Kafka Connect runs `expected` rather than `previous`: it answers with the new config,
 * and no task still carries a value the update changed. Task configs are the connector's to
 * shape, so only a key a task shares with the connector config can show it stale.
 */
export function configApplied(read: ConnectAppliedRead, expected: StringMap, previous: StringMap): boolean {
  if (!read.config || !read.taskConfigs || !sameConfig(read.config, expected)) return false;
  const changed = Object.keys(previous).filter((key) => previous[key] !== expected[key]);
  return read.taskConfigs.every((task) => changed.every((key) => task[key] !== previous[key]));
}

/**
 * Whether an operation that gave Kafka Connect a new config can stop watching: Connect has applied
 * it and reached `target` with it. Running means every task Connect configured runs, none with a
 * stale config (a restart with the new config passes through UNASSIGNED, and a status without
 * tasks may be from before they were configured), so a connector without tasks is watched to the
 * end of the bound. A failure or absence ends the watch past the grace, applied or not.
 */
export function connectAppliedSettled(
  read: ConnectAppliedRead,
  target: DfStatus,
  expected: StringMap,
  previous: StringMap,
  watchedMs: number,
  graceMs = SETTLE_GRACE_MS,
): boolean {
  const { reading } = read;
  if (reading.status !== target) return connectSettled(reading, target, watchedMs, graceMs);
  // A paused or stopped connector gets its tasks reconfigured only when it runs again.
  if (target !== 'RUNNING') return read.config !== undefined && sameConfig(read.config, expected);
  if (!configApplied(read, expected, previous)) return false;
  const tasks = read.taskConfigs?.length ?? 0;
  return tasks > 0 && read.statusTasks === tasks;
}
