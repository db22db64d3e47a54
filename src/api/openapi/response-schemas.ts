import { z } from 'zod';
import { KEY_SPELLINGS } from '../../domain/config-spelling';
import { DF_STATUSES } from '../../domain/status';
import { STREAM_BACK_PHASES } from '../../domain/stream-back';
import { TASK_CATEGORIES } from '../../domain/task';
import type { Task } from '../../domain/task';
import type { ConnectorForm } from '../../domain/connector-fields';
import type { InstalledPlugin } from '../../domain/installed';
import type { SchemaRow } from '../../domain/schema';
import type { FieldChange } from '../../domain/avro-diff';
import { VERSION_OPERATIONS, type ConfigVersion } from '../../domain/config-version';
import type { KeyChange } from '../../domain/config-diff';
import type { StreamBackProgress } from '../../domain/stream-back';
import type { HealthReport } from '../../health';
import type { ReadinessReport } from '../../readiness';
import type { ErrorBody } from '../errors';
import type { AddAccepted, OperationAccepted } from '../operations';
import type { LiveStatusRow } from '../routes/status';
import type { TopicPartitionRow } from '../routes/topics';
import { PREVIEW_FORMATS, type PreviewRow } from '../../domain/record-preview';
import type { StatusHistoryRow } from '../../repository/status-history-repository';
import type { DriftReport } from '../../domain/drift';
import type { HistRow } from '../../domain/metadata';
import type { LogRow } from '../../domain/log-lines';
import type { AuditEntry } from '../../domain/audit';
import { RUN_CATEGORIES } from '../../domain/run-tags';
import type { ConnectDeleteResult } from '../../../workflows/connect';
import type { ConnectOffsetsChanged, ConnectorOffsets } from '../../domain/connect-offsets';
import type { TransformDeleteResult } from '../../../workflows/transform';
import { WEBHOOK_EVENTS, WEBHOOK_FORMATS, type WebhookView } from '../../domain/webhook';
import type { WebhookDeliveryRow } from '../../repository/webhook-delivery-repository';
import type { WebhookDeleted } from '../routes/webhooks';

/**
 * What the API answers, as schemas for the OpenAPI document. Each is checked against the type the
 * code answers with (see the assertions at the end), so the document cannot drift from the code.
 */

const stringMap = z.record(z.string(), z.string());
const dfStatus = z.enum(DF_STATUSES);

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({
        description:
          'VALIDATION_FAILED, REACH_REFUSED, NOT_FOUND, CONFLICT, UNAUTHORIZED, FORBIDDEN, RAS_CLIENT_ERROR, …',
      }),
      message: z.string(),
      details: z.unknown().meta({
        description:
          'What the error is about: `{}` when nothing more to say; validation failures: `{ fields: { "<field>": ["message", …] } }`',
      }),
    }),
    message: z.string().meta({
      description:
        "error.message followed by each field's messages (`<field>`: message), `; `-separated: what json-server clients such as admin-on-rest show",
    }),
  })
  .meta({ id: 'Error' });

export const planCheckSchema = z.object({ ok: z.literal(true) }).meta({ id: 'PlanCheck' });

export const taskSchema = z
  .object({
    id: z.string(),
    taskSeq: z.string(),
    name: z.string(),
    description: z.string(),
    connectorType: z.string(),
    connectorCategory: z.enum(TASK_CATEGORIES),
    connectUid: z.string(),
    status: dfStatus,
    connectorConfig: stringMap,
    keySpelling: z.enum(KEY_SPELLINGS).optional().meta({
      description:
        "underscore: created in the original DataFibers' key spelling (tasks_max), which its connectorConfig answers in; absent: Kafka Connect's (tasks.max)",
    }),
    jobConfig: stringMap.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    statusAt: z.string(),
    statusReason: z.string().optional(),
    revision: z.number().int().meta({ description: 'Send as If-Match on updates to refuse a stale write' }),
    lastOperation: z.object({ workflowId: z.string(), runId: z.string(), type: z.string() }).optional(),
    savepoints: z
      .array(
        z.object({
          path: z.string(),
          jobId: z.string(),
          takenAt: z.string(),
          reason: z.enum(['manual', 'update', 'delete']),
        }),
      )
      .optional(),
    unreachableSince: z.string().optional(),
    autoRestart: z.object({ enabled: z.boolean(), maxRestarts: z.number().int(), backoff: z.string() }).optional(),
    restarts: z
      .object({ attempts: z.number().int(), lastAttemptAt: z.string().optional(), gaveUp: z.boolean().optional() })
      .optional(),
    imported: z.boolean().optional(),
  })
  .meta({ id: 'Task' });

