import { Context } from '@temporalio/activity';
import type { StatusSyncConfig } from '../src/config';
import { engineMessage } from '../src/domain/engine-message';
import type { FlinkJobSummary } from '../src/domain/flink-status';
import type { ConnectStatusReport } from '../src/domain/status';
import {
  EngineView,
  EngineViews,
  planStatusSync,
  RestartDue,
  StatusChange,
  SyncedTask,
  SyncPlan,
  SyncRoundClock,
} from '../src/domain/status-sync';
import { withStatusPatch } from '../src/domain/status-patch';
import { snapshotReadDue } from '../src/domain/sync-snapshot';
import type { FlinkClient } from '../src/ras/flink';
import type { KafkaConnectClient } from '../src/ras/kafka-connect';
import type { StatusHistoryRepository } from '../src/repository/status-history-repository';
import type { TaskRepository } from '../src/repository/task-repository';
import { eventsOfHistory, type NotifyEvents } from './webhooks';

export interface StatusSyncDeps {
  tasks: TaskRepository;
  statusHistory: StatusHistoryRepository;
  kafkaConnect: KafkaConnectClient;
  flink: FlinkClient;
  syncSettings: StatusSyncConfig;
  /** Tells the webhooks of the changes they want to hear of (createActivities gives it; absent: none told). */
  notify?: NotifyEvents;
}

/** What one round did: counts for the Web UI, and the restarts the workflow is to make. */
export interface StatusSyncRound {
  tasks: number;
  changed: number;
  /** Changes an operation overtook (it recorded a newer status first): not written. */
  overtaken: number;
  kafkaConnect: 'reachable' | 'unreachable' | 'not asked';
  flink: 'reachable' | 'unreachable' | 'not asked';
  restartsDue: RestartDue[];
}

/** Root exceptions fetched per round for jobs that newly failed: bounded, whatever the task count. */
const MAX_EXCEPTION_READS = 5;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function view<T>(read: () => Promise<Map<string, T>>): Promise<EngineView<T>> {
  try {
    return { reachable: true, items: await read() };
  } catch (error) {
    return { reachable: false, error: messageOf(error) };
  }
}

function state(v: EngineView<unknown> | undefined): StatusSyncRound['flink'] {
  return v === undefined ? 'not asked' : v.reachable ? 'reachable' : 'unreachable';
}

/** The round's duration and what it changed, in the Temporal runtime's metrics (exported with the worker's). */
function recordRoundMetrics(ms: number, changed: number, tasks: number): void {
  let meter;
  try {
    meter = Context.current().metricMeter;
  } catch {
    return; // called outside an activity (a test driving the round directly)
  }
  meter.createHistogram('df_sync_round_duration', 'int', 'ms', 'Status sync round duration').record(ms);
  meter.createCounter('df_sync_changed_tasks', 'tasks', 'Task statuses changed by status sync rounds').add(changed);
  meter.createGauge('df_sync_tasks', 'int', 'tasks', 'Tasks the last status sync round looked at').set(tasks);
}

/** A true read found the compact snapshot wrong about some tasks (a write it missed): worth a line in the log. */
function logHealed(healed: number, reason: string | undefined): void {
  try {
    Context.current().log.warn('status sync: a true read of df_processor healed the compact snapshot', {
      healed,
      reason,
    });
  } catch {
    // called outside an activity (a test driving the round directly)
  }
}

/** Tasks planned between two turns of the event loop: the API shares the process and must not wait long. */
const PLAN_SLICE = 1000;

/** planStatusSync over the tasks a slice at a time (each task is planned on its own), yielding between slices. */
async function planInSlices(snapshot: SyncedTask[], views: EngineViews, settings: SyncRoundClock): Promise<SyncPlan> {
  const plan: SyncPlan = { changes: [], restartsDue: [] };
  for (let i = 0; i < snapshot.length; i += PLAN_SLICE) {
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    const slice = planStatusSync(snapshot.slice(i, i + PLAN_SLICE), views, settings);
    plan.changes.push(...slice.changes);
    plan.restartsDue.push(...slice.restartsDue);
  }
  return plan;
}

