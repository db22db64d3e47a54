import { Hono, type Context } from 'hono';
import { engineMessage } from '../../domain/engine-message';
import { parseTaskId } from '../../domain/connect-input';
import { DfError } from '../../domain/errors';
import { dfStatusOfFlinkJob } from '../../domain/flink-status';
import { dfStatusOfConnect } from '../../domain/status';
import type { Task } from '../../domain/task';
import type { FlinkClient } from '../../ras/flink';
import type { KafkaConnectClient } from '../../ras/kafka-connect';
import { STATUS_HISTORY_ROW_SHAPE, type StatusHistoryRepository } from '../../repository/status-history-repository';
import type { TaskRepository } from '../../repository/task-repository';
import { DEFAULT_PAGE_SIZE } from '../../domain/task-query';
import { parsePageQuery, requireParam } from '../list-protocol';

/** One row of GET /status: a Connect task of the connector, with the fields the original UI reads. */
export interface LiveStatusRow {
  id: string;
  /** The DF task the row belongs to. */
  taskId: string;
  /** Connects: the task id, as the original gave it; transforms: Flink's job id. */
  jobId: string;
  subTaskId: string;
  /** DF status of the whole connector. */
  dfTaskState: string;
  /** Kafka Connect's connector-level state. */
  taskState: string;
  /** Kafka Connect's state of this task. */
  state: string;
  worker_id?: string;
  /** The first line of Kafka Connect's trace, capped (the rest can carry the data a task was reading). */
  trace?: string;
  /** Transforms: the Flink job vertex's name and parallelism. */
  name?: string;
  parallelism?: number;
  /** Transforms: the vertex's state, where the original gave it (its UI reads `status`). */
  status?: string;
}

/**
 * GET /status/:id and /status?id=: live status from the engine. A connect gives one row per
 * connector task (a connector without tasks yet: one row for the connector itself, subTaskId "e");
 * a transform gives one row per Flink job vertex, with Flink's job id in `jobId` and the vertex
 * state in `status` as well as `state` (the original's fields, which its UI reads).
 */
export function statusRoutes({
  tasks,
  kafkaConnect,
  flink,
  statusHistory,
}: {
  tasks: TaskRepository;
  kafkaConnect: KafkaConnectClient;
  flink: FlinkClient;
  statusHistory: StatusHistoryRepository;
}) {
  const transformRows = async (task: Task): Promise<LiveStatusRow[]> => {
    const jobId = task.jobConfig?.flink_job_id;
    const job = jobId ? await flink.job(jobId) : undefined;
    if (!jobId || !job)
      throw new DfError('NOT_FOUND', `Flink has no job ${jobId ?? '(none recorded)'} for transform ${task.id}`, {
        details: { id: task.id, jobId },
      });
    const df = dfStatusOfFlinkJob(job).status;
    return (job.vertices ?? []).map((v, i) => ({
      id: `${task.id}_${i}`,
      taskId: task.id,
      jobId,
      subTaskId: v.id,
      dfTaskState: df,
      taskState: job.state,
      state: v.status,
      status: v.status,
      name: v.name,
      ...(v.parallelism !== undefined ? { parallelism: v.parallelism } : {}),
    }));
  };
  const handler = async (c: Context, rawId: string | undefined) => {
    const id = parseTaskId(requireParam(rawId, 'id'));
    const task = await tasks.require(id);
    if (task.connectorCategory === 'TRANSFORM') {
      const rows = await transformRows(task);
      c.header('X-Total-Count', String(rows.length));
      return c.json(rows);
    }
    if (task.connectorCategory !== 'CONNECT' && task.connectorCategory !== 'INTERNAL') {
      throw new DfError('VALIDATION_FAILED', `live status of ${task.connectorCategory} tasks is not served`, {
        details: { fields: { id: ['not a connect or transform'] } },
      });
    }
    const report = await kafkaConnect.status(task.connectUid);
    if (!report)
      throw new DfError('NOT_FOUND', `Kafka Connect has no connector ${task.connectUid} for task ${id}`, {
        details: { id },
      });
    const df = dfStatusOfConnect(report).status;
    const connectorState = report.connector?.state ?? 'NONE';
    const rows: LiveStatusRow[] = (report.tasks ?? []).map((t) => ({
      id: `${id}_${t.id}`,
      taskId: id,
      jobId: id,
      subTaskId: String(t.id),
      dfTaskState: df,
      taskState: connectorState,
      state: t.state,
      ...(t.worker_id ? { worker_id: t.worker_id } : {}),
      ...(t.trace ? { trace: engineMessage(t.trace) } : {}),
    }));
    if (rows.length === 0) {
      rows.push({
        id: `${id}_e`,
        taskId: id,
        jobId: id,
        subTaskId: 'e',
        dfTaskState: df,
        taskState: connectorState,
        state: connectorState,
        ...(report.connector?.worker_id ? { worker_id: report.connector.worker_id } : {}),
        ...(report.connector?.trace ? { trace: engineMessage(report.connector.trace) } : {}),
      });
    }
    c.header('X-Total-Count', String(rows.length));
    return c.json(rows);
  };
  /** GET /status/:id/history: the task's status changes, newest first (a deleted task's history stays readable). */
  const history = async (c: Context) => {
    const id = parseTaskId(c.req.param('id'));
    const page = parsePageQuery(c.req.queries(), DEFAULT_PAGE_SIZE, STATUS_HISTORY_ROW_SHAPE);
    const rows = await statusHistory.list(id, page.skip, page.limit, page.order, page.sort);
    if (rows.total === 0 && !(await tasks.get(id)))
      throw new DfError('NOT_FOUND', `no task with id ${id} and no status history for it`, { details: { id } });
    c.header('X-Total-Count', String(rows.total));
    return c.json(rows.items);
  };
  return new Hono()
    .get('/status/:id/history', history)
    .get('/status', (c) => handler(c, c.req.query('id')))
    .get('/status/:id', (c) => handler(c, c.req.param('id')));
}
