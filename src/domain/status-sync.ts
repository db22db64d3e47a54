import { AutoRestartPolicy, backoffBefore, RestartState } from './auto-restart';
import { dfStatusOfFlinkSummary, FlinkJobSummary, LOST_IN_FLINK } from './flink-status';
import { ConnectStatusReport, dfStatusOfConnect, DfStatus, LOST_IN_CONNECT, StatusReading } from './status';
import type { StatusPatch } from './status-patch';
import type { TaskCategory } from './task';

/**
 * The rules of one status-sync round, as a pure function of what the repository holds and what the
 * engines report: which documents change and how, which tasks are due an automatic restart. The
 * activity around it does the reading and the one bulk write.
 */

/** statusReason of a task whose engine did not answer: its status is the last one seen. */
export const UNREACHABLE = 'unreachable';

/** What the round needs of a stored task. Times are epoch milliseconds. */
export interface SyncedTask {
  id: string;
  category: TaskCategory;
  connectUid: string;
  status: DfStatus;
  statusReason?: string;
  statusAt: number;
  updatedAt: number;
  /** Transforms: the Flink job DF runs for it. */
  jobId?: string;
  /** A batch transform that streams its result back: its end is the stream back's to record. */
  streamsBack?: boolean;
  /** A RUNNING → UNASSIGNED flip seen but not recorded yet (a rebalance, until it outlasts the grace). */
  pending?: { status: DfStatus; since: number };
  unreachableSince?: number;
  autoRestart?: AutoRestartPolicy;
  restarts?: RestartState;
  /**
   * The record has no status time: the original service wrote it and nobody has recorded a status
   * since (any status DF records sets one). statusAt is then its creation time.
   */
  statusUnrecorded?: true;
}

/** One engine's answer to the round's single call, or why there was none. */
export type EngineView<T> = { reachable: true; items: Map<string, T> } | { reachable: false; error: string };

export interface EngineViews {
  connect?: EngineView<ConnectStatusReport>;
  flink?: EngineView<FlinkJobSummary>;
}

export type HistoryEvent = 'status' | 'unreachable' | 'reachable' | 'restart' | 'gave-up';

export interface HistoryEntry {
  taskId: string;
  from: DfStatus;
  to: DfStatus;
  at: number;
  reason?: string;
  event: HistoryEvent;
}

/**
 * A write the round wants. It applies only if the task still has the status (and status time) the
 * round read, so an operation that recorded a newer status meanwhile always wins.
 */
export interface StatusChange {
  id: string;
  /** `unrecorded`: the task had no status time, so "still unchanged" means "still none". */
  expect: { status: DfStatus; statusAt: number; unrecorded?: true };
  set: StatusPatch;
  /** What the change means for df_status_history (a status change, unreachable, gave up…). */
  history: HistoryEntry[];
}

export interface RestartDue {
  id: string;
  category: TaskCategory;
  connectUid: string;
  jobId?: string;
  attempt: number;
  maxRestarts: number;
}

/** The moment a sync round plans at, and the grace that spares a short flip or a fresh record. */
export interface SyncRoundClock {
  now: number;
  /** How long a RUNNING → UNASSIGNED flip must last to be recorded, and how fresh a record must be to be spared LOST. */
  graceMs: number;
}

export interface SyncPlan {
  changes: StatusChange[];
  restartsDue: RestartDue[];
}

const TERMINAL: ReadonlySet<DfStatus> = new Set(['FINISHED', 'CANCELED', 'FAILED']);

interface Reading extends StatusReading {
  /** A connector task (or the Flink job) has failed: what an auto-restart can mend. */
  failed: boolean;
}

function engineOf(task: SyncedTask): 'connect' | 'flink' | undefined {
  if (task.category === 'CONNECT' || task.category === 'INTERNAL') return 'connect';
  if (task.category === 'TRANSFORM') return 'flink';
  return undefined;
}

/**
 * The task was recorded moments ago and has no engine reading yet: an operation may be creating its
 * connector or job right now (records are written before the engine is asked).
 */
function fresh(task: SyncedTask, settings: SyncRoundClock): boolean {
  return task.status === 'UNASSIGNED' && settings.now - Math.max(task.statusAt, task.updatedAt) < settings.graceMs;
}