export function createStatusSyncActivities({
  tasks,
  statusHistory,
  kafkaConnect,
  flink,
  syncSettings,
  notify,
}: StatusSyncDeps) {
  /**
   * A job newly failed or restarting: its reason is its root exception, as the operations record
   * it. The overview the round reads has no exception, and a job Flink keeps restarting may never
   * reach FAILED, so without this it would show RESTARTING with no reason at all.
   */
  async function withRootExceptions(changes: StatusChange[], snapshot: SyncedTask[]): Promise<void> {
    const troubled = changes.filter((c) => c.set.status === 'FAILED' || c.set.status === 'RESTARTING');
    if (troubled.length === 0) return;
    const jobOf = new Map(snapshot.filter((t) => t.jobId).map((t) => [t.id, t.jobId as string]));
    await Promise.all(
      troubled
        .filter((c) => jobOf.has(c.id))
        .slice(0, MAX_EXCEPTION_READS)
        .map(async (c) => {
          const status = c.set.status;
          const trace = await flink.rootException(jobOf.get(c.id) as string).catch(() => undefined);
          const first = engineMessage(trace);
          if (!first && status === 'FAILED') return;
          c.set.statusReason = first ? `Flink job ${status}: ${first}` : `Flink job ${status}`;
          for (const h of c.history) if (h.to === status) h.reason = c.set.statusReason;
        }),
    );
  }

  /**
   * The tasks as the last round left them, with df_processor's change count then: while nobody
   * else wrote (the count moved by this round's own write only), the next round starts from it
   * instead of reading every task, which is most of a round's time on a store that scans.
   */
  let carried: { seq: number; tasks: SyncedTask[]; readAt: number; readMs: number } | undefined;

  /**
   * The round's tasks: carried over, or read from the compact snapshot, which itself reads
   * df_processor (and is built again from it) when it is not whole or its own true read is due.
   */
  async function roundSnapshot(seq: number): Promise<{ tasks: SyncedTask[]; readAt: number; readMs: number }> {
    if (carried && carried.seq === seq && !snapshotReadDue(carried, Date.now())) return carried;
    carried = undefined;
    const readAt = Date.now();
    const read = await tasks.readSyncSnapshot();
    const readMs = Date.now() - readAt;
    if (read.healed) logHealed(read.healed, read.reason);
    // A true read is spaced by its own clock (on the snapshot); the round's by the compact read's time.
    return { tasks: read.tasks, readAt, readMs: read.source === 'true' ? 0 : readMs };
  }

  return {
    /**
     * One status-sync round: the repository's tasks, Kafka Connect's connectors and Flink's jobs,
     * each read in one call; only the tasks whose status changed are written, in one bulk write,
     * and each change appended to df_status_history.
     */
    async syncStatusRound(): Promise<StatusSyncRound> {
      const started = Date.now();
      // The count before the tasks: a write counted after it shows as a change next round.
      const seqBefore = await tasks.changeCount();
      const { tasks: snapshot, readAt, readMs } = await roundSnapshot(seqBefore);
      const wantsConnect = snapshot.some((t) => t.category === 'CONNECT' || t.category === 'INTERNAL');
      const wantsFlink = snapshot.some((t) => t.category === 'TRANSFORM');
      const [connect, flinkJobs] = await Promise.all([
        wantsConnect ? view<ConnectStatusReport>(() => kafkaConnect.listConnectorStatuses()) : undefined,
        wantsFlink
          ? view<FlinkJobSummary>(async () => new Map((await flink.jobsOverview()).map((j) => [j.jid, j])))
          : undefined,
      ]);
      const plan = await planInSlices(
        snapshot,
        { connect, flink: flinkJobs },
        { now: Date.now(), graceMs: syncSettings.graceMs },
      );
      await withRootExceptions(plan.changes, snapshot);
      const applied = await tasks.applyStatusChanges(plan.changes);
      const recorded = plan.changes.filter((c) => applied.has(c.id)).flatMap((c) => c.history);
      // The history is another collection: it does not move df_processor's count.
      const [seqAfter] = await Promise.all([tasks.changeCount(), statusHistory.append(recorded)]);
      const overtaken = new Set(plan.changes.filter((c) => !applied.has(c.id)).map((c) => c.id));
      // Only this round's one bulk write in between: the store holds the snapshot with its changes.
      if (overtaken.size === 0 && seqAfter === seqBefore + (applied.size > 0 ? 1 : 0)) {
        const patches = new Map(plan.changes.map((c) => [c.id, c.set]));
        carried = {
          seq: seqAfter,
          readAt,
          readMs,
          tasks: snapshot.map((t) => (patches.has(t.id) ? withStatusPatch(t, patches.get(t.id)!) : t)),
        };
      } else {
        carried = undefined;
      }
      if (notify && recorded.length > 0) {
        // The categories of the recorded tasks only: a map of every task's cost a long block each round.
        const categoryOf = new Map(recorded.map((h) => [h.taskId, undefined as SyncedTask['category'] | undefined]));
        for (const t of snapshot) if (categoryOf.has(t.id)) categoryOf.set(t.id, t.category);
        await notify(eventsOfHistory(recorded, (id) => categoryOf.get(id)));
      }
      recordRoundMetrics(Date.now() - started, applied.size, snapshot.length);
      return {
        tasks: snapshot.length,
        changed: applied.size,
        overtaken: overtaken.size,
        kafkaConnect: state(connect),
        flink: state(flinkJobs),
        // A task an operation overtook is judged again next round, with what the operation recorded.
        restartsDue: plan.restartsDue.filter((r) => !overtaken.has(r.id)),
      };
    },

    /** Counts an auto-restart attempt (once, even if retried) and appends it to the history. */
    async countRestartAttempt(due: RestartDue): Promise<{ counted: boolean }> {
      const at = new Date();
      const counted = await tasks.recordRestartAttempt(due.id, due.attempt, at);
      if (counted) {
        const task = await tasks.get(due.id);
        const status = task?.status ?? 'FAILED';
        await statusHistory.append([
          {
            taskId: due.id,
            from: status,
            to: status,
            at: at.getTime(),
            event: 'restart',
            reason: `auto-restart attempt ${due.attempt} of ${due.maxRestarts}`,
          },
        ]);
      }
      return { counted };
    },

    /** Restarts a connector's failed parts (the connector if it failed, and its failed tasks). */
    async restartFailedConnector(connectUid: string): Promise<void> {
      return kafkaConnect.restart(connectUid, { includeTasks: true, onlyFailed: true });
    },
  };
}

export type StatusSyncActivities = ReturnType<typeof createStatusSyncActivities>;
