import type { DfApp } from './df-app';

/** What the specs read of an added transform. */
export interface AddedTransform {
  id: string;
  status: string;
  jobConfig: { flink_job_id: string };
}

/**
 * Adds a SQL transform whose job runs until it is cancelled (datagen numbers into a blackhole) and
 * answers the added task. The first SQL job after Flink starts may take longer than DF_SYNC_WAIT_MS
 * to submit: a 202, then its workflow's result.
 */
export async function addDatagenTransform(app: DfApp, id: string): Promise<AddedTransform> {
  const res = await app.api.post('/tr', {
    id,
    name: 'Numbers to nowhere',
    connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQL',
    connectorConfig: {
      trans_sql: `CREATE TABLE numbers (n BIGINT) WITH ('connector'='datagen', 'rows-per-second'='1');
          CREATE TABLE nowhere (n BIGINT) WITH ('connector'='blackhole');
          INSERT INTO nowhere SELECT n FROM numbers;`,
    },
  });
  expect([201, 202]).toContain(res.status);
  return res.status === 201
    ? (res.data as AddedTransform)
    : ((await app.temporal.client.workflow
        .getHandle(String(res.headers['x-df-workflow-id']))
        .result()) as AddedTransform);
}
