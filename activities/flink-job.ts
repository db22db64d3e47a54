import { openAsBlob } from 'node:fs';
import path from 'node:path';
import type { TransformSettings } from '../src/config';
import { engineMessage } from '../src/domain/engine-message';
import { DfError, isDfError } from '../src/domain/errors';
import {
  columnsOfAvroRecord,
  columnsOfDescribe,
  DescribedColumn,
  explainStatement,
  jobStatement,
  quoteIdent,
  withOptions,
} from '../src/domain/flink-sql';
import { dfStatusOfFlinkJob, FLINK_TERMINAL_STATES, LOST_IN_FLINK } from '../src/domain/flink-status';
import { SAVEPOINT_WAY_OUT, savepointFailureReason } from '../src/domain/savepoint-refusal';
import type { StatusReading } from '../src/domain/status';
import type { StringMap } from '../src/domain/task';
import { requireTransformKind, type TransformKind } from '../src/domain/transform-input';
import { FlinkDataEnv, planSqlJob, SqlJobPlan, topicsOf } from '../src/domain/transform-plan';
import { sqlProblemOf, type SqlPosition } from '../src/domain/sql-position';
import { isStoredJarName, storedJarName } from '../src/domain/uploaded-jar';
import { validationError } from '../src/domain/validation';
import type { FlinkClient, FlinkJar } from '../src/ras/flink';
import { readKafkaTls, type KafkaAdmin } from '../src/ras/kafka';
import type { RegisteredSchema, SchemaRegistryClient } from '../src/ras/schema-registry';
import type { SqlGatewayClient } from '../src/ras/sql-gateway';

export interface FlinkJobDeps {
  flink: FlinkClient;
  sqlGateway: SqlGatewayClient;
  schemaRegistry: SchemaRegistryClient;
  kafka: KafkaAdmin;
  transformSettings: TransformSettings;
}

/**
 * What a transform runs, resolved once (input topics' columns looked up) and kept in the task's
 * jobConfig, so a resubmission (restart, rollback) runs exactly the same job.
 */
export interface TransformSpec {
  taskId: string;
  kind: TransformKind;
  config: StringMap;
  sourceColumns: Record<string, string>;
  /** SQLA2A: topic_out does not exist yet, and the operation creates it before the job starts. */
  createTopicOut?: { topic: string; partitions: number };
}

/** A job submitted for a transform; batch jobs say where their result set goes. */
export interface SubmittedJob {
  jobId: string;
  /** False when the job was there already: a retry of a submission that got through. */
  submitted: boolean;
  resultPath?: string;
  resultColumns?: DescribedColumn[];
}

export interface TransformJobReading extends StatusReading {
  /** Flink's own state, when Flink knows the job. */
  state?: string;
  terminal: boolean;
}

export type SavepointProgress = { done: false } | { done: true; path: string };

const SQL_KINDS: TransformKind[] = [
  'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
  'TRANSFORM_EXCHANGE_FLINK_SQL',
  'TRANSFORM_BATCH_FLINK_SQL',
];

/** Flink job ids are 32 hex digits; DF's come from the workflow's replay-safe uuid4. */
const JOB_ID = /^[0-9a-f]{32}$/;

/** Program arguments as a shell would split them: whitespace, with '…' and "…" keeping spaces. */
export function programArgs(text: string | undefined): string[] {
  const args: string[] = [];
  for (const m of (text ?? '').matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) args.push(m[1] ?? m[2] ?? m[3]);
  return args;
}

/**
 * A statement Flink refused, as the plan check answers it: the problem placed in the user's SQL
 * (trans_sql; a refused input table is about columns_in, which the SQL area does not show).
 */
function sqlRefusal(statement: string, error: unknown, config: StringMap): unknown {
  if (!isDfError(error) || error.code !== 'VALIDATION_FAILED') return error;
  const details = (error.details ?? {}) as { rasMessage?: unknown; position?: SqlPosition; fields?: object };
  if (typeof details.rasMessage !== 'string') return error;
  const field = Object.keys(details.fields ?? {})[0] ?? 'connectorConfig.trans_sql';
  const userSql = field === 'connectorConfig.trans_sql' ? (config.trans_sql ?? '') : '';
  const problem = sqlProblemOf({ statement, message: details.rasMessage, position: details.position }, userSql);
  const where = problem.line === undefined ? '' : ` (line ${problem.line}, column ${problem.column})`;
  return new DfError('VALIDATION_FAILED', `Flink refused the SQL: ${problem.message}${where}`, {
    details: { ras: 'flink-sql-gateway', fields: { [field]: [problem.message] }, problems: [{ field, ...problem }] },
  });
}

