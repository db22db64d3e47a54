import { z } from 'zod';
import { connectAddBody } from '../../domain/connect-input';
import { connectorOffsetsBody } from '../../domain/connect-offsets-input';
import { schemaAddBody, SUBJECT_FILTERS, schemaUpdateBody } from '../../domain/schema';
import { PREVIEW_DEFAULT_LIMIT, PREVIEW_MAX_LIMIT } from '../../domain/record-preview';
import { configMap, taskPatchBody, taskReplaceBody } from '../../domain/task-input';
import { transformAddBody } from '../../domain/transform-input';
import { rollbackBody } from '../../domain/rollback-input';
import { bulkRequestBody } from '../../domain/bulk-input';
import { codecBody } from '../routes/codec';
import {
  acceptedSchema,
  bulkCancelSchema,
  bulkDryRunSchema,
  bulkResultSchema,
  bulkRunSchema,
  addAcceptedSchema,
  auditEntrySchema,
  connectDeletedSchema,
  connectorOffsetsSchema,
  configDiffSchema,
  configVersionSchema,
  connectorFormSchema,
  driftAnswerSchema,
  errorSchema,
  healthSchema,
  liveSchema,
  readinessSchema,
  histRowSchema,
  logRowSchema,
  resultRowSchema,
  liveStatusSchema,
  offsetsChangedSchema,
  operationSchema,
  previewRowSchema,
  topicPartitionSchema,
  pluginSchema,
  schemaDiffSchema,
  schemaRowSchema,
  statusHistorySchema,
  streamBackSchema,
  planCheckSchema,
  taskSchema,
  transformDeletedSchema,
  webhookDeletedSchema,
  webhookDeliverySchema,
  webhookSchema,
} from './response-schemas';
import { webhookAddBody, webhookReplaceBody } from '../../domain/webhook-input';

/** One documented route: the request schemas are the ones the route validates with. */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Hono's spelling (`/api/df/ps/:id`); the document writes `{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  /** Who may call it when DF_API_TOKENS is set. */
  access: 'open' | 'viewer' | 'admin';
  body?: z.ZodType;
  /** multipart/form-data instead of JSON. */
  upload?: boolean;
  query?: { name: string; description: string; schema?: z.ZodType }[];
  headers?: { name: string; description: string }[];
  responses: Record<number, { description: string; schema?: z.ZodType; text?: boolean }>;
}

/** The groups of operations, in the order the document lists them. */
export const API_TAGS: Record<string, string> = {
  Service: 'Health, probes, metrics and what the web console starts from',
  Installed: 'Connector plugins installed in Kafka Connect',
  Tasks: 'Every task DF records, connects and transforms alike',
  Connects: 'Kafka Connect connectors',
  Transforms: 'Flink jobs',
  Status: 'Live status from the engines, and what the syncs recorded',
  Schemas: 'Schema Registry subjects',
  Topics: "Kafka topics: partitions, the tasks that use them, their latest records (the original UI's topic tabs)",
  Bulk: 'One action on many connects and transforms, each as its own operation',
  Operations: 'The Temporal workflow runs behind every change, and who asked for each',
  Webhooks: 'Where DF tells a team of failures and finished stream backs (admin only, reads as well)',
  Codec: 'The payload codec the Temporal UI and CLI call',
};

const list = [
  { name: 'q', description: 'Case-insensitive text search' },
  {
    name: '_sort',
    description:
      'Any field the rows have, nested ones with dots (`schema.name`, `connectorConfig.topic_in`; alias _sortField); a field no row can have is refused 400 naming it',
  },
  { name: '_order', description: 'ASC or DESC (alias _sortDir)' },
  { name: '_start', description: 'First row (0-based), with _end' },
  { name: '_end', description: 'One past the last row' },
  { name: '_page', description: 'Page number (1-based), with _perPage' },
  { name: '_perPage', description: 'Rows per page (alias _limit)' },
];
const taskFilters = [
  { name: 'status', description: 'Only tasks in any of these DF statuses, comma-separated (`RUNNING,PAUSED`)' },
  {
    name: 'type',
    description: 'Only tasks of any of these connector types, comma-separated (`CONNECT_SOURCE_KAFKA_FlatFile`)',
  },
];
const keySpelling = {
  name: 'keySpelling',
  description:
    "dotted (Kafka Connect's `tasks.max`) or underscore (the original DataFibers' `tasks_max`): every connect's connectorConfig in that spelling; without it each connect answers in the spelling it was created with (its `keySpelling`). The header X-DF-Key-Spelling does the same.",
};
const KEY_SPELLING_NOTE =
  'connectorConfig keys may be spelled as Kafka Connect does (`tasks.max`) or as the original DataFibers did (`tasks_max`); DF stores the dotted form. A create whose keys use `_` and none `.` (or that says `keySpelling: underscore`) answers in the original spelling from then on. In an edit a key edits the stored key it spells; a key given both ways takes the value that differs from the stored one, and two different new values are refused 400 naming the key.';
const LIST_NOTE = 'The total number of matching rows is in the X-Total-Count header.';
const TASK_LIST_NOTE = `${LIST_NOTE} Task lists come from an in-memory snapshot at most DF_LIST_MAX_AGE old (X-DF-List-Age gives its age in ms); a change made through the API shows in the next list. Stored records that cannot be read as tasks are left out; X-DF-Unreadable-Records counts them. A sort by a secret config key sorts by id. Read from the store (DF_LIST_MAX_AGE=0), a sort no index serves that takes the store over 15 s is refused 504 TIMEOUT.`;
const mutationHeaders = [
  {
    name: 'Idempotency-Key',
    description:
      'A repeat of the same request (method, path, query, body) with the same key answers with the first run instead of running again; the key with another request is refused 422',
  },
  { name: 'Prefer', description: '`respond-async` answers 202 at once instead of waiting up to DF_SYNC_WAIT_MS' },
  {
    name: 'X-DF-Key-Spelling',
    description:
      'dotted or underscore: the spelling of connectorConfig keys in the answer (see the keySpelling query parameter of reads)',
  },
];
const ifMatch = {
  name: 'If-Match',
  description: 'The revision last read (`"3"` or 3); when the task has moved on, the update is refused with 412',
};

