import { z } from 'zod';
import { AutoRestartPolicy, autoRestartInput } from './auto-restart';
import { isContainedColumnList } from './flink-sql';
import { ORIGINAL_TYPE_NAMES } from './legacy-task';
import type { StringMap } from './task';
import {
  compact,
  configMap,
  displayName,
  generatedTaskId,
  type IdSuffixSource,
  parseTaskUpdateBody,
  taskId,
  TaskUpdateInput,
  toStringMap,
  updateInputShape,
} from './task-input';
import { parseOrThrow, validationError } from './validation';

/**
 * Inputs of the transform workflows, validated the same way whether they come from the HTTP API
 * or from `temporal workflow start --input`. Config keys are the original DF's (trans_sql, topic_in…).
 */

export const TRANSFORM_KINDS = [
  'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
  'TRANSFORM_EXCHANGE_FLINK_SQL',
  'TRANSFORM_EXCHANGE_FLINK_JAR',
  'TRANSFORM_BATCH_FLINK_SQL',
] as const;
export type TransformKind = (typeof TRANSFORM_KINDS)[number];

/**
 * The original's names for DF's kinds, upper-cased (names are matched in any case): its UDF
 * transform ran a user jar's class, its 2017 SQL transforms are SQLA2A (see ORIGINAL_TYPE_NAMES).
 */
const KIND_ALIASES: Record<string, TransformKind> = Object.fromEntries(
  Object.entries(ORIGINAL_TYPE_NAMES)
    .filter(([, df]) => (TRANSFORM_KINDS as readonly string[]).includes(df))
    .map(([original, df]) => [original.toUpperCase(), df as TransformKind]),
);

/** The original name a type spells (any case), as the original wrote it; undefined for other names. */
function originalNameOf(connectorType: string): string | undefined {
  const upper = connectorType.trim().toUpperCase();
  return Object.keys(ORIGINAL_TYPE_NAMES).find((name) => name.toUpperCase() === upper);
}

/**
 * The original's Table API script transforms (a chain such as `select("name")` in trans_script,
 * compiled into a Flink job at run time). DF runs SQL, not Table API code: a new one is refused
 * with what to send instead. Stored ones keep their name and are read, synced and deleted.
 */
const SCRIPT_TYPES = ['TRANSFORM_EXCHANGE_FLINK_SCRIPT', 'TRANSFORM_FLINK_SCRIPT'];

/** The Table API chain's plain `select("a, b")`, as the SQL DF runs; undefined when it is more than that. */
export function sqlOfPlainSelect(script: string, topic: string): string | undefined {
  const m = /^\s*\.?\s*select\s*\(\s*"([^"]*)"\s*\)\s*;?\s*$/.exec(script);
  const columns = m?.[1].split(',').map((c) => c.trim());
  if (!columns || columns.some((c) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(c))) return undefined;
  return `SELECT ${columns.map((c) => `\`${c}\``).join(', ')} FROM \`${topic}\``;
}

function refuseScript(connectorType: string, config: StringMap): never {
  const topicIn = (config.topic_in ?? '').split(',')[0].trim();
  const script = config.trans_script ?? '';
  const topic = TOPIC_PATTERN.test(topicIn) ? topicIn : '<topic_in>';
  const sql = sqlOfPlainSelect(script, topic) ?? `SELECT <columns> FROM \`${topic}\` WHERE <condition>`;
  throw validationError(
    `connectorType ${connectorType.trim()} (a Flink Table API chain in trans_script) is not run by DF, which runs Flink SQL: ` +
      `send connectorType TRANSFORM_EXCHANGE_FLINK_SQLA2A with the same topic_in and topic_out and ` +
      `connectorConfig.trans_sql set to the query as SQL, e.g. ${sql}`,
    {
      connectorType: ['Table API scripts are not run: send TRANSFORM_EXCHANGE_FLINK_SQLA2A'],
      'connectorConfig.trans_sql': [`required instead of trans_script, e.g. ${sql}`],
    },
  );
}

export const TRANSFORM_FORMATS = ['avro-confluent', 'json'] as const;
export type TransformFormat = (typeof TRANSFORM_FORMATS)[number];