/** Activities over Flink (REST and SQL Gateway) for the transform sequences: each a small idempotent step. */
export function createFlinkJobActivities({
  flink,
  sqlGateway,
  schemaRegistry,
  kafka,
  transformSettings,
}: FlinkJobDeps) {
  /** Read per plan: the TLS files' current contents go into the DDL, so a rotated certificate is taken at the next submission. */
  function dataEnv(): FlinkDataEnv {
    const security = transformSettings.kafkaSecurity;
    return {
      kafkaBrokers: transformSettings.flinkKafkaBrokers,
      schemaRegistryUrl: transformSettings.flinkSchemaRegistryUrl,
      ...(security.protocol === 'PLAINTEXT' ? {} : { kafka: { security, tls: readKafkaTls(security.tls) } }),
      ...(transformSettings.flinkRegistryAccess ? { registry: transformSettings.flinkRegistryAccess } : {}),
    };
  }

  function resultPathOf(taskId: string, jobId: string): string {
    return `file://${path.join(transformSettings.resultDir, taskId, jobId)}`;
  }

  /** Runs body in a fresh gateway session, closed however body ends (sessions hold gateway memory). */
  async function inSession<T>(properties: StringMap, body: (session: string) => Promise<T>): Promise<T> {
    const session = await sqlGateway.openSession(properties);
    try {
      return await body(session);
    } finally {
      await sqlGateway.closeSession(session).catch(() => undefined);
    }
  }

  /** Runs a plan in a fresh session: declares, then either plans the INSERTs (explain) or submits them. */
  function runPlan(
    plan: SqlJobPlan,
    properties: StringMap,
    mode: 'explain' | 'submit',
    /** What a refused statement throws instead of the gateway's error (the plan check places it in the user's SQL). */
    refused: (statement: string, error: unknown) => unknown = (_, error) => error,
  ): Promise<{ jobId?: string; columns?: DescribedColumn[] }> {
    return inSession({ ...plan.config, ...properties }, async (session) => {
      const run = async (statement: string, options?: Parameters<SqlGatewayClient['run']>[2]) => {
        try {
          return await sqlGateway.run(session, statement, options);
        } catch (error) {
          throw refused(statement, error);
        }
      };
      for (const [i, statement] of plan.declarations.entries()) {
        // A refused input table is about its columns; anything else about the SQL the user wrote.
        const field = i < plan.sourceTableCount ? 'connectorConfig.columns_in' : 'connectorConfig.trans_sql';
        await run(statement, { field });
      }
      let columns: DescribedColumn[] | undefined;
      if (plan.sink) {
        const described = await run(`DESCRIBE ${quoteIdent(plan.sink.view)}`);
        columns = described.rows.map((r) => ({ name: String(r[0]), type: String(r[1]), nullable: r[2] !== false }));
        await run(
          `CREATE TEMPORARY TABLE ${quoteIdent(plan.sink.table)} (${columnsOfDescribe(columns)}) WITH (${withOptions(plan.sink.options)})`,
        );
      }
      if (mode === 'explain') {
        await run(explainStatement(plan.inserts));
        return { columns };
      }
      const outcome = await run(jobStatement(plan.inserts), { timeoutMs: 120000 });
      if (!outcome.jobId)
        throw new DfError('RAS_SERVER_ERROR', 'flink-sql-gateway ran the INSERT but answered no job id');
      return { jobId: outcome.jobId, columns };
    });
  }

  /** The jar in Flink for a reference (jar id or DF's stored name); uploaded again from DF's copy if Flink lost it. */
  async function flinkJar(jarRef: string): Promise<FlinkJar | { id: string }> {
    const name = storedJarName(jarRef);
    const jars = await flink.jars();
    const found = jars.find((j) => j.id === jarRef) ?? jars.find((j) => j.name === name);
    if (found) return found;
    let content: Blob;
    try {
      // A reference that is no stored name never becomes a path: it could point out of the directory.
      if (!isStoredJarName(name)) throw new Error('not a stored jar name');
      // Streamed from disk as Flink takes it: a 100 MiB jar is never held in memory.
      content = await openAsBlob(path.join(transformSettings.uploadDir, name), { type: 'application/x-java-archive' });
    } catch {
      throw validationError(
        `no uploaded jar ${jarRef}: Flink does not have it and DF kept no copy; upload it with POST /api/df/uploaded_files`,
        {
          'connectorConfig.trans_jar': ['no such uploaded jar'],
        },
      );
    }
    return { id: await flink.uploadJar(name, content) };
  }

  function jarRequest(config: StringMap) {
    return {
      ...(config.trans_jar_class ? { entryClass: config.trans_jar_class } : {}),
      programArgsList: programArgs(config.trans_jar_para),
      ...(config.parallelism ? { parallelism: Number(config.parallelism) } : {}),
    };
  }

  function planOf(spec: TransformSpec, resultPath?: string): SqlJobPlan {
    return planSqlJob(spec.kind, spec.config, {
      taskId: spec.taskId,
      env: dataEnv(),
      sourceColumns: spec.sourceColumns,
      resultPath,
    });
  }

  /**
   * The registered schema an input topic's columns come from: `<topic>-value` (the registry's
   * naming for a topic's values), else `<topic>` (the subject POST /schema registers, as the
   * original DataFibers did).
   */
  async function valueSchemaOf(topic: string): Promise<RegisteredSchema | undefined> {
    return (await schemaRegistry.version(`${topic}-value`)) ?? (await schemaRegistry.version(topic));
  }

  /** The input topics' columns: columns_in when given, else the topic's registered Avro value schema. */
  async function sourceColumnsOf(config: StringMap): Promise<Record<string, string>> {
    const columns: Record<string, string> = {};
    for (const topic of topicsOf(config)) {
      if (config.columns_in) {
        columns[topic] = config.columns_in;
        continue;
      }
      const registered = await valueSchemaOf(topic);
      if (!registered) {
        throw validationError(
          `no schema registered for ${topic}-value or ${topic}: give columns_in (e.g. "id STRING, amount INT")`,
          {
            'connectorConfig.columns_in': [`required: ${topic} has no registered value schema`],
          },
        );
      }
      if (registered.schemaType && registered.schemaType !== 'AVRO') {
        throw validationError(`${registered.subject} holds a ${registered.schemaType} schema; give columns_in`, {
          'connectorConfig.columns_in': ['required for non-Avro schemas'],
        });
      }
      columns[topic] = columnsOfAvroRecord(JSON.parse(registered.schema), topic);
    }
    return columns;
  }

  /** Each input topic's partition count; a topic Kafka does not have is bad input. */
  async function inputPartitions(config: StringMap): Promise<number[]> {
    const counts: number[] = [];
    for (const topic of topicsOf(config)) {
      const count = await kafka.partitionCount(topic);
      if (count === undefined) {
        throw validationError(`unknown topic ${topic}: Kafka has no such topic`, {
          'connectorConfig.topic_in': [`no topic ${topic}`],
        });
      }
      counts.push(count);
    }
    return counts;
  }

  /**
   * SQLA2A's output topic: nothing to do when it exists; else created by the add (as many
   * partitions as the first input topic), unless create_topic_out is false.
   */
  async function topicOutToCreate(
    config: StringMap,
    partitions: number[],
  ): Promise<TransformSpec['createTopicOut'] | undefined> {
    const topic = config.topic_out;
    if ((await kafka.partitionCount(topic)) !== undefined) return undefined;
    if (config.create_topic_out === 'false') {
      throw validationError(
        `unknown topic ${topic}: create it first (POST /api/df/schema creates a subject's topic), or leave create_topic_out unset so the transform creates it`,
        {
          'connectorConfig.topic_out': [`no topic ${topic}`],
        },
      );
    }
    return { topic, partitions: partitions[0] ?? 1 };
  }

  /** Resolves what a transform runs (topics checked, columns looked up, jar found) without running anything. */
  async function resolveSpec(taskId: string, connectorType: string, config: StringMap): Promise<TransformSpec> {
    // A transform created under an original type name (TRANSFORM_EXCHANGE_FLINK_UDF) runs as its DF kind.
    const kind = requireTransformKind(connectorType);
    const partitions = await inputPartitions(config);
    const createTopicOut =
      kind === 'TRANSFORM_EXCHANGE_FLINK_SQLA2A' ? await topicOutToCreate(config, partitions) : undefined;
    if (kind === 'TRANSFORM_EXCHANGE_FLINK_JAR') await flinkJar(config.trans_jar);
    return {
      taskId,
      kind,
      config,
      sourceColumns: await sourceColumnsOf(config),
      ...(createTopicOut ? { createTopicOut } : {}),
    };
  }

  return {
    /** Resolves what a transform runs (topics checked, columns looked up, jar found) without running anything. */
    async resolveTransformSpec(taskId: string, connectorType: string, config: StringMap): Promise<TransformSpec> {
      return resolveSpec(taskId, connectorType, config);
    },

    /**
     * Has Flink plan a transform's SQL the way its add would (the same declarations, EXPLAINed in a
     * throwaway session) and refuses it with each problem placed in the user's SQL. Nothing is
     * created: no topic, no job, and a jar, which has no SQL, is not handed to Flink.
     */
    async checkTransformPlan(taskId: string, connectorType: string, config: StringMap): Promise<void> {
      if (requireTransformKind(connectorType) === 'TRANSFORM_EXCHANGE_FLINK_JAR') return;
      const spec = await resolveSpec(taskId, connectorType, config);
      await runPlan(planOf(spec, resultPathOf(taskId, 'check')), {}, 'explain', (statement, error) =>
        sqlRefusal(statement, error, config),
      );
    },

    /**
     * Has Flink check the transform without running it: the SQL is declared and EXPLAINed in a
     * throwaway session; a jar's job graph is built (its class found, its main run to the plan).
     */
    async checkTransformJob(spec: TransformSpec): Promise<void> {
      if (SQL_KINDS.includes(spec.kind)) {
        await runPlan(planOf(spec, resultPathOf(spec.taskId, 'check')), {}, 'explain');
        return;
      }
      const jar = await flinkJar(spec.config.trans_jar);
      try {
        await flink.planJar(jar.id, jarRequest(spec.config));
      } catch (error) {
        if (isDfError(error) && error.httpStatus < 500) {
          const why = engineMessage(error.message) ?? 'no reason given';
          throw validationError(`Flink cannot build a job from jar ${spec.config.trans_jar}: ${why}`, {
            'connectorConfig.trans_jar_class': [why],
          });
        }
        throw error;
      }
    },

    /**
     * Submits the transform's job under the given id. The id makes a retry safe: a job already
     * there under it is this very submission, answered instead of a second job.
     */
    async submitTransformJob(spec: TransformSpec, jobId: string, restoreFrom?: string): Promise<SubmittedJob> {
      if (!JOB_ID.test(jobId)) throw new DfError('INTERNAL', `not a Flink job id: ${jobId}`);
      const batch = spec.kind === 'TRANSFORM_BATCH_FLINK_SQL';
      const resultPath = batch ? resultPathOf(spec.taskId, jobId) : undefined;
      if (await flink.job(jobId)) return { jobId, submitted: false, ...(resultPath ? { resultPath } : {}) };
      if (spec.kind === 'TRANSFORM_EXCHANGE_FLINK_JAR') {
        const jar = await flinkJar(spec.config.trans_jar);
        await flink.runJar(jar.id, {
          ...jarRequest(spec.config),
          jobId,
          ...(restoreFrom ? { savepointPath: restoreFrom, allowNonRestoredState: true } : {}),
        });
        return { jobId, submitted: true };
      }
      const properties: StringMap = { 'pipeline.name': `df-${spec.taskId}`, '$internal.pipeline.job-id': jobId };
      if (restoreFrom) {
        // A changed query rarely keeps every operator; what no operator claims is dropped, not fatal.
        properties['execution.state-recovery.path'] = restoreFrom;
        properties['execution.state-recovery.ignore-unclaimed-state'] = 'true';
      }
      const { columns } = await runPlan(planOf(spec, resultPath), properties, 'submit');
      return { jobId, submitted: true, ...(resultPath ? { resultPath, resultColumns: columns } : {}) };
    },

    /** The job's state as a DF status; a failed job's root exception is the reason. */
    async readTransformJob(jobId: string): Promise<TransformJobReading> {
      const job = await flink.job(jobId);
      if (!job) return { ...LOST_IN_FLINK, terminal: true };
      const failing = ['FAILED', 'FAILING', 'RESTARTING'].includes(job.state);
      const reading = dfStatusOfFlinkJob(job, failing ? await flink.rootException(jobId) : undefined);
      return { ...reading, state: job.state, terminal: FLINK_TERMINAL_STATES.has(job.state) };
    },

    /** Stops a running job with a savepoint (idempotent by trigger id); answers the trigger to poll. */
    async stopJobWithSavepoint(jobId: string, triggerId: string): Promise<string> {
      return flink.stopWithSavepoint(jobId, triggerId, transformSettings.savepointDir);
    },

    /** Takes a savepoint of a running job, leaving it running (idempotent by trigger id). */
    async triggerJobSavepoint(jobId: string, triggerId: string): Promise<string> {
      return flink.triggerSavepoint(jobId, triggerId, transformSettings.savepointDir);
    },

    /** Where a savepoint operation stands; a failed one is reported with Flink's reason, not retried. */
    async savepointProgress(jobId: string, triggerId: string): Promise<SavepointProgress> {
      const op = await flink.savepointOperation(jobId, triggerId);
      if (!op) throw new DfError('NOT_FOUND', `Flink has no savepoint operation ${triggerId} for job ${jobId}`);
      if (op.status.id !== 'COMPLETED') return { done: false };
      if (op.operation?.location) return { done: true, path: op.operation.location };
      const cause = op.operation?.['failure-cause'];
      const reason = savepointFailureReason(cause?.['stack-trace'], cause?.class);
      // A job failing over and over is the usual cause: its own failure tells the caller what to fix.
      const job = await flink.job(jobId);
      const failing = job && ['FAILING', 'RESTARTING', 'FAILED'].includes(job.state);
      const jobFailure = failing ? engineMessage(await flink.rootException(jobId)) : undefined;
      throw new DfError('CONFLICT', `Flink could not take the savepoint of job ${jobId}: ${reason}`, {
        details: {
          jobId,
          ras: 'flink',
          reason,
          ...(job ? { jobState: job.state } : {}),
          ...(jobFailure ? { jobFailure } : {}),
          hint: SAVEPOINT_WAY_OUT,
        },
      });
    },

    /** Cancels the job; one Flink does not know, or one already ended, counts as cancelled. */
    async cancelJob(jobId: string): Promise<{ existed: boolean }> {
      const job = await flink.job(jobId);
      if (!job) return { existed: false };
      if (!FLINK_TERMINAL_STATES.has(job.state)) await flink.cancel(jobId);
      return { existed: true };
    },

    /** Counts a finished batch job's result rows, with Flink reading back what it wrote. */
    async countResultRows(resultPath: string): Promise<number> {
      return inSession({ 'execution.runtime-mode': 'batch' }, async (session) => {
        // The rows are counted, not read: one nullable column is all the table needs.
        await sqlGateway.run(
          session,
          `CREATE TEMPORARY TABLE ${quoteIdent('__df_count')} (${quoteIdent('__any')} STRING) WITH (${withOptions({
            connector: 'filesystem',
            path: resultPath,
            format: 'json',
            'json.ignore-parse-errors': 'true',
          })})`,
        );
        const outcome = await sqlGateway.run(session, `SELECT COUNT(*) FROM ${quoteIdent('__df_count')}`, {
          timeoutMs: 120000,
        });
        return Number(outcome.rows[0]?.[0] ?? 0);
      });
    },

    /** Hands a jar DF stored to Flink; answers Flink's jar id. */
    async uploadJarToFlink(storedName: string): Promise<{ jarId: string }> {
      const jar = await flinkJar(storedName);
      return { jarId: jar.id };
    },
  };
}

export type FlinkJobActivities = ReturnType<typeof createFlinkJobActivities>;