const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [code, { description: ERROR_TEXT[code] ?? 'error', schema: errorSchema }]));
const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input, refused by the engine (its own message), or reaching further than the reach policy allows (REACH_REFUSED, `details.settings` names the settings that would allow it); `details.fields` names each bad field',
  401: 'No or unknown bearer token',
  403: 'A viewer token asked to change something (FORBIDDEN), the Host is not one of DF_ALLOWED_HOSTS (HOST_NOT_ALLOWED), or a web page of an origin DF_CORS_ORIGINS does not list asked for a change (ORIGIN_NOT_ALLOWED)',
  404: 'No such task, subject or route',
  500: 'The stored record cannot be read as a task (UNREADABLE_RECORD; `details.problems` names what is wrong with it)',
  405: 'Not allowed here',
  409: 'Conflicts with the current state (taken id, an operation on the task already running, a job that takes no savepoint or a savepoint Flink could not take)',
  412: "If-Match names an older revision than the task's: read it again; `details` has the current and the expected revision",
  413: 'Body larger than DF_BODY_LIMIT',
  415: 'Wrong Content-Type',
  422: 'The Idempotency-Key was sent before with another request (IDEMPOTENCY_KEY_REUSED); nothing was changed',
  502: 'The engine answered with an error',
  503: 'The engine, the store or Temporal is unreachable, or DF is at its bound of operations in flight (OVERLOADED); Retry-After says when to try again',
  504: 'An engine did not finish in time, or the task stayed busy with other operations (TIMEOUT); the change may still land: read the task again',
};
const UNKNOWN_ID_NOTE =
  'An id DF does not know is answered 404 before any workflow starts; one whose add is still running counts as known (a delete waits for that add to end, then removes what it created).';
const SAVEPOINT_NOTE = `${UNKNOWN_ID_NOTE} A job that cannot take a savepoint (it keeps failing or restarting) is refused 409: \`details.reason\` gives Flink's reason in one line, \`details.hint\` names \`?upgradeMode=stateless\` and \`?mode=cancel\`, which skip the savepoint.`;
const NOT_A_CONNECT_NOTE = "A transform's id is no connect's: 404.";
const OFFSETS_NOTE =
  "Kafka Connect changes the offsets of a stopped connector only: the run stops the connector, changes its offsets and puts it back in the state it was in (running is resumed, paused is paused again, stopped stays so), and does the same when the change fails. Kafka Connect's refusal (a sink whose consumer group still has members, a connector that cannot have its offsets changed, offsets the connector does not take) is answered 409 CONFLICT with its message in `message` and `details.rasMessage`; the connector is then as it was.";
const WEBHOOK_NOTE =
  'Events: task.failed, task.rwe, task.lost (a task reaching FAILED, RWE or LOST), autorestart.gave_up, operation.failed, streamback.finished. Each event is POSTed once per webhook by a workflow of its own, retried with backoff for 24 hours, signed `X-DF-Signature: sha256=<hex HMAC-SHA256 of the body with the secret>`, and named by `X-DF-Event-Id` (the same for every attempt: receivers drop repeats by it). `format` generic sends `{id, event, at, task, message, links}`; slack sends `{text}`. The secret (16+ characters) is stored sealed and never answered.';
const SINGLE_READ_NOTE = 'Read from the registry directly: starts no workflow.';
const MUTATION_ERRORS = [400, 401, 403, 409, 413, 415, 422, 500, 502, 503];
/** Updates of one task: it may be missing, and If-Match may name a revision it has left. */
const UPDATE_ERRORS = [...MUTATION_ERRORS, 404, 412];
const accepted = {
  202: { description: 'Still running after DF_SYNC_WAIT_MS: follow statusUrl', schema: acceptedSchema },
};
const addAccepted = {
  202: {
    description: "Still running after DF_SYNC_WAIT_MS: follow statusUrl; `id` is the task's",
    schema: addAcceptedSchema,
  },
};
const ADD_ID_NOTE =
  'Without `id` the task gets one made of its name and a unique suffix (`my-task-1f0c…`; names may repeat); with an Idempotency-Key the suffix comes from the key, so a retry names the same task and adds no second one. A given id is kept, and refused 400 when it is not 1-200 letters, digits, ".", "_" or "-".';
const tasks = z.array(taskSchema);

const VERSIONS_NOTE =
  "Every config DF applies (the add, each update that changes it, each rollback) is kept as the next version of the task, with who asked (`actor`), when and the run that did it. Secrets are kept encrypted like the task's own and shown masked. The versions of an id outlive its deletion: a task added again under the same id numbers on.";
const ROLLBACK_NOTE = `Applies the config of a kept version again as an update that gives the whole config, and keeps it as a new version. A version that no longer validates (the engine refuses it, or the reach policy) is refused 400 with the reason and nothing changes; an unknown version is 404. ${UNKNOWN_ID_NOTE}`;

