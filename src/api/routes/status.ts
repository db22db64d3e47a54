import { Hono, type Context } from 'hono';
import { parseTaskId } from '../../domain/connect-input';
import { DfError } from '../../domain/errors';
import { dfStatusOfConnect } from '../../domain/status';
import type { KafkaConnectClient } from '../../ras/kafka-connect';
import type { TaskRepository } from '../../repository/task-repository';
import { requireParam } from '../list-protocol';

/** One row of GET /status: a Connect task of the connector, with the fields the original UI reads. */
export interface LiveStatusRow {
  id: string;
  jobId: string;
  subTaskId: string;
  /** DF status of the whole connector. */
  dfTaskState: string;
  /** Kafka Connect's connector-level state. */
  taskState: string;
  /** Kafka Connect's state of this task. */
  state: string;
  worker_id?: string;
  trace?: string;
}

/**
 * GET /status/:id and /status?id=: live status from Kafka Connect, one row per connector task
 * (a connector without tasks yet gives one row for the connector itself, subTaskId "e").
 */
export function statusRoutes({ tasks, kafkaConnect }: { tasks: TaskRepository; kafkaConnect: KafkaConnectClient }) {
  const handler = async (c: Context, rawId: string | undefined) => {
    const id = parseTaskId(requireParam(rawId, 'id'));
    const task = await tasks.require(id);
    if (task.connectorCategory !== 'CONNECT' && task.connectorCategory !== 'INTERNAL') {
      throw new DfError('VALIDATION_FAILED', `live status of ${task.connectorCategory} tasks is not served here yet`, {
        details: { fields: { id: ['not a connect'] } },
      });
    }
    const report = await kafkaConnect.status(task.connectUid);
    if (!report) throw new DfError('NOT_FOUND', `Kafka Connect has no connector ${task.connectUid} for task ${id}`, { details: { id } });
    const df = dfStatusOfConnect(report).status;
    const connectorState = report.connector?.state ?? 'NONE';
    const rows: LiveStatusRow[] = (report.tasks ?? []).map((t) => ({
      id: `${id}_${t.id}`,
      jobId: id,
      subTaskId: String(t.id),
      dfTaskState: df,
      taskState: connectorState,
      state: t.state,
      ...(t.worker_id ? { worker_id: t.worker_id } : {}),
      ...(t.trace ? { trace: t.trace } : {}),
    }));
    if (rows.length === 0) {
      rows.push({
        id: `${id}_e`, jobId: id, subTaskId: 'e', dfTaskState: df, taskState: connectorState, state: connectorState,
        ...(report.connector?.worker_id ? { worker_id: report.connector.worker_id } : {}),
        ...(report.connector?.trace ? { trace: report.connector.trace } : {}),
      });
    }
    c.header('X-Total-Count', String(rows.length));
    return c.json(rows);
  };
  return new Hono()
    .get('/status', (c) => handler(c, c.req.query('id')))
    .get('/status/:id', (c) => handler(c, c.req.param('id')));
}