/** Kafka's topic name rule. */
const TOPIC_PATTERN = /^[A-Za-z0-9._-]{1,249}$/;
const topic = z
  .string()
  .trim()
  .regex(TOPIC_PATTERN, 'expected a Kafka topic name: 1-249 letters, digits, ".", "_" or "-"');
const topicList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .refine((list) => list.length > 0, 'required: at least one topic')
  .refine(
    (list) => list.every((t) => TOPIC_PATTERN.test(t)),
    'expected Kafka topic names (1-249 letters, digits, ".", "_" or "-"), comma-separated',
  );
const sqlText = z.string().trim().min(1, 'required: the SQL');
/** A Flink column list goes into a CREATE TABLE between parentheses: one statement, nothing after it. */
const columnList = z
  .string()
  .trim()
  .min(1)
  .refine(
    isContainedColumnList,
    'expected column definitions only: balanced parentheses and quotes, no ";" and no comments',
  );
const format = z.enum(TRANSFORM_FORMATS, { error: `expected one of ${TRANSFORM_FORMATS.join(', ')}` });
const jarId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._-]+\.jar$/, 'expected the jarId POST /api/df/uploaded_files answered (…​.jar)');
const javaClass = z
  .string()
  .trim()
  .regex(/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, 'expected a Java class name');
const positiveInt = z.string().regex(/^[1-9][0-9]{0,3}$/, 'expected a whole number from 1 to 9999');

/** The config each kind needs; unknown keys are kept (users annotate tasks), known ones checked. */
const KIND_CONFIG: Record<TransformKind, z.ZodType<Record<string, unknown>>> = {
  TRANSFORM_EXCHANGE_FLINK_SQLA2A: z
    .object({
      topic_in: topicList,
      topic_out: topic,
      trans_sql: sqlText,
      group_id: z.string().trim().min(1).max(200).optional(),
      format: format.optional(),
      columns_in: columnList.optional(),
      /** "false": a missing topic_out is refused instead of created. */
      create_topic_out: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
    })
    .passthrough(),
  TRANSFORM_EXCHANGE_FLINK_SQL: z.object({ trans_sql: sqlText }).passthrough(),
  TRANSFORM_EXCHANGE_FLINK_JAR: z
    .object({
      trans_jar: jarId,
      trans_jar_class: javaClass.optional(),
      trans_jar_para: z.string().max(10000).optional(),
      parallelism: positiveInt.optional(),
    })
    .passthrough(),
  TRANSFORM_BATCH_FLINK_SQL: z
    .object({
      trans_sql: sqlText,
      topic_in: topicList.optional(),
      format: format.optional(),
      columns_in: columnList.optional(),
      stream_back_flag: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
      stream_back_topic: topic.optional(),
    })
    .passthrough()
    .refine((c) => c.stream_back_flag !== 'true' || c.stream_back_topic !== undefined, {
      path: ['stream_back_topic'],
      message: 'required when stream_back_flag is true: the topic the result is sent to',
    }),
};

/** The kind a connectorType names, aliases included; undefined when it names none. */
export function transformKindOf(connectorType: string): TransformKind | undefined {
  const upper = connectorType.trim().toUpperCase();
  return (TRANSFORM_KINDS as readonly string[]).includes(upper) ? (upper as TransformKind) : KIND_ALIASES[upper];
}

/**
 * Checks a transform's config for its kind and returns it as stored: strings, topic lists joined
 * with ",", defaults filled in (format, group id).
 */
export function checkTransformConfig(id: string, kind: TransformKind, config: StringMap): StringMap {
  const checked = parseOrThrow(KIND_CONFIG[kind], config, 'transform config', 'connectorConfig');
  const out: StringMap = { ...config };
  for (const [k, v] of Object.entries(checked)) out[k] = Array.isArray(v) ? v.join(',') : String(v);
  if (kind === 'TRANSFORM_EXCHANGE_FLINK_SQLA2A') out.group_id ??= `df-${id}`;
  if (
    (kind === 'TRANSFORM_EXCHANGE_FLINK_SQLA2A' || kind === 'TRANSFORM_BATCH_FLINK_SQL') &&
    out.topic_in !== undefined
  )
    out.format ??= 'avro-confluent';
  if (kind === 'TRANSFORM_BATCH_FLINK_SQL' && out.topic_in === undefined) out.format ??= 'json';
  return out;
}

