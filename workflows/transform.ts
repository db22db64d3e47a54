import { ParentClosePolicy, patched, proxyActivities, sleep, startChild, uuid4 } from '@temporalio/workflow';
import type { FlinkJobActivities, TransformJobReading, TransformSpec } from '../activities/flink-job';
import type { SchemaActivities } from '../activities/schema';
import type { StreamBackActivities } from '../activities/stream-back';
import type { TaskActivities } from '../activities/tasks';
import type { TransformActivities } from '../activities/transform';
import type { UploadedJarActivities } from '../activities/uploaded-jars';
import type { PreparedTransformUpdate } from '../activities/transform';
import type { VersionActivities } from '../activities/versions';
import type { ConfigRollbackInput } from '../src/domain/config-version';
import { DfError } from '../src/domain/errors';
import { SAVEPOINT_WAY_OUT } from '../src/domain/savepoint-refusal';
import { streamBackTopic } from '../src/domain/stream-back';
import { workflowIds } from '../src/protocol/workflow-ids';
import type { SavepointRecord, StringMap, Task } from '../src/domain/task';
import type { TaskListQuery, TaskPage } from '../src/domain/task-query';
import type {
  TransformDeleteInput,
  TransformKind,
  TransformUpdateInput,
  UpgradeMode,
} from '../src/domain/transform-input';
import { COMPENSATION, RAS_CALL } from './activity-options';
import { workflowFailure, messageOf, payloadOf } from '../src/protocol/failure-codec';
import { streamBack } from './stream-back';
import { runOperation } from './operation';
import { afterRunningAdd } from './task-lock';
import { tagRun } from './run-tags';
import { keepVersion, type Versioning } from './config-versions';

type Acts = FlinkJobActivities &
  TransformActivities &
  TaskActivities &
  StreamBackActivities &
  UploadedJarActivities &
  VersionActivities &
  Pick<SchemaActivities, 'ensureTopic' | 'deleteTopic'>;
const act = proxyActivities<Acts>(RAS_CALL);
const undo = proxyActivities<Acts>(COMPENSATION);
/** Planning and submitting through the gateway compiles the job: allow it minutes, not seconds. */
const flinkSubmit = proxyActivities<Acts>({ ...RAS_CALL, startToCloseTimeout: '3 minutes' });

const BATCH: TransformKind = 'TRANSFORM_BATCH_FLINK_SQL';

/**
 * A SQLA2A add or update creates a topic_out Kafka does not have, as an activity between Flink's
 * check and the record. Old branch: runs started before it, whose spec never asked for a topic
 * (their resolve refused a missing topic_out); no committed fixture records one.
 */
export const CREATE_TOPIC_OUT_PATCH = 'df-create-topic-out';

/** Creates the topic_out the spec found missing; answers its name when this run created it. */
async function createTopicOut(spec: TransformSpec): Promise<string | undefined> {
  const wanted = spec.createTopicOut;
  if (!wanted || !patched(CREATE_TOPIC_OUT_PATCH)) return undefined;
  // Without a replication factor: DF's own (DF_TOPIC_REPLICATION).
  const { created } = await act.ensureTopic(wanted.topic, wanted.partitions);
  return created ? wanted.topic : undefined;
}

/** Deletes a topic_out this run created, when the operation does not go through. */
async function dropCreatedTopic(topic: string | undefined): Promise<void> {
  if (topic) await undo.deleteTopic(topic);
}

/** What the task's jobConfig says about a topic_out the operation created. */
function topicOutNote(topic: string | undefined): StringMap {
  return topic ? { topic_out_created: 'true' } : {};
}

/** A fresh Flink job id: the workflow's replay-safe uuid4 is 32 hex digits without its dashes. */
function newJobId(): string {
  return uuid4().replace(/-/g, '');
}

/** How long an operation watches a new job come up before reporting the state it sees. */
const SETTLE_POLLS = 60;
const SETTLE_INTERVAL = '500 milliseconds';

