// @ts-check
// What each transform kind asks for in the form: its config fields and whether its SQL is one
// query or a script (docs/transforms.md). DF checks the values; the form only lays them out.

/**
 * @typedef {object} KindField
 * @property {string} key the connectorConfig key
 * @property {string} label
 * @property {string} [help]
 * @property {boolean} [required]
 * @property {string} [placeholder]
 * @property {string[]} [choices] a select of these, with "default" first
 */

/**
 * @typedef {object} TransformKind
 * @property {string} type the connectorType
 * @property {string} label
 * @property {string} summary what it runs, in a line
 * @property {'query' | 'script' | undefined} sql one SELECT, a script of statements, or no SQL (a jar)
 * @property {KindField[]} fields
 */

const FORMAT = {
  key: 'format',
  label: 'Format',
  choices: ['avro-confluent', 'json'],
  help: 'How the topics’ records are encoded: Avro with the registry (default) or JSON.',
};
const COLUMNS_IN = {
  key: 'columns_in',
  label: 'Input columns',
  placeholder: 'id STRING, amount INT',
  help: 'Flink columns of the input topics. Left empty, they come from each topic’s registered Avro schema.',
};

/** @type {TransformKind[]} */
export const KINDS = [
  {
    type: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
    label: 'SQL, topic to topic',
    summary: 'A streaming SELECT over input topics, its rows written to an output topic.',
    sql: 'query',
    fields: [
      {
        key: 'topic_in',
        label: 'Input topics',
        required: true,
        placeholder: 'orders',
        help: 'Comma-separated; each is a table of the same name in the query.',
      },
      {
        key: 'topic_out',
        label: 'Output topic',
        required: true,
        help: 'Created when Kafka does not have it (as many partitions as the first input topic).',
      },
      FORMAT,
      COLUMNS_IN,
      { key: 'group_id', label: 'Consumer group', placeholder: 'df-<id>', help: 'Where the job keeps its offsets.' },
    ],
  },
  {
    type: 'TRANSFORM_EXCHANGE_FLINK_SQL',
    label: 'SQL script',
    summary: 'Your own CREATE TABLE statements, SETs and INSERTs, all INSERTs run as one streaming job.',
    sql: 'script',
    fields: [],
  },
  {
    type: 'TRANSFORM_BATCH_FLINK_SQL',
    label: 'Batch SQL',
    summary: 'A bounded SELECT whose result is kept as files (and can be streamed back to a topic).',
    sql: 'query',
    fields: [
      {
        key: 'topic_in',
        label: 'Input topics',
        help: 'Optional, comma-separated: read from the earliest to the latest offset.',
      },
      FORMAT,
      COLUMNS_IN,
      {
        key: 'stream_back_flag',
        label: 'Stream back',
        choices: ['true', 'false'],
        help: 'true: the result is sent to the stream-back topic when the job finishes.',
      },
      { key: 'stream_back_topic', label: 'Stream-back topic' },
    ],
  },
  {
    type: 'TRANSFORM_EXCHANGE_FLINK_JAR',
    label: 'Jar',
    summary: 'A Flink job from a jar you upload.',
    sql: undefined,
    fields: [
      {
        key: 'trans_jar',
        label: 'Jar id',
        required: true,
        placeholder: 'my-job-1f0c….jar',
        help: 'The jarId of an upload; choosing a file below uploads it and fills this in.',
      },
      {
        key: 'trans_jar_class',
        label: 'Entry class',
        placeholder: 'com.example.Job',
        help: 'Left empty: the jar’s manifest names it.',
      },
      { key: 'trans_jar_para', label: 'Arguments', help: 'Program arguments, shell-quoted.' },
      { key: 'parallelism', label: 'Parallelism', placeholder: 'Flink’s default' },
    ],
  },
];

/** Keys DF sets itself: kept as they are, never shown as extra properties. */
export const DF_KEYS = new Set(['cuid']);

/**
 * The kind a task's type runs as: the original's UDF jars are jars, its other SQL types SQLA2A.
 * @param {string} type
 * @returns {TransformKind}
 */
export function kindOf(type) {
  const upper = type.toUpperCase();
  return (
    KINDS.find((k) => k.type === upper) ??
    /** @type {TransformKind} */ (KINDS.find((k) => k.type === (upper.includes('UDF') ? KINDS[3].type : KINDS[0].type)))
  );
}