export const transformAddBody = z
  .object({
    id: taskId.optional(),
    taskSeq: z.union([z.string(), z.number()]).optional(),
    name: displayName,
    description: z.string().max(4000).optional(),
    connectorType: z
      .string({ error: `required: one of ${TRANSFORM_KINDS.join(', ')}` })
      .trim()
      .min(1),
    connectorConfig: configMap.optional(),
    autoRestart: autoRestartInput.optional(),
  })
  .passthrough();

/** What transformAdd takes. */
export interface TransformAddInput {
  id: string;
  taskSeq: string;
  name: string;
  description: string;
  /** A DF kind, or the original's name for one (kept as the task's type, run as the kind). */
  connectorType: string;
  connectorConfig: StringMap;
  autoRestart?: AutoRestartPolicy;
}

/** The kind a type runs as (an original name included); a name of no kind is bad input. */
export function requireTransformKind(connectorType: string): TransformKind {
  const kind = transformKindOf(connectorType);
  if (!kind) {
    throw validationError(`connectorType ${connectorType} is not a transform kind`, {
      connectorType: [`expected one of ${TRANSFORM_KINDS.join(', ')}`],
    });
  }
  return kind;
}

/** An add body as a TransformAddInput; without an id, one is generated from the name and `newIdSuffix`. */
export function parseTransformAdd(body: unknown, newIdSuffix: IdSuffixSource): TransformAddInput {
  const b = parseOrThrow(transformAddBody, body, 'transform');
  if (SCRIPT_TYPES.includes(b.connectorType.toUpperCase()))
    refuseScript(b.connectorType, toStringMap(b.connectorConfig));
  const kind = requireTransformKind(b.connectorType);
  const id = b.id ?? generatedTaskId(b.name, newIdSuffix(), 'transform');
  return {
    id,
    taskSeq: b.taskSeq === undefined ? '1' : String(b.taskSeq),
    name: b.name,
    description: b.description ?? '',
    // An original name is kept as given (its UI shows it); the job runs as the DF kind it stands for.
    connectorType: originalNameOf(b.connectorType) ?? kind,
    connectorConfig: checkTransformConfig(id, kind, { ...toStringMap(b.connectorConfig), cuid: id }),
    ...(b.autoRestart ? { autoRestart: b.autoRestart } : {}),
  };
}

export const UPGRADE_MODES = ['savepoint', 'stateless'] as const;
/** savepoint: stop with a savepoint and start the new version from it; stateless: cancel and start afresh. */
export type UpgradeMode = (typeof UPGRADE_MODES)[number];

/** What transformUpdate takes. */
export interface TransformUpdateInput extends TaskUpdateInput {
  upgradeMode?: UpgradeMode;
}

export function parseTransformUpdate(
  id: string,
  body: unknown,
  mode: 'replace' | 'merge',
  options: { expectedRevision?: number; upgradeMode?: UpgradeMode } = {},
): TransformUpdateInput {
  return compact({ ...parseTaskUpdateBody(id, body, mode, 'transform update'), ...options });
}

const updateInput = z.object({ ...updateInputShape, upgradeMode: z.enum(UPGRADE_MODES).optional() }).strict();

/** Checks a transformUpdate input that did not come through the API (CLI). */
export function parseTransformUpdateInput(input: unknown): TransformUpdateInput {
  return compact(parseOrThrow(updateInput, input, 'transform update'));
}

export const DELETE_MODES = ['savepoint', 'cancel'] as const;
export type DeleteMode = (typeof DELETE_MODES)[number];

export interface TransformDeleteInput {
  id: string;
  /** savepoint (default): stop the job with a savepoint first; cancel: cancel it without one. */
  mode?: DeleteMode;
}

const deleteInput = z.object({ id: taskId, mode: z.enum(DELETE_MODES).optional() }).strict();

export function parseTransformDeleteInput(input: unknown): TransformDeleteInput {
  return compact(parseOrThrow(deleteInput, input, 'transform delete'));
}

/** A query-string mode (?upgradeMode=, ?mode=) checked against its choices. */
export function parseMode<T extends string>(
  raw: string | undefined,
  choices: readonly T[],
  name: string,
): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw validationError(`${name} must be one of ${choices.join(', ')}`, {
    [name]: [`expected one of ${choices.join(', ')}`],
  });
}