/** A start that went wrong: the job failed, keeps restarting, or runs with a failed vertex. */
function failedStart(reading: TransformJobReading): boolean {
  return ['FAILED', 'RESTARTING', 'RWE', 'CANCELED', 'LOST'].includes(reading.status);
}

/** Watches a new job until it runs (or finishes, for a batch job), fails, or the watch ends. */
async function settleJob(jobId: string): Promise<TransformJobReading> {
  let reading = await act.readTransformJob(jobId);
  for (let i = 1; i < SETTLE_POLLS && reading.status === 'UNASSIGNED'; i++) {
    await sleep(SETTLE_INTERVAL);
    reading = await act.readTransformJob(jobId);
  }
  return reading;
}

/** Waits (durably) until a job has ended, e.g. after a cancel. */
async function awaitJobEnd(jobId: string): Promise<void> {
  for (let i = 0; i < 120 && !(await act.readTransformJob(jobId)).terminal; i++) await sleep('500 milliseconds');
}

/** Takes a savepoint (stopping the job, or not) and waits for its path. */
async function takeSavepoint(jobId: string, stop: boolean): Promise<string> {
  const trigger = newJobId();
  if (stop) await act.stopJobWithSavepoint(jobId, trigger);
  else await act.triggerJobSavepoint(jobId, trigger);
  let wait = 250;
  for (let i = 0; i < 200; i++) {
    const progress = await act.savepointProgress(jobId, trigger);
    if (progress.done) {
      // The savepoint completes a moment before the stopped job reaches FINISHED.
      if (stop) await awaitJobEnd(jobId);
      return progress.path;
    }
    await sleep(wait);
    wait = Math.min(wait * 2, 5000);
  }
  throw workflowFailure(
    new DfError('TIMEOUT', `Flink did not finish the savepoint of job ${jobId}`, { details: { jobId } }),
  );
}

function savepointRecord(path: string, jobId: string, reason: SavepointRecord['reason']): SavepointRecord {
  return { path, jobId, takenAt: new Date().toISOString(), reason };
}

/** The task's jobConfig for a job: its id and what was resolved to run it (so a resubmission runs the same). */
function jobConfigOf(spec: TransformSpec, jobId: string, extra: StringMap = {}): StringMap {
  return { flink_job_id: jobId, source_columns: JSON.stringify(spec.sourceColumns), ...extra };
}

function specOfTask(task: Task, kind: TransformKind): TransformSpec {
  return {
    taskId: task.id,
    kind,
    config: task.connectorConfig,
    sourceColumns: JSON.parse(task.jobConfig?.source_columns ?? '{}'),
  };
}

async function watchBatch(taskId: string, jobId: string, resultPath: string): Promise<void> {
  await startChild(transformBatchWatch, {
    workflowId: `df-transform-batch-${taskId}-${jobId}`,
    args: [{ id: taskId, jobId, resultPath }],
    parentClosePolicy: ParentClosePolicy.ABANDON,
  });
}

/**
 * transformAdd: resolve and check the transform with Flink (nothing runs yet: bad SQL, an unknown
 * input topic or a missing jar is refused here), create a SQLA2A's missing topic_out, record it
 * UNASSIGNED with its job id, submit the job, record the state it reaches. A batch job is then
 * watched by transformBatchWatch to its end. If submitting fails, the record is removed (and a
 * half-submitted job cancelled, a topic_out this run created deleted).
 *
 * Input: the POST /api/df/tr body (or the same JSON given to `temporal workflow start --input`).
 */