export const acceptedSchema = z
  .object({
    workflowId: z.string(),
    runId: z.string(),
    statusUrl: z.string().meta({ description: 'GET it to follow the operation' }),
    temporalUiUrl: z.string(),
  })
  .meta({
    id: 'OperationAccepted',
    description: 'The operation outlasted DF_SYNC_WAIT_MS and goes on; follow it at statusUrl',
  });

export const addAcceptedSchema = acceptedSchema
  .extend({ id: z.string().meta({ description: "The task's id (given, or generated when the body had none)" }) })
  .meta({
    id: 'AddAccepted',
    description: 'The add outlasted DF_SYNC_WAIT_MS and goes on; follow it at statusUrl, the task will be at id',
  });

export const operationSchema = acceptedSchema
  .extend({
    type: z.string(),
    status: z.string().meta({ description: 'Temporal status: RUNNING, COMPLETED, FAILED, …' }),
    startTime: z.string(),
    closeTime: z.string().optional(),
    result: z.unknown().optional(),
    error: errorSchema.shape.error.optional(),
  })
  .meta({ id: 'Operation' });

export const pluginSchema = z
  .object({ class: z.string(), type: z.string(), version: z.string() })
  .meta({ id: 'InstalledPlugin' });

export const connectorFormSchema = z
  .object({
    connectorClass: z.string(),
    errorCount: z.number().int(),
    fields: z.array(
      z.object({
        name: z.string(),
        displayName: z.string(),
        type: z.string(),
        required: z.boolean(),
        defaultValue: z.string().nullable(),
        importance: z.string(),
        documentation: z.string(),
        group: z.string(),
        order: z.number(),
        value: z.string().nullable(),
        recommendedValues: z.array(z.string()),
        errors: z.array(z.string()),
      }),
    ),
  })
  .meta({ id: 'ConnectorForm' });

export const liveStatusSchema = z
  .object({
    id: z.string(),
    taskId: z.string().meta({ description: 'The DF task' }),
    jobId: z.string().meta({ description: "Connects: the task id; transforms: Flink's job id" }),
    subTaskId: z.string(),
    dfTaskState: z.string(),
    taskState: z.string(),
    state: z.string(),
    worker_id: z
      .string()
      .optional()
      .meta({ description: 'Connects: the Kafka Connect worker that runs the task (`host:port`)' }),
    trace: z.string().optional().meta({
      description:
        "Connects: the first line of a failed task's trace, capped (the rest can carry the data it was reading)",
    }),
    name: z.string().optional(),
    parallelism: z.number().optional(),
    status: z.string().optional().meta({ description: "Transforms: the vertex's state (as `state`)" }),
  })
  .meta({ id: 'LiveStatusRow' });

export const statusHistorySchema = z
  .object({
    id: z.string(),
    taskId: z.string(),
    from: dfStatus,
    to: dfStatus,
    at: z.string(),
    event: z.enum(['status', 'unreachable', 'reachable', 'restart', 'gave-up']),
    reason: z.string().optional(),
  })
  .meta({ id: 'StatusHistoryRow' });

export const schemaRowSchema = z
  .object({
    id: z.string(),
    subject: z.string(),
    version: z.number().int(),
    schemaId: z.number().int(),
    schemaType: z.enum(['AVRO', 'JSON', 'PROTOBUF']),
    schema: z.unknown(),
    compatibility: z.string(),
    versions: z.array(z.number().int()).optional(),
  })
  .meta({ id: 'Schema' });

export const schemaDiffSchema = z
  .object({
    subject: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    changes: z.array(
      z.object({
        field: z.string(),
        change: z.enum(['added', 'removed', 'type', 'default']),
        from: z.unknown().optional(),
        to: z.unknown().optional(),
      }),
    ),
  })
  .meta({ id: 'SchemaDiff' });

