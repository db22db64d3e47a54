import type { Filter, UpdateFilter } from 'mongodb';
import { dfStatusOfOriginal } from '../domain/legacy-task';
import { isDfStatus } from '../domain/status';
import { type StatusPatch, storedStatusPatch } from '../domain/status-patch';
import type { StatusChange, SyncedTask } from '../domain/status-sync';
import { syncedTaskOf, type TaskDoc } from './task-doc';

/**
 * The stored document as the status sync sees it: the fields a round reads, how they map to a
 * synced task, and a round's changes as writes.
 */

/** The fields a round reads. connectorType, revision and createdAt: an original record's category and times are derived from them. */
export const SYNC_PROJECTION = {
  connectorCategory: 1,
  connectorType: 1,
  revision: 1,
  createdAt: 1,
  connectUid: 1,
  status: 1,
  statusReason: 1,
  statusAt: 1,
  updatedAt: 1,
  'jobConfig.flink_job_id': 1,
  'connectorConfig.stream_back_flag': 1,
  statusPending: 1,
  unreachableSince: 1,
  autoRestart: 1,
  restarts: 1,
} as const;

/**
 * A document as DF writes it, checked cheaply: the status sync maps these directly (a round reads
 * every task), and reads anything else (the original's records, a damaged one) the careful way.
 */
function isPlainDfDoc(d: TaskDoc): boolean {
  return (
    typeof d._id === 'string' &&
    typeof d.revision === 'number' &&
    d.statusAt instanceof Date &&
    d.updatedAt instanceof Date &&
    typeof d.connectUid === 'string' &&
    isDfStatus(d.status) &&
    (d.statusPending == null || d.statusPending.since instanceof Date) &&
    (d.unreachableSince == null || d.unreachableSince instanceof Date)
  );
}

/** What a round needs of a stored document (read with SYNC_PROJECTION); undefined when it cannot be read. */
export function syncedTaskOfDoc(d: TaskDoc): SyncedTask | undefined {
  if (!isPlainDfDoc(d)) return syncedTaskOf(d as unknown as Record<string, unknown>);
  return {
    id: d._id,
    category: d.connectorCategory,
    connectUid: d.connectUid,
    status: d.status,
    ...(d.statusReason ? { statusReason: d.statusReason } : {}),
    statusAt: d.statusAt.getTime(),
    updatedAt: d.updatedAt.getTime(),
    ...(typeof d.jobConfig?.flink_job_id === 'string' && d.jobConfig.flink_job_id
      ? { jobId: d.jobConfig.flink_job_id }
      : {}),
    ...(d.connectorConfig?.stream_back_flag === 'true' ? { streamsBack: true } : {}),
    ...(d.statusPending ? { pending: { status: d.statusPending.status, since: d.statusPending.since.getTime() } } : {}),
    ...(d.unreachableSince ? { unreachableSince: d.unreachableSince.getTime() } : {}),
    ...(d.autoRestart ? { autoRestart: d.autoRestart } : {}),
    ...(d.restarts ? { restarts: d.restarts } : {}),
  };
}

/** The $set/$unset of a status-sync patch, in the stored shape. */
export function statusUpdate(patch: StatusPatch): UpdateFilter<TaskDoc> {
  const { set, unset } = storedStatusPatch(patch);
  return {
    ...(Object.keys(set).length ? { $set: set as Partial<TaskDoc> } : {}),
    ...(unset.length ? { $unset: Object.fromEntries(unset.map((field) => [field, ''])) } : {}),
  };
}

/** The documents a round's change applies to: those that still have the status the round read. */
export function statusChangeFilter(c: StatusChange): Filter<TaskDoc> {
  // A record with no status time yet (the original's) is unchanged while it still has none: any
  // status DF records sets one.
  return c.expect.unrecorded
    ? { _id: c.id, statusAt: { $exists: false } }
    : { _id: c.id, status: c.expect.status, statusAt: new Date(c.expect.statusAt) };
}

/** The fields that show whether a round's change applied (see appliedChanges). */
export const APPLIED_PROJECTION = { status: 1, statusAt: 1, statusReason: 1, restarts: 1, statusPending: 1 } as const;

/** The ids of the changes the stored documents (read with APPLIED_PROJECTION) now carry. */
export function appliedChanges(changes: StatusChange[], docs: TaskDoc[]): Set<string> {
  const applied = new Set<string>();
  const byId = new Map(docs.map((d) => [d._id, d]));
  for (const c of changes) {
    const d = byId.get(c.id);
    if (!d) continue;
    const status = c.set.status ?? c.expect.status;
    const statusAt = c.set.statusAt ?? c.expect.statusAt;
    const storedAt =
      d.statusAt instanceof Date ? d.statusAt.getTime() : c.expect.unrecorded ? c.expect.statusAt : undefined;
    if (
      dfStatusOfOriginal(d.status).status === status &&
      storedAt === statusAt &&
      (c.set.statusReason === undefined || (d.statusReason ?? null) === c.set.statusReason)
    )
      applied.add(c.id);
  }
  return applied;
}