/** A reading that cannot lead to a restart (the task has no enabled auto-restart policy, so nobody asks). */
function readingWith(r: StatusReading, failed: () => boolean, restarts: boolean): Reading {
  return { status: r.status, ...(r.reason !== undefined ? { reason: r.reason } : {}), failed: restarts && failed() };
}

/** What the engine says of this task; undefined when the round must leave it alone. */
function readingOf(task: SyncedTask, views: EngineViews, settings: SyncRoundClock): Reading | undefined {
  // Whether a part failed matters only to an auto-restart: not worked out for the many tasks without one.
  const restarts = task.autoRestart?.enabled === true;
  if (engineOf(task) === 'connect') {
    const view = views.connect as Extract<EngineView<ConnectStatusReport>, { reachable: true }>;
    const report = view.items.get(task.connectUid);
    if (!report) return fresh(task, settings) ? undefined : { ...LOST_IN_CONNECT, failed: false };
    const r = dfStatusOfConnect(report);
    return readingWith(
      r,
      () => r.status === 'FAILED' || (report.tasks ?? []).some((t) => t.state.toUpperCase() === 'FAILED'),
      restarts,
    );
  }
  // STREAMING, and the FINISHED that leads to it, belong to the streamBack workflow.
  if (task.status === 'STREAMING') return undefined;
  const view = views.flink as Extract<EngineView<FlinkJobSummary>, { reachable: true }>;
  const job = task.jobId ? view.items.get(task.jobId) : undefined;
  if (!job) {
    // Flink forgets finished jobs after a while; a task that ended stays as it ended.
    if (TERMINAL.has(task.status) || fresh(task, settings)) return undefined;
    return task.jobId
      ? { ...LOST_IN_FLINK, failed: false }
      : { status: 'LOST', reason: 'no Flink job recorded for this transform', failed: false };
  }
  const r = dfStatusOfFlinkSummary(job);
  if (task.streamsBack && r.status === 'FINISHED') return undefined;
  return readingWith(r, () => r.status === 'FAILED', restarts);
}

/**
 * The reading leaves the task as it is: same status, no new reason, nothing pending or unreachable
 * to clear, no restart policy to consult. Most tasks of most rounds; statusPatch and restartStep
 * would come to the same nothing at more cost.
 */
function unchanged(task: SyncedTask, reading: Reading): boolean {
  return (
    reading.status === task.status &&
    !task.pending &&
    task.statusReason !== UNREACHABLE &&
    task.autoRestart?.enabled !== true &&
    (reading.reason === undefined || reading.reason === task.statusReason || task.restarts?.gaveUp === true)
  );
}

function history(task: SyncedTask, to: DfStatus, at: number, event: HistoryEvent, reason?: string): HistoryEntry {
  return { taskId: task.id, from: task.status, to, at, event, ...(reason ? { reason } : {}) };
}

/** The change a reading makes to the stored status, if any (rebalance grace and reason rules applied). */
function statusPatch(
  task: SyncedTask,
  reading: Reading,
  settings: SyncRoundClock,
): { set: StatusPatch; history: HistoryEntry[] } | undefined {
  const { now, graceMs } = settings;
  const wasUnreachable = task.statusReason === UNREACHABLE;
  // Back from unreachable: the marker goes and the history says so, whichever way the reading is
  // then recorded (a connector Connect has not assigned yet, a status that changed meanwhile).
  const recovered: StatusPatch = wasUnreachable ? { unreachableSince: null, statusReason: null } : {};
  const back: HistoryEntry[] = wasUnreachable ? [history(task, task.status, now, 'reachable')] : [];

  if (task.status === 'RUNNING' && reading.status === 'UNASSIGNED') {
    if (!task.pending || task.pending.status !== 'UNASSIGNED')
      return { set: { ...recovered, pending: { status: 'UNASSIGNED', since: now } }, history: back };
    if (now - task.pending.since < graceMs) return wasUnreachable ? { set: recovered, history: back } : undefined;
  }
  const clearPending: StatusPatch = task.pending ? { pending: null } : {};

  if (reading.status !== task.status) {
    return {
      set: {
        ...recovered,
        ...clearPending,
        status: reading.status,
        statusReason: reading.reason ?? null,
        statusAt: now,
      },
      history: [...back, history(task, reading.status, now, 'status', reading.reason)],
    };
  }
  // Same status: a new reason replaces the old, but a reading without one (the overview's FINISHED)
  // keeps what the operation recorded (e.g. "1204 rows at …").
  // A task that gave up keeps saying so until it runs again.
  const keep = task.restarts?.gaveUp === true && !wasUnreachable;
  const reason = keep
    ? undefined
    : wasUnreachable
      ? (reading.reason ?? null)
      : reading.reason !== undefined && reading.reason !== task.statusReason
        ? reading.reason
        : undefined;
  const set: StatusPatch = { ...recovered, ...clearPending, ...(reason !== undefined ? { statusReason: reason } : {}) };
  if (Object.keys(set).length === 0) return undefined;
  return { set, history: back };
}