export const configVersionSchema = z
  .object({
    taskId: z.string(),
    version: z.number().int().meta({ description: '1, 2, 3 … per task' }),
    category: z.enum(TASK_CATEGORIES),
    operation: z.enum(VERSION_OPERATIONS),
    connectorType: z.string(),
    connectorConfig: stringMap.meta({ description: 'The config applied; secret values masked' }),
    actor: z.string().meta({ description: 'Who the operation acted for (`anonymous` when the API runs open)' }),
    at: z.string(),
    workflowId: z.string(),
    runId: z.string(),
    restoredVersion: z.number().int().optional().meta({ description: 'A rollback: the version it applied again' }),
  })
  .meta({ id: 'ConfigVersion' });

const lineChangeSchema = z.union([
  z.object({ op: z.literal('same'), text: z.string(), oldLine: z.number().int(), newLine: z.number().int() }),
  z.object({ op: z.literal('removed'), text: z.string(), oldLine: z.number().int() }),
  z.object({ op: z.literal('added'), text: z.string(), newLine: z.number().int() }),
]);

const keyChangeSchema = z.union([
  z.object({ key: z.string(), change: z.literal('added'), new: z.string() }),
  z.object({ key: z.string(), change: z.literal('removed'), old: z.string() }),
  z.object({
    key: z.string(),
    change: z.literal('changed'),
    old: z.string(),
    new: z.string(),
    lines: z
      .array(lineChangeSchema)
      .optional()
      .meta({ description: 'trans_sql and other values of several lines: the lines kept, removed and added' }),
  }),
]);

export const configDiffSchema = z
  .object({
    id: z.string(),
    from: z.number().int(),
    to: z.number().int(),
    changes: z.array(keyChangeSchema).meta({ description: 'By key, in key order; secret values masked' }),
  })
  .meta({ id: 'ConfigDiff' });

export const streamBackSchema = z
  .object({
    phase: z.enum(STREAM_BACK_PHASES),
    taskId: z.string(),
    jobId: z.string(),
    topic: z.string(),
    connector: z.string(),
    file: z.string().optional(),
    exportedRows: z.number().int().optional(),
    deliveredRows: z.number().int(),
    startedAt: z.string(),
    endedAt: z.string().optional(),
    reason: z.string().optional(),
  })
  .meta({ id: 'StreamBackProgress' });

const dependencyHealthSchema = z.object({
  status: z.enum(['up', 'down']),
  latencyMs: z.number(),
  target: z.string().meta({ description: 'Where the probe went; of a service with several URLs, the one in use' }),
  targets: z.array(z.string()).optional().meta({
    description: 'Every URL of a service configured with several (KAFKA_CONNECT_URL, SCHEMA_REGISTRY_URL)',
  }),
  error: z.string().optional(),
});

export const healthSchema = z
  .object({
    status: z.enum(['up', 'down']),
    checkedAt: z.string(),
    dependencies: z.record(z.string(), dependencyHealthSchema),
  })
  .meta({ id: 'Health' });

export const liveSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Live' });

export const readinessSchema = z
  .object({
    status: z.enum(['ready', 'not-ready']),
    checkedAt: z.string(),
    dependencies: z.record(z.string(), dependencyHealthSchema).meta({
      description:
        'The dependencies this process kind needs: temporal and store, and worker in a process that runs one',
    }),
    reason: z
      .string()
      .optional()
      .meta({ description: 'When not ready: each dependency that is not, and why (`store: connection refused …`)' }),
  })
  .meta({ id: 'Readiness' });

export const connectDeletedSchema = z
  .object({
    id: z.string(),
    deleted: z.literal(true),
    connectorExisted: z.boolean().meta({ description: 'False when Kafka Connect had no such connector any more' }),
  })
  .meta({ id: 'ConnectDeleted' });

