import { patched, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { StreamBackActivities } from '../activities/stream-back';
import type { TaskActivities } from '../activities/tasks';
import type { StreamBackProgress } from '../src/domain/stream-back';
import { streamBackConnectorName } from '../src/domain/stream-back';
import { streamBackProgress } from '../src/protocol/stream-back';
import { COMPENSATION, RAS_CALL } from './activity-options';
import { messageOf } from '../src/protocol/failure-codec';
import { tagRun } from './run-tags';

type Acts = StreamBackActivities & TaskActivities;
const act = proxyActivities<Acts>(RAS_CALL);
const undo = proxyActivities<Acts>(COMPENSATION);
/** Exporting a large result is file I/O of minutes, not seconds. */
const exporting = proxyActivities<Acts>({ ...RAS_CALL, startToCloseTimeout: '30 minutes' });
/** A delivery watch heartbeats every reading: a lost worker's watch is retried within seconds. */
const watching = proxyActivities<Acts>({ ...RAS_CALL, heartbeatTimeout: '5 seconds' });

/**
 * Delivery watched inside an activity (the topic read every 100 ms for up to WATCH_WINDOW_MS,
 * back as soon as every row is there) instead of one reading per durable timer, which saw the
 * last record up to a second late. Old branch: runs started before it (fixture
 * before-streamback-watch).
 */
export const STREAMBACK_WATCH_PATCH = 'df-streamback-watch';
/** As often as the old readings came while records flowed: the progress query moves as before. */
const WATCH_WINDOW_MS = 1000;

export interface StreamBackInput {
  id: string;
  jobId: string;
  /** Where the batch job wrote its result (file:// URI of a directory of part files). */
  resultPath: string;
}

export interface StreamBackResult {
  status: 'FINISHED' | 'FAILED';
  rows: number;
  delivered: number;
  ms: number;
  reason?: string;
}

class StreamBackFailure extends Error {}

/**
 * streamBack: a finished batch transform's result → one JSON-lines file → topic, by a
 * FileStreamSource connector that is deleted once every exported record has arrived (counted from
 * the topic's end offsets, never guessed from time). Started by transformBatchWatch when the job
 * has finished. The task is STREAMING meanwhile, FINISHED with the counts after; a failed
 * connector, a vanished file or a delivery stalled past DF_STREAMBACK_TIMEOUT deletes the
 * connector, keeps the file and marks the task FAILED with the reason.
 */
export async function streamBack(input: StreamBackInput): Promise<StreamBackResult> {
  tagRun({
    category: 'TRANSFORM',
    taskId: input.id,
    summary: `stream back the result of job ${input.jobId} of transform ${input.id}`,
  });
  const started = Date.now();
  const plan = await act.planStreamBack(input.id);
  const progress: StreamBackProgress = {
    phase: 'exporting',
    taskId: input.id,
    jobId: input.jobId,
    topic: plan.topic,
    connector: streamBackConnectorName(input.id),
    deliveredRows: 0,
    startedAt: new Date(started).toISOString(),
  };
  setHandler(streamBackProgress, () => progress);
  await act.recordTaskStatus(input.id, { status: 'STREAMING', reason: `streaming the result back to ${plan.topic}` });

  const exported = await exporting.exportStreamBackFile(input.id, input.jobId, input.resultPath);
  Object.assign(progress, { file: exported.file, exportedRows: exported.rows, phase: 'preparing' });
  let connectorMade = false;
  try {
    if (exported.rows > 0) {
      await act.prepareStreamBackTopic(plan.topic, plan.columns);
      const baseline = await act.topicRecordCount(plan.topic);
      progress.phase = 'delivering';
      await act.createStreamBackConnector(input.id, exported.file, plan.topic);
      connectorMade = true;
      await awaitDelivery(input.id, plan.topic, baseline, exported.file, exported.rows, plan.stallTimeoutMs, progress);
      progress.phase = 'cleaning-up';
      await act.deleteStreamBackConnector(input.id);
    }
  } catch (error) {
    const reason = `stream back to ${plan.topic} failed: ${messageOf(error)}`;
    Object.assign(progress, { phase: 'failed', reason, endedAt: new Date().toISOString() });
    if (connectorMade) await undo.deleteStreamBackConnector(input.id);
    await undo.recordStreamBackResult(
      input.id,
      input.jobId,
      figures(exported.rows, progress.deliveredRows, started, exported.file),
    );
    await undo.recordTaskStatus(input.id, { status: 'FAILED', reason });
    return {
      status: 'FAILED',
      rows: exported.rows,
      delivered: progress.deliveredRows,
      ms: Date.now() - started,
      reason,
    };
  }
  const ms = Date.now() - started;
  Object.assign(progress, {
    phase: 'finished',
    deliveredRows: Math.max(progress.deliveredRows, exported.rows),
    endedAt: new Date().toISOString(),
  });
  await act.recordStreamBackResult(
    input.id,
    input.jobId,
    figures(exported.rows, progress.deliveredRows, started, exported.file),
  );
  await act.recordTaskStatus(input.id, {
    status: 'FINISHED',
    reason: `${exported.rows} rows streamed back to ${plan.topic} in ${(ms / 1000).toFixed(1)} s`,
  });
  return { status: 'FINISHED', rows: exported.rows, delivered: progress.deliveredRows, ms };
}

function figures(rows: number, delivered: number, started: number, file: string) {
  return {
    stream_back_rows: String(rows),
    stream_back_delivered: String(delivered),
    stream_back_ms: String(Date.now() - started),
    stream_back_file: file,
  };
}

/**
 * Watches delivery until the topic has every exported record, or it cannot get there; durable
 * timers (backing off to 5 s) between readings that saw no growth.
 */
async function awaitDelivery(
  taskId: string,
  topic: string,
  baseline: number,
  file: string,
  rows: number,
  stallTimeoutMs: number,
  progress: StreamBackProgress,
): Promise<void> {
  let lastGrowthAt = Date.now();
  let wait = 250;
  let missing = 0;
  const watch = patched(STREAMBACK_WATCH_PATCH);
  for (;;) {
    const reading = watch
      ? await watching.watchDelivery(taskId, topic, baseline, file, rows, WATCH_WINDOW_MS)
      : await act.readDelivery(taskId, topic, baseline, file);
    const grew = reading.delivered > progress.deliveredRows;
    if (grew) lastGrowthAt = Date.now();
    progress.deliveredRows = Math.max(progress.deliveredRows, reading.delivered);
    if (reading.delivered >= rows) return;
    if (reading.connector.failed)
      throw new StreamBackFailure(
        `connector ${progress.connector} failed: ${reading.connector.reason ?? reading.connector.status}`,
      );
    // Gone in three readings running: deleted behind DF's back, not a moment of a rebalance.
    missing = reading.connector.exists ? 0 : missing + 1;
    if (missing >= 3) throw new StreamBackFailure(`connector ${progress.connector} is gone from Kafka Connect`);
    if (!reading.fileExists)
      throw new StreamBackFailure(`the file ${file} was removed with ${reading.delivered} of ${rows} rows delivered`);
    if (Date.now() - lastGrowthAt > stallTimeoutMs) {
      throw new StreamBackFailure(
        `delivery stalled: ${reading.delivered} of ${rows} rows after ${Math.round(stallTimeoutMs / 1000)} s without a new one (connector ${reading.connector.status})`,
      );
    }
    if (watch && grew) {
      // The watch itself waited while records flowed: watch again at once.
      wait = 250;
      continue;
    }
    await sleep(wait);
    // While records flow, the last one is seen within a second of arriving; a stalled or slow
    // start backs off to 5 s.
    wait = Math.min(wait * 2, reading.delivered > 0 ? 1000 : 5000);
  }
}