export async function transformAdd(request: unknown): Promise<Task> {
  const input = await act.prepareTransformAdd(request);
  tagRun({ category: 'TRANSFORM', taskId: input.id, summary: `add transform ${input.id} (${input.connectorType})` });
  return runOperation(input.id, async () => {
    const spec = await act.resolveTransformSpec(input.id, input.connectorType, input.connectorConfig);
    await flinkSubmit.checkTransformJob(spec);
    const jobId = newJobId();
    const createdTopic = await createTopicOut(spec);
    let task: Task;
    try {
      task = await act.insertTransformTask(input, jobConfigOf(spec, jobId, topicOutNote(createdTopic)));
    } catch (error) {
      await dropCreatedTopic(createdTopic);
      throw error;
    }
    try {
      const submitted = await flinkSubmit.submitTransformJob(spec, jobId);
      if (submitted.resultPath) {
        task = await act.recordTaskJob(
          input.id,
          jobConfigOf(spec, jobId, {
            result_path: submitted.resultPath,
            result_columns: JSON.stringify(submitted.resultColumns ?? []),
          }),
        );
        await watchBatch(input.id, jobId, submitted.resultPath);
      }
      await keepVersion(act, {
        taskId: input.id,
        category: 'TRANSFORM',
        operation: 'add',
        connectorType: input.connectorType,
        connectorConfig: input.connectorConfig,
      });
    } catch (error) {
      await undo.cancelJob(jobId);
      await undo.removeTaskWrittenByThisOperation(input.id);
      await dropCreatedTopic(createdTopic);
      throw error;
    }
    const reading = await settleJob(jobId);
    // The batch watcher records the end of a batch job; recording here too could undo its FINISHED.
    if (input.connectorType === BATCH && reading.terminal) return task;
    return (await act.recordTaskStatus(input.id, reading)) ?? task;
  });
}

export interface TransformBatchWatchInput {
  id: string;
  jobId: string;
  resultPath: string;
}

/**
 * transformBatchWatch: follows a batch transform's job to its end with durable timers; when it
 * finishes, counts the result rows and records where they are. Stops quietly if the task has moved
 * on to another job (updated or deleted meanwhile).
 */