// Members described one by one: as a bare list of types they would become a `type` array, which
// strict JSON Schema checkers refuse.
const offsetValue = z.union([
  z.string().meta({ description: 'text' }),
  z.number().meta({ description: 'a number' }),
  z.boolean().meta({ description: 'a flag' }),
  z.null().meta({ description: 'none' }),
]);
const offsetMap = z.record(z.string(), offsetValue);
const connectorOffsetSchema = z
  .object({
    partition: offsetMap.meta({
      description:
        'Source connectors: the partition as the connector names it (FileStreamSource: `{"filename": …}`); sinks: `{"kafka_topic": …, "kafka_partition": …}`',
    }),
    offset: offsetMap.nullable().meta({
      description:
        'Source connectors: its position (FileStreamSource: `{"position": <byte>}`); sinks: `{"kafka_offset": …}`',
    }),
  })
  .meta({ id: 'ConnectorOffset' });

export const connectorOffsetsSchema = z
  .object({ offsets: z.array(connectorOffsetSchema) })
  .meta({ id: 'ConnectorOffsets', description: "The connector's offsets, as Kafka Connect gives them (KIP-875)" });

export const offsetsChangedSchema = z
  .object({
    id: z.string(),
    change: z.enum(['alter', 'reset']),
    message: z.string().meta({ description: "Kafka Connect's own words on what it did" }),
    offsets: z.array(connectorOffsetSchema).meta({
      description: 'The offsets as Kafka Connect had them right after the change, before the connector ran on',
    }),
    status: dfStatus.meta({ description: 'The state the connector is back in (the one it was in before)' }),
  })
  .meta({ id: 'ConnectOffsetsChanged' });

export const transformDeletedSchema = z
  .object({
    id: z.string(),
    deleted: z.literal(true),
    savepoint: z.string().optional().meta({ description: "The job's final savepoint, when it was stopped with one" }),
    jobExisted: z.boolean().meta({ description: 'False when Flink no longer knew the job' }),
  })
  .meta({ id: 'TransformDeleted' });

export const driftReportSchema = z.object({
  at: z.string(),
  imported: z.array(z.string()),
  configDrift: z.array(
    z.object({
      id: z.string(),
      connectUid: z.string(),
      imported: z.boolean(),
      differences: z.array(
        z.object({ key: z.string(), repository: z.string().optional(), live: z.string().optional() }),
      ),
    }),
  ),
  missingInConnect: z.array(z.object({ id: z.string(), connectUid: z.string(), status: dfStatus })),
  // What the startup upgrade of the store did, on the reports of runs that upgraded it.
  upgraded: z.array(z.object({ id: z.string(), changes: z.array(z.string()) })).optional(),
  sealed: z.array(z.string()).optional(),
  unreadable: z.array(z.object({ id: z.string(), problems: z.array(z.string()) })).optional(),
});
export const driftAnswerSchema = driftReportSchema.extend({ workflowId: z.string() }).meta({ id: 'DriftReport' });

export const histRowSchema = z
  .object({
    id: z.string(),
    cuid: z.string(),
    file_name: z.string(),
    file_size: z.number().optional(),
    file_owner: z.string().optional(),
    topic_sent: z.string().optional(),
    schema_subject: z.string().optional(),
    schema_version: z.string().optional(),
    last_modified_timestamp: z.string().optional(),
    start_time: z.number().optional(),
    end_time: z.number().optional(),
    process_milliseconds: z.number().optional(),
    status: z.string().optional(),
    records: z.number().int(),
  })
  .meta({ id: 'HistRow', description: 'A file one task processed' });

export const topicPartitionSchema = z
  .object({
    id: z.string(),
    topic: z.string(),
    partitionNumber: z.number().int(),
    leader: z.number().int().meta({ description: 'Broker id of the leader (-1: none)' }),
    replicas: z.string().meta({ description: 'Broker ids, comma-separated' }),
    insyncReplicas: z.string().meta({ description: 'Broker ids of the in-sync replicas, comma-separated' }),
    earliestOffset: z.number().int(),
    latestOffset: z.number().int().meta({ description: 'The next offset to be written (end offset)' }),
  })
  .meta({ id: 'TopicPartitionRow' });

export const previewRowSchema = z
  .object({
    id: z.string().meta({ description: '<partition>-<offset>' }),
    partition: z.number().int(),
    offset: z.number().int(),
    timestamp: z.string(),
    key: z.unknown(),
    value: z.unknown().meta({ description: 'The record, decoded: a JSON value, a string, or base64' }),
    valueString: z.string().meta({ description: 'The value as text (indented JSON for structured values)' }),
    format: z.enum(PREVIEW_FORMATS),
    schemaId: z.number().int().optional(),
    decodeError: z.string().optional(),
  })
  .meta({ id: 'PreviewRow' });