/** The version reads and the rollback of one kind of task, under its path (`ps` or `tr`). */
function versionOperations(base: 'ps' | 'tr', tag: string, what: string, workflow: string): ApiOperation[] {
  return [
    {
      method: 'get',
      path: `/api/df/${base}/:id/versions`,
      tag,
      summary: `The ${what}'s config versions, newest first`,
      access: 'viewer',
      query: list,
      description: `${VERSIONS_NOTE} ${LIST_NOTE}`,
      responses: { 200: { description: 'Versions', schema: z.array(configVersionSchema) }, ...errors(400, 401, 404) },
    },
    {
      method: 'get',
      path: `/api/df/${base}/:id/versions/diff`,
      tag,
      summary: `What changed between two versions of the ${what}, key by key (SQL line by line)`,
      access: 'viewer',
      query: [
        { name: 'from', description: 'The version to compare from', schema: z.string() },
        { name: 'to', description: 'The version to compare to', schema: z.string() },
      ],
      description:
        'Each key added, removed or changed, with its old and new value; a secret that changed says so, masked. trans_sql (and any value of several lines) also gets `lines`: the lines kept, removed and added, numbered in each version. A missing or bad `from`/`to` is 400, an unknown version 404.',
      responses: { 200: { description: 'The changes', schema: configDiffSchema }, ...errors(400, 401, 404) },
    },
    {
      method: 'get',
      path: `/api/df/${base}/:id/versions/:version`,
      tag,
      summary: `One config version of the ${what}`,
      access: 'viewer',
      description: VERSIONS_NOTE,
      responses: { 200: { description: 'The version', schema: configVersionSchema }, ...errors(400, 401, 404) },
    },
    {
      method: 'post',
      path: `/api/df/${base}/:id/rollback`,
      tag,
      summary: `Roll the ${what} back to a kept version (workflow ${workflow})`,
      access: 'admin',
      body: rollbackBody,
      headers: [...mutationHeaders, ifMatch],
      ...(base === 'tr' ? { query: [{ name: 'upgradeMode', description: 'savepoint (default) or stateless' }] } : {}),
      description: base === 'tr' ? `${ROLLBACK_NOTE} The job moves over a savepoint as in an update.` : ROLLBACK_NOTE,
      responses: {
        200: { description: 'Rolled back', schema: taskSchema },
        ...accepted,
        ...errors(...UPDATE_ERRORS),
      },
    },
  ];
}

