import type { AxiosResponse } from 'axios';
import type { DfApp } from './df-app';
import { eventually } from './wait';

/** What the specs read of a transform operation's answer (an add, an update). */
export interface AddedTransform {
  id: string;
  status: string;
  connectorConfig: Record<string, unknown>;
  jobConfig: { flink_job_id: string; savepoint_path?: string; source_columns?: string };
  savepoints?: { jobId: string; path: string; reason: string }[];
}

/** What the specs read of a transform delete's answer. */
export interface DeletedTransform {
  deleted: boolean;
  savepoint?: string;
}

/**
 * Adds a SQL transform whose job runs until it is cancelled (datagen numbers into a blackhole) and
 * answers the added task. The first SQL job after Flink starts may take longer than DF_SYNC_WAIT_MS
 * to submit: a 202, then its workflow's result.
 */
export function addDatagenTransform(app: DfApp, id: string): Promise<AddedTransform> {
  return addTransform(app, {
    id,
    name: 'Numbers to nowhere',
    connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQL',
    connectorConfig: {
      trans_sql: `CREATE TABLE numbers (n BIGINT) WITH ('connector'='datagen', 'rows-per-second'='1');
          CREATE TABLE nowhere (n BIGINT) WITH ('connector'='blackhole');
          INSERT INTO nowhere SELECT n FROM numbers;`,
    },
  });
}

/** POST /tr with the body, answered as operationAnswer reads an add: the task, once its run is done. */
export async function addTransform(app: Pick<DfApp, 'api' | 'temporal'>, body: object): Promise<AddedTransform> {
  return operationAnswer(app, await app.api.post('/tr', body));
}

/**
 * What an operation answered: its body when it ended within DF_SYNC_WAIT_MS (201 for an add or a
 * savepoint, 200 for an update), or for a 202 (the run outlasted the wait, as the first Flink job
 * after a start, or a savepoint on a loaded machine, may) its workflow's result.
 */
export async function operationAnswer<T = AddedTransform>(
  app: Pick<DfApp, 'temporal'>,
  res: AxiosResponse,
  okStatus: 200 | 201 = 201,
): Promise<T> {
  expect([okStatus, 202]).toContain(res.status);
  return res.status === okStatus
    ? (res.data as T)
    : ((await app.temporal.client.workflow.getHandle(String(res.headers['x-df-workflow-id'])).result()) as T);
}

/** Adds a batch SQL transform over JSON rows `{ n }` of topicIn whose result streams back to topicOut. */
export function addStreamBackBatch(
  app: Pick<DfApp, 'api'>,
  { id, topicIn, topicOut, sql }: { id: string; topicIn: string; topicOut: string; sql: string },
): Promise<AxiosResponse> {
  return app.api.post('/tr', {
    id,
    name: id,
    connectorType: 'TRANSFORM_BATCH_FLINK_SQL',
    connectorConfig: {
      topic_in: topicIn,
      format: 'json',
      columns_in: 'n INT',
      trans_sql: sql,
      stream_back_flag: true,
      stream_back_topic: topicOut,
    },
  });
}

/** A batch transform's task once it has ended, FINISHED or FAILED. */
export function transformEnded(app: Pick<DfApp, 'api'>, id: string, timeoutMs = 180_000, intervalMs = 250) {
  return eventually(
    `${id} FINISHED or FAILED`,
    async () => {
      const t = (await app.api.get(`/tr/${id}`)).data;
      return t.status === 'FINISHED' || t.status === 'FAILED' ? t : undefined;
    },
    timeoutMs,
    intervalMs,
  );
}