export const logRowSchema = z
  .object({
    id: z.string(),
    timestamp: z.string(),
    level: z.enum(['INFO', 'WARN', 'ERROR', 'FATAL']),
    taskId: z.string().meta({ description: 'The task the line names' }),
    message: z.string(),
    process: z
      .string()
      .meta({ description: '`api@<host>` or `worker@<host>`: which part of DF wrote the line, where' }),
    pid: z.number().int(),
    method: z
      .string()
      .optional()
      .meta({ description: 'The activity that wrote the line, or the request (`POST /api/df/ps/…`)' }),
    workflowId: z.string().optional(),
    runId: z.string().optional(),
    requestId: z.string().optional(),
    fields: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ description: "The line's other fields, secrets masked" }),
  })
  .meta({ id: 'LogRow', description: 'A recent log line that names a task' });

export const resultRowSchema = z.record(z.string(), z.unknown()).meta({
  id: 'ResultRow',
  description:
    'One row of a batch result as its job wrote it (column: value); `{line}` for a line that is no JSON object, `{omitted}` for one over 1 MiB',
});

export const auditEntrySchema = z
  .object({
    id: z.string().meta({ description: '`<workflowId>:<runId>`' }),
    at: z.string().meta({ description: 'When the API started the run (ISO 8601)' }),
    actor: z
      .string()
      .meta({ description: "The name of the caller's token (DF_API_TOKENS), or `anonymous` on an open API" }),
    role: z.enum(['viewer', 'admin']),
    requestId: z.string().meta({ description: "The request's X-Request-Id" }),
    clientAddress: z.string().meta({
      description: "The address of the connection's peer (a proxy's, behind one); `unknown` without a socket",
    }),
    taskId: z.string().optional().meta({ description: 'The task id or schema subject the operation is about' }),
    category: z.enum(RUN_CATEGORIES).optional(),
    operation: z.string().meta({ description: 'The workflow type (`connectAdd`, `transformUpdate`, …)' }),
    workflowId: z.string(),
    runId: z.string(),
    method: z.string(),
    path: z.string(),
    status: z.number().int().optional().meta({
      description: 'The HTTP status the request was answered with; absent if the API stopped before answering',
    }),
  })
  .meta({ id: 'AuditEntry', description: 'An operation the API started, and who asked for it' });

export const webhookSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(WEBHOOK_EVENTS)),
    format: z.enum(WEBHOOK_FORMATS),
    secret: z.string().meta({ description: 'Always `********`: the secret is write-only' }),
    enabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Webhook' });

export const webhookDeletedSchema = z
  .object({ id: z.string(), deleted: z.literal(true) })
  .meta({ id: 'WebhookDeleted' });

export const webhookDeliverySchema = z
  .object({
    id: z.string(),
    webhookId: z.string(),
    eventId: z.string().meta({ description: 'The event, as the X-DF-Event-Id header names it' }),
    event: z.enum(WEBHOOK_EVENTS),
    taskId: z.string(),
    attempt: z.number().int(),
    at: z.string(),
    outcome: z.enum(['delivered', 'failed', 'refused', 'dropped']).meta({
      description:
        '`delivered`: a 2xx; `failed`: no answer, a 5xx, 408 or 429, tried again later; `refused`: another 4xx, not tried again; `dropped`: the webhook was disabled, no longer wants the event, or its URL is no longer allowed',
    }),
    httpStatus: z.number().int().optional(),
    error: z.string().optional(),
  })
  .meta({ id: 'WebhookDelivery', description: 'One attempt to deliver an event to a webhook' });