/**
 * Auto-restart: a failed task with an enabled policy is due its next attempt once the backoff since
 * the failure (or the attempt before) has passed; a failure still there a backoff after the last
 * attempt gives up. A task that has run steadily for the longest backoff starts a fresh count.
 */
function restartStep(
  task: SyncedTask,
  status: DfStatus,
  statusAt: number,
  failed: boolean,
  reason: string | undefined,
  now: number,
): { due?: RestartDue; set?: StatusPatch; history?: HistoryEntry } {
  const policy = task.autoRestart;
  if (!policy?.enabled) return {};
  const state = task.restarts ?? { attempts: 0 };
  const lastAt = state.lastAttemptAt ? Date.parse(state.lastAttemptAt) : undefined;
  if (!failed) {
    const steady =
      status === 'RUNNING' &&
      state.attempts > 0 &&
      lastAt !== undefined &&
      now - lastAt >= backoffBefore(policy, policy.maxRestarts);
    return steady ? { set: { restarts: { attempts: 0 } } } : {};
  }
  if (state.gaveUp) return {};
  const attempt = state.attempts + 1;
  if (attempt <= policy.maxRestarts) {
    const since = lastAt ?? statusAt;
    if (now - since < backoffBefore(policy, attempt)) return {};
    return {
      due: {
        id: task.id,
        category: task.category,
        connectUid: task.connectUid,
        ...(task.jobId ? { jobId: task.jobId } : {}),
        attempt,
        maxRestarts: policy.maxRestarts,
      },
    };
  }
  if (lastAt !== undefined && now - lastAt < backoffBefore(policy, 1)) return {};
  const why = `auto-restart gave up after ${state.attempts} attempts${reason ? `: ${reason}` : ''}`;
  return {
    set: { restarts: { ...state, gaveUp: true }, statusReason: why },
    history: history(task, status, now, 'gave-up', why),
  };
}

export function planStatusSync(tasks: SyncedTask[], views: EngineViews, settings: SyncRoundClock): SyncPlan {
  const changes: StatusChange[] = [];
  const restartsDue: RestartDue[] = [];
  for (const task of tasks) {
    const engine = engineOf(task);
    const view = engine ? views[engine] : undefined;
    if (!engine || !view) continue;
    const reading = view.reachable ? readingOf(task, views, settings) : undefined;
    if (view.reachable && (!reading || unchanged(task, reading))) continue;
    const expect = {
      status: task.status,
      statusAt: task.statusAt,
      ...(task.statusUnrecorded ? { unrecorded: true as const } : {}),
    };
    if (!view.reachable) {
      // Never FAILED for a network fault: the last status stays, the reason says it is not current.
      if (task.statusReason !== UNREACHABLE) {
        changes.push({
          id: task.id,
          expect,
          set: { statusReason: UNREACHABLE, unreachableSince: settings.now },
          history: [history(task, task.status, settings.now, 'unreachable', view.error)],
        });
      }
      continue;
    }
    if (!reading) continue;
    const patch = statusPatch(task, reading, settings);
    const status = patch?.set.status ?? task.status;
    const statusAt = patch?.set.statusAt ?? task.statusAt;
    const restart = restartStep(
      task,
      status,
      statusAt,
      reading.failed && status === reading.status,
      reading.reason,
      settings.now,
    );
    if (restart.due) restartsDue.push(restart.due);
    if (!patch && !restart.set) continue;
    changes.push({
      id: task.id,
      expect,
      set: { ...patch?.set, ...restart.set },
      history: [...(patch?.history ?? []), ...(restart.history ? [restart.history] : [])],
    });
  }
  return { changes, restartsDue };
}
