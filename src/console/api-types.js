// @ts-check
// The shapes of what the DF API answers, as far as the console reads them. They mirror the OpenAPI
// schemas (src/api/openapi/response-schemas.ts); the browser never loads this module, tsc reads it.

/**
 * @typedef {'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'RESTARTING' | 'FAILED' | 'RWE' | 'LOST'
 *   | 'CANCELED' | 'FINISHED' | 'STREAMING' | 'NONE'} DfStatus
 */

/** @typedef {Record<string, string>} StringMap */

/**
 * @typedef {object} Savepoint
 * @property {string} path
 * @property {string} jobId
 * @property {string} takenAt
 * @property {'manual' | 'update' | 'delete'} reason
 */

/**
 * A connect or transform as DF records it (GET /ps/:id, /tr/:id, /processor/:id, list rows).
 * @typedef {object} Task
 * @property {string} id
 * @property {string} taskSeq
 * @property {string} name
 * @property {string} description
 * @property {string} connectorType
 * @property {'CONNECT' | 'TRANSFORM' | 'INTERNAL' | 'NONE'} connectorCategory
 * @property {string} connectUid
 * @property {DfStatus} status
 * @property {StringMap} connectorConfig
 * @property {'dotted' | 'underscore'} [keySpelling]
 * @property {StringMap | null} jobConfig
 * @property {string} createdAt
 * @property {string} updatedAt
 * @property {string} statusAt
 * @property {string} [statusReason]
 * @property {number} revision
 * @property {{ workflowId: string, runId: string, type: string }} [lastOperation]
 * @property {Savepoint[]} [savepoints]
 * @property {string} [unreachableSince]
 * @property {{ enabled: boolean, maxRestarts: number, backoff: string }} [autoRestart]
 * @property {{ attempts: number, lastAttemptAt?: string, gaveUp?: boolean }} [restarts]
 * @property {boolean} [imported]
 */

/**
 * Every refusal: `{error: {code, message, details}}`.
 * @typedef {object} ErrorBody
 * @property {{ code: string, message: string, details: unknown }} error
 */

/**
 * A 202: the operation outlasted the API's wait and goes on.
 * @typedef {object} OperationAccepted
 * @property {string} workflowId
 * @property {string} runId
 * @property {string} statusUrl GET it to follow the operation
 * @property {string} temporalUiUrl
 */

/**
 * GET /ops/:workflowId: where an operation stands.
 * @typedef {OperationAccepted & {
 *   type: string, status: string, startTime: string, closeTime?: string, result?: unknown,
 *   error?: ErrorBody['error'] }} Operation
 */

/**
 * A connector plugin installed in Kafka Connect (GET /config).
 * @typedef {object} InstalledPlugin
 * @property {string} class
 * @property {string} type
 * @property {string} version
 */

/**
 * One setting of a plugin (GET /config/:class/fields, POST /config/:class/validate).
 * @typedef {object} ConnectorField
 * @property {string} name
 * @property {string} displayName
 * @property {string} type
 * @property {boolean} required
 * @property {string | null} defaultValue
 * @property {string} importance
 * @property {string} documentation
 * @property {string} group
 * @property {number} order
 * @property {string | null} value
 * @property {string[]} recommendedValues
 * @property {string[]} errors
 */

/**
 * @typedef {object} ConnectorForm
 * @property {string} connectorClass
 * @property {number} errorCount
 * @property {ConnectorField[]} fields
 */

/**
 * A connector's or job's live state, one row per task or vertex (GET /status/:id).
 * @typedef {object} LiveStatusRow
 * @property {string} id
 * @property {string} taskId
 * @property {string} jobId
 * @property {string} subTaskId
 * @property {string} dfTaskState
 * @property {string} taskState
 * @property {string} state
 * @property {string} [worker_id]
 * @property {string} [trace]
 * @property {string} [name]
 * @property {number} [parallelism]
 * @property {string} [status] transforms: the vertex's state, as the original answered it
 */

