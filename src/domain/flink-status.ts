import type { DfStatus, StatusReading } from './status';
import { engineMessage } from './engine-message';

/** What `GET /jobs/{jobId}` answers, as far as DF reads it. */
export interface FlinkJobReport {
  jid: string;
  name: string;
  state: string;
  'start-time'?: number;
  'end-time'?: number;
  duration?: number;
  vertices?: { id: string; name: string; status: string; parallelism?: number }[];
}

/**
 * Flink job states (JobStatus) → DF status. Starting states are UNASSIGNED (not running yet);
 * FAILING heads for FAILED or RESTARTING, so it reads as RESTARTING until Flink decides;
 * SUSPENDED (the JobManager lost leadership) is RESTARTING too: Flink resumes it on recovery.
 */
export const FLINK_JOB_STATES: Record<string, DfStatus> = {
  INITIALIZING: 'UNASSIGNED',
  CREATED: 'UNASSIGNED',
  RECONCILING: 'UNASSIGNED',
  RUNNING: 'RUNNING',
  FAILING: 'RESTARTING',
  RESTARTING: 'RESTARTING',
  SUSPENDED: 'RESTARTING',
  FAILED: 'FAILED',
  CANCELLING: 'CANCELED',
  CANCELED: 'CANCELED',
  FINISHED: 'FINISHED',
};

/** Vertex states of a running job that mean "still coming up", not "in trouble". */
const STARTING_VERTEX_STATES = new Set(['CREATED', 'SCHEDULED', 'DEPLOYING', 'INITIALIZING', 'RECONCILING']);

/** Terminal job states: the job will not change any more. */
export const FLINK_TERMINAL_STATES = new Set(['FAILED', 'CANCELED', 'FINISHED']);

/**
 * A job report → DF status. A RUNNING job whose vertices are still deploying is UNASSIGNED (the
 * original called it RWE, which read as an error during every start); one with a vertex FAILED or
 * CANCELED is RWE. `rootException` is the job's root exception, shown as the reason of a failure.
 */
export function dfStatusOfFlinkJob(report: FlinkJobReport, rootException?: string): StatusReading {
  const state = report.state?.toUpperCase();
  if (!state) return { status: 'NONE', reason: 'Flink reported no job state' };
  const mapped = FLINK_JOB_STATES[state];
  if (!mapped) return { status: 'NONE', reason: `unknown Flink job state ${report.state}` };
  if (state === 'RUNNING') {
    const vertices = report.vertices ?? [];
    const troubled = vertices.find(
      (v) => !['RUNNING', 'FINISHED'].includes(v.status) && !STARTING_VERTEX_STATES.has(v.status),
    );
    if (troubled) return { status: 'RWE', reason: `vertex ${troubled.name} ${troubled.status}` };
    const starting = vertices.filter((v) => STARTING_VERTEX_STATES.has(v.status));
    if (starting.length > 0) {
      return {
        status: 'UNASSIGNED',
        reason: `starting: ${vertices.length - starting.length} of ${vertices.length} vertices running`,
      };
    }
    return { status: 'RUNNING' };
  }
  if (mapped === 'FAILED' || mapped === 'RESTARTING') {
    const why = engineMessage(rootException);
    return { status: mapped, reason: why ? `Flink job ${report.state}: ${why}` : `Flink job ${report.state}` };
  }
  if (state === 'CANCELLING') return { status: 'CANCELED', reason: 'Flink is cancelling the job' };
  return { status: mapped };
}

/** Flink has no job by this id (404): gone from the cluster, e.g. after a JobManager restart without HA. */
export const LOST_IN_FLINK: StatusReading = { status: 'LOST', reason: 'Flink has no job with this id' };

/** One job of `GET /jobs/overview`: its state and how many of its tasks are in each state. */
export interface FlinkJobSummary {
  jid: string;
  name: string;
  state: string;
  'start-time'?: number;
  'end-time'?: number;
  tasks?: Partial<
    Record<
      | 'total'
      | 'created'
      | 'scheduled'
      | 'deploying'
      | 'running'
      | 'finished'
      | 'canceling'
      | 'canceled'
      | 'failed'
      | 'reconciling'
      | 'initializing',
      number
    >
  >;
}

/**
 * A job of the overview → DF status, by the same rules as dfStatusOfFlinkJob but from task counts
 * (the overview has no vertices). Failures carry no reason here: the overview has no exception,
 * so whoever records the change fetches the root exception for it.
 */
export function dfStatusOfFlinkSummary(job: FlinkJobSummary): StatusReading {
  const state = job.state?.toUpperCase();
  const mapped = state ? FLINK_JOB_STATES[state] : undefined;
  if (!mapped)
    return { status: 'NONE', reason: state ? `unknown Flink job state ${job.state}` : 'Flink reported no job state' };
  if (state === 'CANCELLING') return { status: 'CANCELED', reason: 'Flink is cancelling the job' };
  if (state !== 'RUNNING') return { status: mapped };
  const t = job.tasks ?? {};
  const troubled = (t.failed ?? 0) + (t.canceled ?? 0) + (t.canceling ?? 0);
  const total = t.total ?? 0;
  if (troubled > 0) return { status: 'RWE', reason: `${troubled} of ${total} tasks failed or cancelled` };
  const starting =
    (t.created ?? 0) + (t.scheduled ?? 0) + (t.deploying ?? 0) + (t.initializing ?? 0) + (t.reconciling ?? 0);
  if (starting > 0) return { status: 'UNASSIGNED', reason: `starting: ${total - starting} of ${total} tasks running` };
  return { status: 'RUNNING' };
}