export async function transformBatchWatch(input: TransformBatchWatchInput): Promise<{ status: string; rows?: number }> {
  tagRun({
    category: 'TRANSFORM',
    taskId: input.id,
    summary: `follow batch job ${input.jobId} of transform ${input.id}`,
  });
  let wait = 1000;
  let reading = await act.readTransformJob(input.jobId);
  while (!reading.terminal) {
    await sleep(wait);
    wait = Math.min(wait * 2, 30000);
    reading = await act.readTransformJob(input.jobId);
  }
  const rows = reading.status === 'FINISHED' ? await flinkSubmit.countResultRows(input.resultPath) : undefined;
  const { task } = await act.getTransformTask(input.id);
  if (task.jobConfig?.flink_job_id !== input.jobId) return { status: 'SUPERSEDED' };
  if (rows !== undefined) {
    await act.recordTaskJob(input.id, { ...task.jobConfig, result_rows: String(rows) });
    if (streamBackTopic(task.connectorConfig)) {
      // The stream back records STREAMING, then FINISHED (or FAILED) itself.
      await startChild(streamBack, {
        workflowId: workflowIds.streamBack(input.id, input.jobId),
        args: [{ id: input.id, jobId: input.jobId, resultPath: input.resultPath }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
      return { status: 'STREAMING', rows };
    }
    await act.recordTaskStatus(input.id, { status: 'FINISHED', reason: `${rows} rows at ${input.resultPath}` });
  } else {
    await act.recordTaskStatus(input.id, reading);
  }
  return { status: reading.status, ...(rows !== undefined ? { rows } : {}) };
}

/**
 * transformUpdate: a changed config replaces the job. The new version is checked by Flink first
 * (bad SQL never touches the running job); then the old job stops with a savepoint (or is cancelled,
 * upgradeMode stateless), the new one starts from it (on a topic_out created for it when Kafka
 * lacks it). If the new version fails to start, the old version is resubmitted from the same
 * savepoint, a topic_out created for the new one deleted, and the update reported as failed.
 */
export async function transformUpdate(input: TransformUpdateInput): Promise<Task> {
  tagRun({ category: 'TRANSFORM', taskId: input.id, summary: `update transform ${input.id}` });
  return runOperation(input.id, async () =>
    applyTransformUpdate(await act.prepareTransformUpdate(input), input.upgradeMode, { operation: 'update' }),
  );
}

/**
 * transformRollback: applies a kept version's config again, as an update that gives the whole
 * config: checked by Flink first (a version that no longer plans is refused with Flink's reason,
 * the running job untouched), the job moved over a savepoint, the previous job resubmitted if the
 * restored one fails to start; kept as a new version. An unknown version is refused with 404.
 */
export async function transformRollback(input: ConfigRollbackInput): Promise<Task> {
  tagRun({
    category: 'TRANSFORM',
    taskId: input.id,
    summary: `roll back transform ${input.id} to version ${input.version}`,
  });
  return runOperation(input.id, async () => {
    const restored = await act.versionToRollBackTo(input, 'TRANSFORM');
    const prepared = await act.prepareTransformUpdate({
      id: input.id,
      connectorConfig: restored.connectorConfig,
      ...(input.expectedRevision !== undefined ? { expectedRevision: input.expectedRevision } : {}),
      ...(input.upgradeMode ? { upgradeMode: input.upgradeMode } : {}),
    });
    return applyTransformUpdate(prepared, input.upgradeMode, {
      operation: 'rollback',
      restoredVersion: restored.version,
    });
  });
}

/** The steps of an update once it is worked out: Flink's check, the savepoint, the new job, the record. */
async function applyTransformUpdate(
  { task, kind, edit, newConfig }: PreparedTransformUpdate,
  upgradeMode: UpgradeMode | undefined,
  versioning: Versioning,
): Promise<Task> {
  const version = (config: StringMap) =>
    keepVersion(act, {
      taskId: task.id,
      category: 'TRANSFORM',
      connectorType: task.connectorType,
      connectorConfig: config,
      ...versioning,
    });
  if (!newConfig) {
    const edited = Object.keys(edit).length > 0 ? await act.editTask(task.id, edit, task.revision) : task;
    // A rollback to the config the job runs already changes nothing, yet is kept: it was asked for.
    if (versioning.operation === 'rollback') await version(task.connectorConfig);
    return edited;
  }
  const oldSpec = specOfTask(task, kind);
  const newSpec = await act.resolveTransformSpec(task.id, kind, newConfig);
  await flinkSubmit.checkTransformJob(newSpec);
  // Before the old job stops: a topic Kafka refuses to create leaves it running.
  const createdTopic = await createTopicOut(newSpec);

  const oldJobId = task.jobConfig?.flink_job_id;
  const stateless = kind === BATCH || upgradeMode === 'stateless';
  let savepoint: string | undefined;
  try {
    if (oldJobId && !(await act.readTransformJob(oldJobId)).terminal) {
      if (stateless) {
        await act.cancelJob(oldJobId);
        await awaitJobEnd(oldJobId);
      } else {
        savepoint = await takeSavepoint(oldJobId, true);
        await act.addTaskSavepoint(task.id, savepointRecord(savepoint, oldJobId, 'update'));
      }
    }
  } catch (error) {
    await dropCreatedTopic(createdTopic);
    throw error;
  }
  const restored: StringMap = savepoint ? { savepoint_path: savepoint, restored_from: savepoint } : {};
  const previous: StringMap = oldJobId ? { previous_flink_job_id: oldJobId } : {};

  const jobId = newJobId();
  let failure: unknown;
  let reading: TransformJobReading | undefined;
  let resultPath: string | undefined;
  try {
    const submitted = await flinkSubmit.submitTransformJob(newSpec, jobId, savepoint);
    resultPath = submitted.resultPath;
    reading = await settleJob(jobId);
    if (failedStart(reading)) failure = new Error(reading.reason ?? `the new job is ${reading.status}`);
  } catch (error) {
    failure = error;
  }
  if (failure === undefined && reading) {
    const batchResult: StringMap = resultPath ? { result_path: resultPath } : {};
    const updated = await act.editTask(
      task.id,
      {
        ...edit,
        jobConfig: jobConfigOf(newSpec, jobId, {
          ...restored,
          ...previous,
          ...batchResult,
          ...topicOutNote(createdTopic),
        }),
      },
      task.revision,
    );
    await version(newConfig);
    if (resultPath) await watchBatch(task.id, jobId, resultPath);
    if (kind === BATCH && reading.terminal) return updated;
    return (await act.recordTaskStatus(task.id, reading)) ?? updated;
  }

  // Roll back: the previous version again, from the same savepoint.
  await undo.cancelJob(jobId);
  await dropCreatedTopic(createdTopic);
  const rollbackJobId = newJobId();
  await flinkSubmit.submitTransformJob(oldSpec, rollbackJobId, savepoint);
  await act.recordTaskJob(task.id, jobConfigOf(oldSpec, rollbackJobId, { ...restored, previous_flink_job_id: jobId }));
  await act.recordTaskStatus(task.id, await settleJob(rollbackJobId));
  const cause = payloadOf(failure);
  throw workflowFailure(
    new DfError(
      cause?.code ?? 'VALIDATION_FAILED',
      `${versioning.operation} of ${task.id} failed: ${messageOf(failure)}; rolled back to the previous version (job ${rollbackJobId}${savepoint ? `, restored from ${savepoint}` : ''})`,
      {
        httpStatus: cause?.httpStatus ?? 400,
        details: {
          id: task.id,
          failedJobId: jobId,
          rollbackJobId,
          ...(savepoint ? { savepoint } : {}),
          cause: cause?.details,
        },
      },
    ),
  );
}

export interface TransformDeleteResult {
  id: string;
  deleted: true;
  /** The job's final savepoint, when it was stopped with one. */
  savepoint?: string;
  /** False when Flink no longer knew the job (a restart without HA, or removed by hand). */
  jobExisted: boolean;
}

/**
 * transformDelete: stop the job (with a savepoint by default; mode cancel cancels), then remove the
 * task. An add of the task still running goes first, so its job is stopped too.
 */
export async function transformDelete(input: TransformDeleteInput): Promise<TransformDeleteResult> {
  tagRun({ category: 'TRANSFORM', taskId: input.id, summary: `delete transform ${input.id}` });
  await afterRunningAdd(input.id, 'TRANSFORM');
  return runOperation(input.id, async () => {
    const { task, kind } = await act.getTransformTask(input.id);
    const jobId = task.jobConfig?.flink_job_id;
    let savepoint: string | undefined;
    let jobExisted = false;
    if (jobId) {
      const reading = await act.readTransformJob(jobId);
      jobExisted = reading.status !== 'LOST';
      if (!reading.terminal) {
        // Batch jobs take no savepoints: they are cancelled.
        if (input.mode === 'cancel' || kind === BATCH) {
          await act.cancelJob(jobId);
          await awaitJobEnd(jobId);
        } else {
          savepoint = await takeSavepoint(jobId, true);
        }
      }
    }
    // A stream back under way loses its connector with the task: no orphan in Kafka Connect.
    if (streamBackTopic(task.connectorConfig)) await act.deleteStreamBackConnector(task.id);
    await act.removeTask(task.id);
    return { id: task.id, deleted: true, jobExisted, ...(savepoint ? { savepoint } : {}) };
  });
}

/** transformSavepoint: takes a savepoint of the running job, leaving it running, and records it. */
export async function transformSavepoint(input: { id: string }): Promise<SavepointRecord> {
  tagRun({ category: 'TRANSFORM', taskId: input.id, summary: `savepoint of transform ${input.id}` });
  return runOperation(input.id, async () => {
    const { task } = await act.getTransformTask(input.id);
    const jobId = task.jobConfig?.flink_job_id;
    const reading = jobId ? await act.readTransformJob(jobId) : undefined;
    if (!jobId || !reading || reading.status !== 'RUNNING') {
      const reason = reading?.reason?.slice(0, 600);
      throw workflowFailure(
        new DfError(
          'CONFLICT',
          `transform ${task.id} has no running job to take a savepoint of (status ${reading?.status ?? task.status}${reason ? `: ${reason}` : ''})`,
          {
            details: {
              id: task.id,
              status: reading?.status ?? task.status,
              ...(reason ? { reason } : {}),
              hint: SAVEPOINT_WAY_OUT,
            },
          },
        ),
      );
    }
    const record = savepointRecord(await takeSavepoint(jobId, false), jobId, 'manual');
    await act.addTaskSavepoint(task.id, record);
    await act.recordTaskJob(task.id, { ...task.jobConfig, savepoint_path: record.path });
    return record;
  });
}

export interface TransformRestartInput {
  id: string;
  /** The failed job: if the task runs another one by now (updated meanwhile), nothing is done. */
  jobId: string;
}

/**
 * transformRestart: the auto-restart of a transform whose Flink job failed (started by the status
 * sync). The same spec runs again as a new job; streaming sources resume from the offsets the
 * failed job committed at its checkpoints.
 */
export async function transformRestart(input: TransformRestartInput): Promise<{ status: string; jobId?: string }> {
  tagRun({ category: 'TRANSFORM', taskId: input.id, summary: `auto-restart transform ${input.id}` });
  return runOperation(input.id, async () => {
    const { task, kind } = await act.getTransformTask(input.id);
    if (!kind || task.jobConfig?.flink_job_id !== input.jobId) return { status: 'SUPERSEDED' };
    const spec = specOfTask(task, kind);
    const jobId = newJobId();
    const submitted = await flinkSubmit.submitTransformJob(spec, jobId);
    const batchResult: StringMap = submitted.resultPath
      ? { result_path: submitted.resultPath, result_columns: JSON.stringify(submitted.resultColumns ?? []) }
      : {};
    await act.recordTaskJob(task.id, jobConfigOf(spec, jobId, { ...batchResult, previous_flink_job_id: input.jobId }));
    if (submitted.resultPath) await watchBatch(task.id, jobId, submitted.resultPath);
    const reading = await settleJob(jobId);
    if (!(kind === BATCH && reading.terminal)) await act.recordTaskStatus(task.id, reading);
    return { status: reading.status, jobId };
  });
}

/** transformList: a page of transforms from the repository (the API reads the same page directly). */
export async function transformList(query: Partial<TaskListQuery> = {}): Promise<TaskPage<Task>> {
  tagRun({ category: 'TRANSFORM', summary: 'list transforms' });
  return act.listTasks({ ...query, category: 'TRANSFORM' });
}

/** jarUpload: hands a jar DF stored (POST /uploaded_files) to Flink; answers Flink's jar id. */
export async function jarUpload(input: { storedName: string }): Promise<{ jarId: string }> {
  tagRun({ category: 'TRANSFORM', summary: `upload jar ${input.storedName} to Flink` });
  return act.uploadJarToFlink(input.storedName);
}

/**
 * jarDelete: removes an uploaded jar from Flink and DF's copy of it. Refused (409) while a JAR
 * transform names it, since resubmitting that transform needs the jar; 404 when neither has it.
 */
export async function jarDelete(input: {
  storedName: string;
}): Promise<{ deleted: true; name: string; flinkJarIds: string[] }> {
  tagRun({ category: 'TRANSFORM', summary: `delete uploaded jar ${input.storedName}` });
  const found = await act.findUploadedJar(input.storedName);
  if (!found.kept && found.flinkJarIds.length === 0) {
    throw workflowFailure(
      new DfError('NOT_FOUND', `no uploaded jar ${input.storedName}`, { details: { jarId: input.storedName } }),
    );
  }
  const removed = await act.removeUploadedJar(input.storedName);
  return {
    deleted: true,
    name: input.storedName,
    flinkJarIds: [...new Set([...found.flinkJarIds, ...removed.flinkJarIds])],
  };
}