// The schemas above must describe exactly what the code answers: these fail to compile if either side changes alone.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Check<T extends true> = T;
export type ResponseSchemasMatchTypes = [
  Check<Same<z.infer<typeof taskSchema>, Task>>,
  Check<Same<z.infer<typeof errorSchema>, ErrorBody>>,
  Check<Same<z.infer<typeof acceptedSchema>, OperationAccepted>>,
  Check<Same<z.infer<typeof addAcceptedSchema>, AddAccepted>>,
  Check<Same<z.infer<typeof pluginSchema>, InstalledPlugin>>,
  Check<Same<z.infer<typeof connectorFormSchema>, ConnectorForm>>,
  Check<Same<z.infer<typeof liveStatusSchema>, LiveStatusRow>>,
  Check<Same<z.infer<typeof statusHistorySchema>, StatusHistoryRow>>,
  Check<Same<z.infer<typeof schemaRowSchema>, SchemaRow>>,
  Check<Same<z.infer<typeof schemaDiffSchema>['changes'][number], FieldChange>>,
  Check<Same<z.infer<typeof configVersionSchema>, ConfigVersion>>,
  Check<Same<z.infer<typeof configDiffSchema>['changes'][number], KeyChange>>,
  Check<Same<z.infer<typeof streamBackSchema>, StreamBackProgress>>,
  Check<Same<z.infer<typeof healthSchema>, HealthReport>>,
  Check<Same<z.infer<typeof readinessSchema>, ReadinessReport>>,
  Check<Same<z.infer<typeof connectDeletedSchema>, ConnectDeleteResult>>,
  Check<Same<z.infer<typeof connectorOffsetsSchema>, ConnectorOffsets>>,
  Check<Same<z.infer<typeof offsetsChangedSchema>, ConnectOffsetsChanged>>,
  Check<Same<z.infer<typeof transformDeletedSchema>, TransformDeleteResult>>,
  Check<Same<z.infer<typeof driftReportSchema>, DriftReport>>,
  Check<Same<z.infer<typeof histRowSchema>, HistRow>>,
  Check<Same<z.infer<typeof topicPartitionSchema>, TopicPartitionRow>>,
  Check<Same<z.infer<typeof previewRowSchema>, PreviewRow>>,

  Check<Same<z.infer<typeof logRowSchema>, LogRow>>,
  Check<Same<z.infer<typeof auditEntrySchema>, AuditEntry>>,
  Check<Same<z.infer<typeof webhookSchema>, WebhookView>>,
  Check<Same<z.infer<typeof webhookDeletedSchema>, WebhookDeleted>>,
  Check<Same<z.infer<typeof webhookDeliverySchema>, WebhookDeliveryRow>>,
];

export const bulkItemSchema = z
  .object({
    id: z.string(),
    category: z.string().optional(),
    state: z.enum(['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled']),
    message: z.string().optional().meta({ description: "Why it failed or was skipped: the operation's own message" }),
    workflowId: z.string().optional().meta({ description: "The item's own run" }),
    status: z.string().optional().meta({ description: "The task's DF status when its operation ended" }),
  })
  .meta({ id: 'BulkItem' });

const bulkCounts = z.object({
  pending: z.number(),
  running: z.number(),
  succeeded: z.number(),
  failed: z.number(),
  skipped: z.number(),
  cancelled: z.number(),
});

export const bulkDryRunSchema = z
  .object({
    dryRun: z.literal(true),
    action: z.string(),
    total: z.number(),
    counts: bulkCounts,
    items: z.array(bulkItemSchema).meta({ description: 'pending: would run; skipped: would not, and why' }),
  })
  .meta({ id: 'BulkDryRun' });

const bulkProgressShape = {
  bulkId: z.string(),
  action: z.string(),
  total: z.number(),
  counts: bulkCounts,
  cancelled: z.boolean(),
  done: z.boolean(),
  items: z.array(bulkItemSchema),
};

export const bulkResultSchema = z
  .object({ id: z.string(), ...bulkProgressShape })
  .meta({ id: 'BulkResult', description: 'Every item ended' });

export const bulkRunSchema = acceptedSchema
  .extend({
    id: z.string(),
    state: z
      .string()
      .meta({ description: 'Temporal status of the bulk run: RUNNING, COMPLETED, CANCELLED, FAILED, …' }),
    startTime: z.string(),
    closeTime: z.string().optional(),
    ...Object.fromEntries(Object.entries(bulkProgressShape).map(([k, v]) => [k, v.optional()])),
    error: errorSchema.shape.error.optional(),
  })
  .meta({ id: 'BulkRun' });

export const bulkCancelSchema = acceptedSchema
  .extend({ id: z.string(), cancelRequested: z.literal(true) })
  .meta({ id: 'BulkCancel' });