/**
 * @typedef {object} StatusHistoryRow
 * @property {string} id
 * @property {string} taskId
 * @property {DfStatus} from
 * @property {DfStatus} to
 * @property {string} at
 * @property {'status' | 'unreachable' | 'reachable' | 'restart' | 'gave-up'} event
 * @property {string} [reason]
 */

/**
 * A subject at one version (GET /schema, /schema/:subject[/versions/:v]).
 * @typedef {object} SchemaRow
 * @property {string} id
 * @property {string} subject
 * @property {number} version
 * @property {number} schemaId
 * @property {'AVRO' | 'JSON' | 'PROTOBUF'} schemaType
 * @property {unknown} schema
 * @property {string} compatibility
 * @property {number[]} [versions]
 */

/**
 * @typedef {object} FieldChange
 * @property {string} field
 * @property {'added' | 'removed' | 'type' | 'default'} change
 * @property {unknown} [from]
 * @property {unknown} [to]
 */

/**
 * @typedef {object} SchemaDiff
 * @property {string} subject
 * @property {number} from
 * @property {number} to
 * @property {FieldChange[]} changes
 */

/**
 * GET /tr/:id/streamback.
 * @typedef {object} StreamBackProgress
 * @property {'exporting' | 'preparing' | 'delivering' | 'cleaning-up' | 'finished' | 'failed'} phase
 * @property {string} taskId
 * @property {string} jobId
 * @property {string} topic
 * @property {string} connector
 * @property {string} [file]
 * @property {number} [exportedRows]
 * @property {number} deliveredRows
 * @property {string} startedAt
 * @property {string} [endedAt]
 * @property {string} [reason]
 * @property {string} workflowId
 * @property {string} temporalUi
 */

/**
 * A file one task processed (GET /hist).
 * @typedef {object} HistRow
 * @property {string} id
 * @property {string} cuid
 * @property {string} file_name
 * @property {number} [file_size]
 * @property {string} [file_owner]
 * @property {string} [topic_sent]
 * @property {string} [schema_subject]
 * @property {string} [schema_version]
 * @property {string} [last_modified_timestamp]
 * @property {number} [start_time]
 * @property {number} [end_time]
 * @property {number} [process_milliseconds]
 * @property {string} [status]
 * @property {number} records
 */

/**
 * A partition of a topic (GET /s2p/:topic).
 * @typedef {object} TopicPartitionRow
 * @property {string} id
 * @property {string} topic
 * @property {number} partitionNumber
 * @property {number} leader the leader's broker id, -1 for none
 * @property {string} replicas broker ids, comma-separated
 * @property {string} insyncReplicas
 * @property {number} earliestOffset
 * @property {number} latestOffset
 */

/**
 * One of a topic's latest records (GET /avroconsumer/:topic).
 * @typedef {object} PreviewRow
 * @property {string} id
 * @property {number} partition
 * @property {number} offset
 * @property {string} timestamp
 * @property {unknown} key
 * @property {unknown} value
 * @property {string} valueString
 * @property {'avro' | 'json-schema' | 'json' | 'string' | 'base64' | 'null'} format
 * @property {number} [schemaId]
 * @property {string} [decodeError]
 */

/**
 * A log line that names a task (GET /logs, /logs/:id).
 * @typedef {object} LogRow
 * @property {string} id
 * @property {string} timestamp
 * @property {'INFO' | 'WARN' | 'ERROR' | 'FATAL'} level
 * @property {string} taskId
 * @property {string} message
 * @property {string} process
 * @property {number} pid
 * @property {string} [method]
 * @property {string} [workflowId]
 * @property {string} [runId]
 * @property {string} [requestId]
 * @property {Record<string, unknown>} [fields]
 */

/**
 * One operation the API started and who asked for it (GET /audit).
 * @typedef {object} AuditEntry
 * @property {string} id `<workflowId>:<runId>`
 * @property {string} at
 * @property {string} actor the token's name, or `anonymous` when the API runs open
 * @property {'viewer' | 'admin'} role
 * @property {string} requestId
 * @property {string} clientAddress
 * @property {string} [taskId] a task id or a schema subject
 * @property {'CONNECT' | 'TRANSFORM' | 'SCHEMA' | 'BULK' | string} [category]
 * @property {string} operation the workflow type: connectAdd, transformUpdate, …
 * @property {string} workflowId
 * @property {string} runId
 * @property {string} method
 * @property {string} path
 * @property {number} [status] the HTTP status the request was answered with
 */

