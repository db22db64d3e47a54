import { engineMessage } from './engine-message';

/**
 * DF statuses. The original names are kept where they exist (UNASSIGNED, RUNNING, PAUSED, FAILED,
 * RWE, LOST, CANCELED, FINISHED, NONE); STOPPED and RESTARTING follow what Kafka Connect reports
 * since 3.5. "Unreachable" is not a status: the last status stays and statusReason says why.
 */
export const DF_STATUSES = [
  'UNASSIGNED',
  'RUNNING',
  'PAUSED',
  'STOPPED',
  'RESTARTING',
  'FAILED',
  'RWE',
  'LOST',
  'CANCELED',
  'FINISHED',
  'STREAMING',
  'NONE',
] as const;

export type DfStatus = (typeof DF_STATUSES)[number];

export function isDfStatus(value: string): value is DfStatus {
  return (DF_STATUSES as readonly string[]).includes(value);
}

/** What `GET /connectors/{name}/status` answers. */
export interface ConnectStatusReport {
  name?: string;
  connector?: { state: string; worker_id?: string; trace?: string };
  tasks?: { id: number; state: string; worker_id?: string; trace?: string }[];
  type?: string;
}

export interface StatusReading {
  status: DfStatus;
  /** Human words on why, e.g. the first line of a failed task's trace. */
  reason?: string;
}

const CONNECT_STATES: Record<string, DfStatus> = {
  UNASSIGNED: 'UNASSIGNED',
  RUNNING: 'RUNNING',
  PAUSED: 'PAUSED',
  STOPPED: 'STOPPED',
  RESTARTING: 'RESTARTING',
  FAILED: 'FAILED',
};

/**
 * Kafka Connect connector + task states → DF status. A running connector with a task that is not
 * running is RWE ("running with error"), as in the original; a failed task's trace becomes the
 * reason so users see why without opening the Connect log.
 */
export function dfStatusOfConnect(report: ConnectStatusReport): StatusReading {
  const connector = report.connector;
  if (!connector?.state) return { status: 'NONE', reason: 'Kafka Connect reported no connector state' };
  const state = connector.state.toUpperCase();
  const tasks = report.tasks ?? [];
  if (state === 'FAILED') return { status: 'FAILED', reason: engineMessage(connector.trace) ?? 'connector failed' };
  if (state === 'RUNNING') {
    const notRunning = tasks.filter((t) => t.state.toUpperCase() !== 'RUNNING');
    if (notRunning.length === 0) return { status: 'RUNNING' };
    const failed = notRunning.find((t) => t.state.toUpperCase() === 'FAILED');
    const shown = failed ?? notRunning[0];
    return {
      status: 'RWE',
      reason: `task ${shown.id} ${shown.state}${failed?.trace ? `: ${engineMessage(failed.trace)}` : ''}`,
    };
  }
  const mapped = CONNECT_STATES[state];
  return mapped ? { status: mapped } : { status: 'NONE', reason: `unknown Kafka Connect state ${connector.state}` };
}

/** Kafka Connect has no connector by this name (404). */
export const LOST_IN_CONNECT: StatusReading = { status: 'LOST', reason: 'Kafka Connect has no connector by this name' };