const OPERATIONS: ApiOperation[] = [
  {
    method: 'get',
    path: '/health',
    tag: 'Service',
    summary: 'Reachability of every dependency',
    access: 'open',
    responses: {
      200: { description: 'All dependencies up', schema: healthSchema },
      503: { description: 'At least one down', schema: healthSchema },
    },
  },
  {
    method: 'get',
    path: '/livez',
    tag: 'Service',
    summary: 'Liveness probe: the process serves',
    description:
      'Checks no dependency, so a dependency away never gets the process restarted. A worker-only process serves it on DF_PROBE_ADDRESS.',
    access: 'open',
    responses: { 200: { description: 'The process serves', schema: liveSchema } },
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'Service',
    summary: 'Readiness probe: the dependencies this process needs answer',
    description:
      'Temporal and the store; in a process that runs a worker, also that the worker polls. The engines (Kafka Connect, Flink, the registry) are left to /health. A worker-only process serves it on DF_PROBE_ADDRESS.',
    access: 'open',
    responses: {
      200: { description: 'Ready', schema: readinessSchema },
      503: { description: 'Not ready: `reason` names each dependency that is not, and why', schema: readinessSchema },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    tag: 'Service',
    summary: 'Prometheus metrics: API, operations, syncs, Temporal worker',
    access: 'viewer',
    responses: { 200: { description: 'Prometheus text format', text: true }, ...errors(401) },
  },
  {
    method: 'get',
    path: '/api/console-config',
    tag: 'Service',
    summary: 'What the web console starts from',
    access: 'open',
    responses: {
      200: {
        description: 'Settings',
        schema: z.object({ temporalUiUrl: z.string(), namespace: z.string(), authRequired: z.boolean() }),
      },
    },
  },

  {
    method: 'get',
    path: '/api/df/config',
    tag: 'Installed',
    summary: 'Installed connector plugins (workflow installedList)',
    access: 'viewer',
    description: `Read live from Kafka Connect; the last recorded catalogue, marked X-DF-Stale, when Connect is slow. ${LIST_NOTE}`,
    responses: { 200: { description: 'Plugins', schema: z.array(pluginSchema) }, ...errors(401) },
  },
  {
    method: 'get',
    path: '/api/df/config/:class/fields',
    tag: 'Installed',
    summary: "A plugin's config definition as form fields",
    access: 'viewer',
    responses: { 200: { description: 'Fields', schema: connectorFormSchema }, ...errors(400, 401, 404, 502, 503) },
  },
  {
    method: 'post',
    path: '/api/df/config/:class/validate',
    tag: 'Installed',
    summary: 'Check a config against the plugin (creates nothing)',
    access: 'viewer',
    body: z.object({ connectorConfig: configMap }),
    responses: {
      200: { description: 'Fields with their errors', schema: connectorFormSchema },
      ...errors(400, 401, 404, 502, 503),
    },
  },

  {
    method: 'get',
    path: '/api/df/processor',
    tag: 'Tasks',
    summary: 'Every task',
    access: 'viewer',
    query: [...list, ...taskFilters, keySpelling],
    description: TASK_LIST_NOTE,
    responses: { 200: { description: 'Tasks', schema: tasks }, ...errors(400, 401, 504) },
  },
  {
    method: 'get',
    path: '/api/df/processor/:id',
    tag: 'Tasks',
    summary: 'One task',
    access: 'viewer',
    query: [keySpelling],
    responses: { 200: { description: 'The task', schema: taskSchema }, ...errors(400, 401, 404, 500) },
  },

  {
    method: 'get',
    path: '/api/df/ps',
    tag: 'Connects',
    summary: 'List connects',
    access: 'viewer',
    query: [...list, ...taskFilters, keySpelling],
    description: TASK_LIST_NOTE,
    responses: { 200: { description: 'Connects', schema: tasks }, ...errors(400, 401, 504) },
  },
  {
    method: 'get',
    path: '/api/df/ps/:id',
    tag: 'Connects',
    summary: 'One connect',
    access: 'viewer',
    query: [keySpelling],
    responses: { 200: { description: 'The connect', schema: taskSchema }, ...errors(400, 401, 404, 500) },
  },
  {
    method: 'post',
    path: '/api/df/ps',
    tag: 'Connects',
    summary: 'Add a connect (workflow connectAdd)',
    access: 'admin',
    body: connectAddBody,
    headers: mutationHeaders,
    description: `The config is checked by Kafka Connect first; nothing is stored when it is refused. ${ADD_ID_NOTE} Without \`id\`, a \`connectorConfig.name\` is taken as the id. ${KEY_SPELLING_NOTE}`,
    responses: {
      201: { description: 'Created and running', schema: taskSchema },
      ...addAccepted,
      ...errors(...MUTATION_ERRORS),
    },
  },
  {
    method: 'put',
    path: '/api/df/ps/:id',
    tag: 'Connects',
    summary: 'Replace a connect (workflow connectUpdate)',
    access: 'admin',
    body: taskReplaceBody,
    headers: [...mutationHeaders, ifMatch],
    description: `A body whose status is PAUSE, RESUME or RESTART runs that action instead (the original UI's way); status DESTROY (or DELETE, REMOVE) is refused 400: DELETE deletes. ${UNKNOWN_ID_NOTE} ${KEY_SPELLING_NOTE}`,
    responses: { 200: { description: 'Updated', schema: taskSchema }, ...accepted, ...errors(...UPDATE_ERRORS) },
  },
  {
    method: 'patch',
    path: '/api/df/ps/:id',
    tag: 'Connects',
    summary: 'Merge into a connect (null removes a key)',
    access: 'admin',
    body: taskPatchBody,
    headers: [...mutationHeaders, ifMatch],
    description: `${UNKNOWN_ID_NOTE} ${KEY_SPELLING_NOTE}`,
    responses: { 200: { description: 'Updated', schema: taskSchema }, ...accepted, ...errors(...UPDATE_ERRORS) },
  },
  {
    method: 'delete',
    path: '/api/df/ps/:id',
    tag: 'Connects',
    summary: 'Delete a connect (workflow connectDelete)',
    access: 'admin',
    headers: mutationHeaders,
    description: UNKNOWN_ID_NOTE,
    responses: {
      200: { description: 'Deleted', schema: connectDeletedSchema },
      ...accepted,
      ...errors(401, 403, 404, 409, 500, 502, 503),
    },
  },
  {
    method: 'post',
    path: '/api/df/ps/:id/:action',
    tag: 'Connects',
    summary: 'pause, resume, stop or restart a connect (workflow connectAction)',
    access: 'admin',
    headers: mutationHeaders,
    query: [
      { name: 'includeTasks', description: 'restart: the tasks too' },
      { name: 'onlyFailed', description: 'restart: only what failed' },
    ],
    description: UNKNOWN_ID_NOTE,
    responses: { 200: { description: 'Done', schema: taskSchema }, ...accepted, ...errors(...MUTATION_ERRORS, 404) },
  },
  {
    method: 'get',
    path: '/api/df/ps/:id/offsets',
    tag: 'Connects',
    summary: "A connect's offsets, as Kafka Connect gives them (KIP-875)",
    access: 'viewer',
    description: `Read from Kafka Connect directly: starts no workflow. ${NOT_A_CONNECT_NOTE}`,
    responses: {
      200: { description: 'The offsets', schema: connectorOffsetsSchema },
      ...errors(400, 401, 404, 502, 503),
    },
  },
  {
    method: 'patch',
    path: '/api/df/ps/:id/offsets',
    tag: 'Connects',
    summary: "Alter a connect's offsets (workflow connectOffsets)",
    access: 'admin',
    body: connectorOffsetsBody,
    headers: mutationHeaders.slice(0, 2),
    description: `${OFFSETS_NOTE} ${UNKNOWN_ID_NOTE} ${NOT_A_CONNECT_NOTE}`,
    responses: {
      200: { description: 'Altered; the connector is back in its state', schema: offsetsChangedSchema },
      ...accepted,
      ...errors(...MUTATION_ERRORS, 404),
    },
  },
  {
    method: 'delete',
    path: '/api/df/ps/:id/offsets',
    tag: 'Connects',
    summary: "Reset a connect's offsets (workflow connectOffsets)",
    access: 'admin',
    headers: mutationHeaders.slice(0, 2),
    description: `Every offset of the connector goes: a source reads its partitions from the start again, a sink's consumer group starts over as its \`consumer.auto.offset.reset\` says. ${OFFSETS_NOTE} ${UNKNOWN_ID_NOTE} ${NOT_A_CONNECT_NOTE}`,
    responses: {
      200: { description: 'Reset; the connector is back in its state', schema: offsetsChangedSchema },
      ...accepted,
      ...errors(401, 403, 404, 409, 422, 500, 502, 503),
    },
  },
  {
    method: 'post',
    path: '/api/df/ps/:id/tasks/:task/restart',
    tag: 'Connects',
    summary: 'Restart one task of a connect (workflow connectTaskRestart)',
    access: 'admin',
    headers: mutationHeaders.slice(0, 2),
    description: `\`task\` is Kafka Connect's task number (0, 1, …; GET /status/:id lists them with their worker and trace); one the connector lacks is answered 404 with Kafka Connect's message, a paused connector's task restarts paused. ${UNKNOWN_ID_NOTE} ${NOT_A_CONNECT_NOTE}`,
    responses: {
      200: { description: 'Restarted; the connect as recorded after it', schema: taskSchema },
      ...accepted,
      ...errors(400, 401, 403, 404, 409, 422, 500, 502, 503),
    },
  },
  ...versionOperations('ps', 'Connects', 'connect', 'connectRollback'),

  {
    method: 'get',
    path: '/api/df/tr',
    tag: 'Transforms',
    summary: 'List transforms',
    access: 'viewer',
    query: [...list, ...taskFilters, keySpelling],
    description: TASK_LIST_NOTE,
    responses: { 200: { description: 'Transforms', schema: tasks }, ...errors(400, 401, 504) },
  },
  {
    method: 'get',
    path: '/api/df/tr/:id',
    tag: 'Transforms',
    summary: 'One transform',
    access: 'viewer',
    query: [keySpelling],
    responses: { 200: { description: 'The transform', schema: taskSchema }, ...errors(400, 401, 404, 500) },
  },
  {
    method: 'post',
    path: '/api/df/tr',
    tag: 'Transforms',
    summary: 'Add a transform (workflow transformAdd)',
    access: 'admin',
    body: transformAddBody,
    headers: mutationHeaders,
    description: ADD_ID_NOTE,
    responses: {
      201: { description: 'Submitted to Flink', schema: taskSchema },
      ...addAccepted,
      ...errors(...MUTATION_ERRORS),
    },
  },
  {
    method: 'post',
    path: '/api/df/tr/check',
    tag: 'Transforms',
    summary: "Check a transform's plan (creates nothing, starts no workflow)",
    access: 'admin',
    body: transformAddBody,
    description:
      "Takes the body of an add, validates it the same way, then has the SQL Gateway plan the SQL as the add would (the same declarations, EXPLAINed in a throwaway session that is always closed). Nothing is created: no topic, no Flink job, no record, no run. A jar transform has no SQL: its input is validated only. A refusal lists `details.problems`, each with `line` and `column` in the user's `trans_sql` when Flink named a place there (Flink's own words are rewritten to those places); input refused before Flink saw it gives one problem per field message, without a line.",
    responses: {
      200: { description: 'Flink accepts the plan', schema: planCheckSchema },
      400: {
        description:
          'Flink refuses the plan, or the input is invalid (VALIDATION_FAILED): `details.problems` lists `{ field?, line?, column?, message }`, lines and columns 1-based in `trans_sql`; or the SQL reaches further than the reach policy allows (REACH_REFUSED)',
        schema: errorSchema,
      },
      ...errors(401, 403, 413, 415, 502, 503, 504),
    },
  },
  {
    method: 'put',
    path: '/api/df/tr/:id',
    tag: 'Transforms',
    summary: 'Replace a transform (workflow transformUpdate)',
    access: 'admin',
    body: taskReplaceBody,
    headers: [...mutationHeaders, ifMatch],
    query: [{ name: 'upgradeMode', description: 'savepoint (default) or stateless' }],
    description: SAVEPOINT_NOTE,
    responses: { 200: { description: 'Updated', schema: taskSchema }, ...accepted, ...errors(...UPDATE_ERRORS) },
  },
  {
    method: 'patch',
    path: '/api/df/tr/:id',
    tag: 'Transforms',
    summary: 'Merge into a transform',
    access: 'admin',
    body: taskPatchBody,
    headers: [...mutationHeaders, ifMatch],
    query: [{ name: 'upgradeMode', description: 'savepoint (default) or stateless' }],
    description: SAVEPOINT_NOTE,
    responses: { 200: { description: 'Updated', schema: taskSchema }, ...accepted, ...errors(...UPDATE_ERRORS) },
  },
  {
    method: 'delete',
    path: '/api/df/tr/:id',
    tag: 'Transforms',
    summary: 'Delete a transform (workflow transformDelete)',
    access: 'admin',
    query: [{ name: 'mode', description: 'savepoint (stop with a savepoint) or cancel' }],
    description: SAVEPOINT_NOTE,
    responses: {
      200: { description: 'Deleted', schema: transformDeletedSchema },
      ...accepted,
      ...errors(401, 403, 404, 409, 500, 502, 503),
    },
  },
  {
    method: 'post',
    path: '/api/df/tr/:id/savepoint',
    tag: 'Transforms',
    summary: 'Take a savepoint (workflow transformSavepoint)',
    access: 'admin',
    headers: mutationHeaders,
    description: SAVEPOINT_NOTE,
    responses: {
      201: { description: 'The savepoint', schema: taskSchema.shape.savepoints.unwrap().element },
      ...accepted,
      ...errors(401, 403, 404, 409, 422, 502, 503),
    },
  },
  {
    method: 'get',
    path: '/api/df/tr/:id/savepoints',
    tag: 'Transforms',
    summary: "The transform's savepoints, newest first",
    access: 'viewer',
    responses: {
      200: { description: 'Savepoints', schema: taskSchema.shape.savepoints.unwrap() },
      ...errors(401, 404),
    },
  },
  ...versionOperations('tr', 'Transforms', 'transform', 'transformRollback'),
  {
    method: 'get',
    path: '/api/df/tr/:id/result',
    tag: 'Transforms',
    summary: "The first rows of a batch SQL transform's result",
    description:
      'Read from the files the finished job wrote under DF_DATA_DIR/results; X-Total-Count is the number of rows of the whole result. A transform that is not TRANSFORM_BATCH_FLINK_SQL, or whose job has not finished with a result (or whose files are gone), is refused 409.',
    access: 'viewer',
    query: [{ name: 'limit', description: 'Rows to give, 1 to 1000 (default 10)' }],
    responses: {
      200: { description: 'Rows', schema: z.array(resultRowSchema) },
      ...errors(400, 401, 404, 409),
    },
  },
  {
    method: 'get',
    path: '/api/df/tr/:id/streamback',
    tag: 'Transforms',
    summary: 'Stream-back progress of the current job',
    access: 'viewer',
    responses: {
      200: {
        description: 'Progress',
        schema: streamBackSchema.extend({ workflowId: z.string(), temporalUi: z.string() }),
      },
      ...errors(401, 404),
    },
  },
  {
    method: 'post',
    path: '/api/df/uploaded_files',
    tag: 'Transforms',
    summary: 'Upload a job jar (multipart, one file; workflow jarUpload)',
    access: 'admin',
    upload: true,
    description:
      'The file is streamed to disk and checked before it is kept: a zip (its first bytes) whose central directory names META-INF/MANIFEST.MF, ' +
      'at most 100 MiB (what Flink takes). A refused upload leaves nothing behind. At most DF_MAX_UPLOADS uploads are received at once.',
    responses: {
      201: {
        description: 'Stored and given to Flink; `jarId` is what a JAR transform names in trans_jar',
        schema: z.object({
          uploaded_file_name: z.string(),
          jarId: z.string(),
          name: z.string(),
          size: z.number(),
          sha256: z.string(),
        }),
      },
      ...accepted,
      ...errors(400, 401, 403, 415, 502),
      413: { description: 'The jar is larger than Flink takes (100 MiB)', schema: errorSchema },
      503: {
        description:
          'DF_MAX_UPLOADS uploads are being received already (OVERLOADED), or Flink or Temporal is unreachable; Retry-After says when to try again',
        schema: errorSchema,
      },
    },
  },
  {
    method: 'delete',
    path: '/api/df/uploaded_files/:jarId',
    tag: 'Transforms',
    summary: "Delete an uploaded jar, DF's copy and Flink's (workflow jarDelete)",
    access: 'admin',
    description:
      'jarId is the `jarId` or `name` the upload answered. Refused with 409 while a JAR transform names the jar in trans_jar (DF gives Flink the jar again when it resubmits the transform).',
    responses: {
      200: {
        description: 'Deleted',
        schema: z.object({ deleted: z.literal(true), name: z.string(), flinkJarIds: z.array(z.string()) }),
      },
      ...accepted,
      ...errors(401, 403, 404, 409, 502, 503),
    },
  },

  {
    method: 'get',
    path: '/api/df/status',
    tag: 'Status',
    summary: 'Live status from the engine (?id=)',
    access: 'viewer',
    query: [{ name: 'id', description: 'Task id' }],
    responses: {
      200: { description: 'One row per connector task or job vertex', schema: z.array(liveStatusSchema) },
      ...errors(400, 401, 404, 502, 503),
    },
  },
  {
    method: 'get',
    path: '/api/df/status/:id',
    tag: 'Status',
    summary: 'Live status from the engine',
    access: 'viewer',
    responses: {
      200: { description: 'One row per connector task or job vertex', schema: z.array(liveStatusSchema) },
      ...errors(400, 401, 404, 502, 503),
    },
  },
  {
    method: 'get',
    path: '/api/df/status/:id/history',
    tag: 'Status',
    summary: "The task's status changes, newest first",
    access: 'viewer',
    query: list,
    description: LIST_NOTE,
    responses: { 200: { description: 'History', schema: z.array(statusHistorySchema) }, ...errors(400, 401, 404) },
  },
  {
    method: 'get',
    path: '/api/df/logs',
    tag: 'Status',
    summary: 'Recent log lines that name a task, newest first',
    description: `${LIST_NOTE} Every DF process keeps its lines of level info and above that name a task (not reads that went well) in the store, at most DF_LOG_STORE_LINES of them and none older than DF_LOG_STORE_AGE. \`q\` searches the message; \`_sort\` takes any field of a row but \`fields\`.`,
    access: 'viewer',
    query: list,
    responses: { 200: { description: 'Lines', schema: z.array(logRowSchema) }, ...errors(400, 401, 503) },
  },
  {
    method: 'get',
    path: '/api/df/logs/:id',
    tag: 'Status',
    summary: 'The recent log lines of one task, newest first',
    description: `${LIST_NOTE} The lines whose task is this id (its \`taskId\` field, not a search of the messages). Lines outlive their task: an id with no lines is an empty list, not a 404.`,
    access: 'viewer',
    query: list,
    responses: { 200: { description: 'Lines', schema: z.array(logRowSchema) }, ...errors(400, 401, 503) },
  },
  {
    method: 'get',
    path: '/api/df/drift',
    tag: 'Status',
    summary: "The last startup sync's drift report",
    access: 'viewer',
    responses: { 200: { description: 'Report', schema: driftAnswerSchema }, ...errors(401, 404) },
  },
  {
    method: 'get',
    path: '/api/df/hist',
    tag: 'Status',
    summary: 'Processing history from the metadata sink',
    access: 'viewer',
    query: list,
    description: LIST_NOTE,
    responses: { 200: { description: 'Rows', schema: z.array(histRowSchema) }, ...errors(400, 401) },
  },

  {
    method: 'get',
    path: '/api/df/schema',
    tag: 'Schemas',
    summary: 'Latest version of every subject (workflow schemaList)',
    access: 'viewer',
    query: [
      ...list,
      {
        name: 'subjects',
        description:
          "`topics` (default): leaves out internal subjects, as the original DataFibers did: the `-key` and `-value` twins of a subject that is listed itself, and the metadata topic's subjects (DF_META_TOPIC); `all`: every subject",
        schema: z.enum(SUBJECT_FILTERS),
      },
    ],
    description: LIST_NOTE,
    responses: {
      200: { description: 'Schemas', schema: z.array(schemaRowSchema) },
      ...errors(400, 401, 502, 503, 504),
    },
  },
  {
    method: 'get',
    path: '/api/df/schema/:subject',
    tag: 'Schemas',
    summary: 'Latest version of a subject, with every version number',
    access: 'viewer',
    description: SINGLE_READ_NOTE,
    responses: { 200: { description: 'Schema', schema: schemaRowSchema }, ...errors(400, 401, 404, 502, 503) },
  },
  {
    method: 'get',
    path: '/api/df/schema/:subject/versions/:version',
    tag: 'Schemas',
    summary: 'One version of a subject',
    access: 'viewer',
    description: SINGLE_READ_NOTE,
    responses: { 200: { description: 'Schema', schema: schemaRowSchema }, ...errors(400, 401, 404, 502, 503) },
  },
  {
    method: 'get',
    path: '/api/df/schema/:subject/diff',
    tag: 'Schemas',
    summary: 'Field changes between two Avro versions',
    access: 'viewer',
    query: [
      { name: 'from', description: 'Older version (default: to − 1)' },
      { name: 'to', description: 'Newer version (default: latest)' },
    ],
    description: SINGLE_READ_NOTE,
    responses: { 200: { description: 'Changes', schema: schemaDiffSchema }, ...errors(400, 401, 404, 502, 503) },
  },
  {
    method: 'post',
    path: '/api/df/schema',
    tag: 'Schemas',
    summary: 'Register a subject and create its topic (workflow schemaAdd)',
    access: 'admin',
    body: schemaAddBody,
    headers: mutationHeaders,
    responses: {
      201: { description: 'Registered', schema: schemaRowSchema },
      ...accepted,
      ...errors(...MUTATION_ERRORS),
    },
  },
  {
    method: 'put',
    path: '/api/df/schema/:subject',
    tag: 'Schemas',
    summary: 'Register a new version or change compatibility (workflow schemaUpdate)',
    access: 'admin',
    body: schemaUpdateBody,
    headers: mutationHeaders,
    responses: {
      200: { description: 'Updated', schema: schemaRowSchema },
      ...accepted,
      ...errors(...MUTATION_ERRORS, 404),
    },
  },
  {
    method: 'delete',
    path: '/api/df/schema/:subject',
    tag: 'Schemas',
    summary: 'Refused: subjects are append-only here',
    access: 'admin',
    responses: errors(401, 403, 405),
  },

  ...(['/api/df/s2p', '/api/df/s2p/:topic'] as const).map((path): ApiOperation => ({
    method: 'get',
    path,
    tag: 'Topics',
    summary: `Every partition of a topic${path.endsWith(':topic') ? '' : ' (?id=)'}`,
    access: 'viewer',
    query: [...(path.endsWith(':topic') ? [] : [{ name: 'id', description: 'The topic' }]), ...list],
    description: `Leader, replicas, in-sync replicas, earliest and latest offsets of each partition, from Kafka. ${LIST_NOTE}`,
    responses: {
      200: { description: 'Partitions', schema: z.array(topicPartitionSchema) },
      ...errors(400, 401, 404, 502, 503),
    },
  })),
  ...(['/api/df/s2t', '/api/df/s2t/:topic'] as const).map((path): ApiOperation => ({
    method: 'get',
    path,
    tag: 'Topics',
    summary: `The tasks that read or write a topic${path.endsWith(':topic') ? '' : ' (?id=)'}`,
    access: 'viewer',
    query: [...(path.endsWith(':topic') ? [] : [{ name: 'id', description: 'The topic' }]), ...list],
    description: `Tasks whose connectorConfig names the topic exactly in topics, topic, topic_in, topic_out, stream_back_topic or errors.deadletterqueue.topic.name (a comma list counts each name), or in a \`'topic' = '…'\` option of trans_sql. A topic no task names and Kafka does not have is answered 404. ${LIST_NOTE}`,
    responses: { 200: { description: 'Tasks', schema: tasks }, ...errors(400, 401, 404, 503) },
  })),
  ...(['/api/df/avroconsumer', '/api/df/avroconsumer/:topic'] as const).map((path): ApiOperation => ({
    method: 'get',
    path,
    tag: 'Topics',
    summary: `The latest records of a topic, decoded${path.endsWith(':topic') ? '' : ' (?id=)'}`,
    access: 'viewer',
    query: [
      ...(path.endsWith(':topic') ? [] : [{ name: 'id', description: 'The topic' }]),
      {
        name: 'limit',
        description: `How many records, 1 to ${PREVIEW_MAX_LIMIT} (default ${PREVIEW_DEFAULT_LIMIT}); more is refused 400`,
      },
      ...list,
    ],
    description: `The newest \`limit\` records across the topic's partitions, read from each partition's end offset minus the limit by a throwaway consumer group that commits nothing. A value (and key) in the Confluent wire format is decoded with the registry's schema its header names (Avro, JSON Schema); anything else is shown as JSON when it parses, else as text, else as base64. Reading stops at 1 MiB or 15 s: then the header X-DF-Preview-Partial says which (\`bytes\` or \`time\`) and the rows are what arrived. At most 4 previews run at once; one more is answered 503. ${LIST_NOTE}`,
    responses: {
      200: { description: 'Records', schema: z.array(previewRowSchema) },
      ...errors(400, 401, 404, 502, 503),
    },
  })),

  {
    method: 'post',
    path: '/api/df/bulk',
    tag: 'Bulk',
    summary: 'One action on many tasks (workflow bulkRun, a child run per task)',
    access: 'admin',
    body: bulkRequestBody,
    headers: mutationHeaders.slice(0, 2),
    description:
      "Give `ids`, or a `filter` with the lists' filters (`q`, `status`, `type`) and a `category`; at most 1000 tasks. Actions: pause, resume, restart (with its tasks), stop (connects), delete, set-config (`config`: keys to set, null removes) and rollback (`version`: of each task's own numbering) on connects and transforms. Each task runs as the operation it would alone (its lock, compensation, history), `concurrency` at a time (default 4, at most 32). A task the action does not apply to is skipped, one that fails fails alone: the others go on. `dryRun: true` answers which tasks it would touch and touches none. A run that outlasts DF_SYNC_WAIT_MS answers 202 with its `id`: follow it at GET /api/df/bulk/{id}.",
    responses: {
      200: {
        description: 'Every item ended, or (dryRun) what would run',
        schema: z.union([bulkResultSchema, bulkDryRunSchema]),
      },
      202: {
        description: 'Still running after DF_SYNC_WAIT_MS: follow GET /api/df/bulk/{id}',
        schema: acceptedSchema.extend({ id: z.string() }),
      },
      ...errors(...MUTATION_ERRORS),
    },
  },
  {
    method: 'get',
    path: '/api/df/bulk/:id',
    tag: 'Bulk',
    summary: "A bulk run's progress: per-item states and counts",
    access: 'viewer',
    responses: { 200: { description: 'The bulk run', schema: bulkRunSchema }, ...errors(400, 401, 404) },
  },
  {
    method: 'delete',
    path: '/api/df/bulk/:id',
    tag: 'Bulk',
    summary: 'Cancel a bulk run: no further item starts; those under way end on their own',
    access: 'admin',
    responses: {
      202: { description: 'Cancel requested: GET the run to see it end', schema: bulkCancelSchema },
      ...errors(400, 401, 404, 409),
    },
  },

  {
    method: 'get',
    path: '/api/df/ops/:workflowId',
    tag: 'Operations',
    summary: 'An operation: its Temporal status and, once ended, result or error',
    access: 'viewer',
    query: [{ name: 'runId', description: 'A particular run' }, keySpelling],
    responses: { 200: { description: 'Operation', schema: operationSchema }, ...errors(400, 401, 404) },
  },
  {
    method: 'get',
    path: '/api/df/audit',
    tag: 'Operations',
    summary: 'The operations the API started and who asked for each, newest first',
    description: `${LIST_NOTE} One entry per run a request started (adds, updates, actions, deletes, savepoints, schema writes, jar uploads); requests refused before a run started and reads are not in it. Admin tokens only: it tells who holds which token and where they call from. \`q\` searches the actor, task, operation, path, request id and client address. A bad filter is refused 400 naming it.`,
    access: 'admin',
    query: [
      ...list,
      { name: 'actor', description: "A token's name (DF_API_TOKENS), or `anonymous`" },
      { name: 'taskId', description: 'A task id or schema subject' },
      { name: 'operation', description: 'A workflow type (`connectAdd`, `connectAction`, …)' },
      {
        name: 'from',
        description:
          'Entries at or after this ISO 8601 time with its zone (`2026-12-06T20:00:00Z`) or date (00:00 UTC)',
      },
      { name: 'to', description: 'Entries at or before this time, as `from`' },
    ],
    responses: { 200: { description: 'Entries', schema: z.array(auditEntrySchema) }, ...errors(400, 401, 403) },
  },
  {
    method: 'get',
    path: '/api/df/webhooks',
    tag: 'Webhooks',
    summary: 'Every webhook, secrets masked',
    access: 'admin',
    query: list,
    description: LIST_NOTE,
    responses: { 200: { description: 'Webhooks', schema: z.array(webhookSchema) }, ...errors(400) },
  },
  {
    method: 'post',
    path: '/api/df/webhooks',
    tag: 'Webhooks',
    summary: 'Register a webhook',
    description: `${WEBHOOK_NOTE} A URL that is not http(s), or whose host DF_WEBHOOK_HOSTS does not list, is refused 400 naming \`url\`; unknown events or format likewise name their field.`,
    access: 'admin',
    body: webhookAddBody,
    responses: { 201: { description: 'Registered', schema: webhookSchema }, ...errors(400) },
  },
  {
    method: 'get',
    path: '/api/df/webhooks/:id',
    tag: 'Webhooks',
    summary: 'One webhook, its secret masked',
    access: 'admin',
    responses: { 200: { description: 'Webhook', schema: webhookSchema }, ...errors(404) },
  },
  {
    method: 'put',
    path: '/api/df/webhooks/:id',
    tag: 'Webhooks',
    summary: 'Replace a webhook',
    description: `${WEBHOOK_NOTE} Every field is replaced but \`secret\`: left out, or sent as the mask \`********\` a read answered, the secret stays as it is.`,
    access: 'admin',
    body: webhookReplaceBody,
    responses: { 200: { description: 'Replaced', schema: webhookSchema }, ...errors(400, 404) },
  },
  {
    method: 'delete',
    path: '/api/df/webhooks/:id',
    tag: 'Webhooks',
    summary: 'Remove a webhook and its delivery log',
    description: 'Deliveries under way find the webhook gone at their next attempt and stop.',
    access: 'admin',
    responses: { 200: { description: 'Removed', schema: webhookDeletedSchema }, ...errors(404) },
  },
  {
    method: 'get',
    path: '/api/df/webhooks/:id/deliveries',
    tag: 'Webhooks',
    summary: "The webhook's delivery log: every attempt, newest first",
    access: 'admin',
    query: list,
    description: LIST_NOTE,
    responses: {
      200: { description: 'Attempts', schema: z.array(webhookDeliverySchema) },
      ...errors(400, 404),
    },
  },
  ...(['encode', 'decode'] as const).map((direction): ApiOperation => ({
    method: 'post',
    path: `/api/codec/${direction}`,
    tag: 'Codec',
    access: 'admin',
    body: codecBody,
    summary: `${direction === 'encode' ? 'Encrypt' : 'Decrypt'} Temporal payloads with DF_PAYLOAD_KEY (remote codec of the Temporal UI and CLI)`,
    description:
      "Point the Temporal Web UI (`--ui-codec-endpoint`) or CLI (`--codec-endpoint`) at /api/codec to see the encrypted inputs and results of DF's workflows in clear. Bytes are base64. With no DF_PAYLOAD_KEY, payloads pass through unchanged.",
    responses: {
      200: { description: 'The payloads, converted', schema: codecBody },
      ...errors(400, 401, 403, 413, 415),
    },
  })),
];

/**
 * The refusals any operation of a kind can give, whatever its own list says: the middleware and
 * the parsers every route shares answer them (auth, path parameters, bodies, the store or
 * Temporal away), so each entry above lists only what is its own.
 */
function withCommonRefusals(op: ApiOperation): ApiOperation {
  // A route that only refuses (DELETE of a subject) reads neither its parameters nor the store.
  const serves = Object.keys(op.responses).some((status) => Number(status) < 300);
  const codes = [
    ...(op.access === 'open' ? [] : [401]),
    ...(op.access === 'admin' ? [403] : []),
    ...(serves && op.path.includes('/:') ? [400, 404] : []),
    ...(serves && (op.body || op.upload) ? [400, 413, 415] : []),
    ...(serves && op.path.startsWith('/api/df/') ? [503] : []),
    // A run that goes on past the wait answers 202; one that ran out of its own time answers 504.
    ...(202 in op.responses ? [504] : []),
  ];
  return { ...op, responses: { ...errors(...codes), ...op.responses } };
}

/** Every operation of the API, as the OpenAPI document describes it. */
export const API_OPERATIONS: ApiOperation[] = OPERATIONS.map(withCommonRefusals);