/**
 * A webhook (GET /webhooks, /webhooks/:id); `secret` is always the mask.
 * @typedef {object} Webhook
 * @property {string} id
 * @property {string} url
 * @property {string[]} events
 * @property {'generic' | 'slack'} format
 * @property {string} secret
 * @property {boolean} enabled
 * @property {string} createdAt
 * @property {string} updatedAt
 */

/**
 * One attempt to deliver an event to a webhook (GET /webhooks/:id/deliveries).
 * @typedef {object} WebhookDelivery
 * @property {string} id
 * @property {string} webhookId
 * @property {string} eventId
 * @property {string} event
 * @property {string} taskId
 * @property {number} attempt
 * @property {string} at
 * @property {'delivered' | 'failed' | 'refused' | 'dropped'} outcome
 * @property {number} [httpStatus]
 * @property {string} [error]
 */

/** @typedef {{ id: string, deleted: true }} WebhookDeleted */

/** @typedef {Record<string, unknown>} ResultRow a row of a batch transform's result (GET /tr/:id/result): column → value */

/** @typedef {{ id: string, deleted: true, connectorExisted: boolean }} ConnectDeleted */
/** @typedef {{ id: string, deleted: true, savepoint?: string, jobExisted: boolean }} TransformDeleted */

/**
 * A config DF applied to a connect or transform, kept as a numbered version (GET /ps|tr/:id/versions).
 * @typedef {object} ConfigVersion
 * @property {number} version
 * @property {string} taskId
 * @property {'CONNECT' | 'TRANSFORM'} category
 * @property {'add' | 'update' | 'rollback'} operation
 * @property {number} [restoredVersion] a rollback: the version it applied again
 * @property {string} connectorType
 * @property {StringMap} connectorConfig secrets masked
 * @property {string} actor who the operation acted for
 * @property {string} at
 * @property {string} workflowId
 * @property {string} runId
 */

/**
 * One line of a multi-line value's diff, numbered in the old and the new text.
 * @typedef {{ op: 'same', text: string, oldLine: number, newLine: number }
 *   | { op: 'removed', text: string, oldLine: number }
 *   | { op: 'added', text: string, newLine: number }} LineChange
 */

/**
 * @typedef {{ key: string, change: 'added', new: string }
 *   | { key: string, change: 'removed', old: string }
 *   | { key: string, change: 'changed', old: string, new: string, lines?: LineChange[] }} KeyChange
 */

/**
 * GET /ps|tr/:id/versions/diff?from=&to=.
 * @typedef {object} VersionDiff
 * @property {string} id
 * @property {number} from
 * @property {number} to
 * @property {KeyChange[]} changes in key order
 */

/** @typedef {Record<string, string | number | boolean | null>} OffsetMap */

/**
 * A connector's offsets as Kafka Connect keeps them (GET /ps/:id/offsets): a source's partition is
 * what it reads (a file), a sink's a topic partition; a null offset is a partition reset.
 * @typedef {{ offsets: { partition: OffsetMap, offset: OffsetMap | null }[] }} ConnectorOffsets
 */

/**
 * What PATCH and DELETE /ps/:id/offsets answer once the connector is back in its state.
 * @typedef {ConnectorOffsets & { id: string, change: 'alter' | 'reset', message: string, status: DfStatus }}
 *   ConnectOffsetsChanged
 */

/**
 * One thing wrong with a transform whose plan was checked (POST /tr/check, `details.problems`).
 * @typedef {object} PlanProblem
 * @property {string} [field] the input field at fault (`connectorConfig.trans_sql`, …)
 * @property {number} [line] 1-based, in trans_sql as written; absent when Flink named no place there
 * @property {number} [column]
 * @property {string} message
 */

/** @typedef {{ jarId: string, uploaded_file_name: string, name: string, size: number, sha256: string }} UploadedJar */

export {};
