import { Hono, type Context } from 'hono';
import { DfError } from '../../domain/errors';
import type { RowShape } from '../../domain/list-sort';
import { parsePreviewLimit, PREVIEW_ROW_SHAPE, type PreviewRow } from '../../domain/record-preview';
import { maskConfigSecrets, type SecretKeys } from '../../domain/secrets';
import type { Task } from '../../domain/task';
import { TASK_ROW_SHAPE } from '../../domain/task-query';
import { configUsesTopic, parseTopicName } from '../../domain/task-topics';
import type { KafkaAdmin } from '../../ras/kafka';
import type { SchemaRegistryClient } from '../../ras/schema-registry';
import { TopicPreview } from '../../ras/topic-preview';
import type { TaskRepository } from '../../repository/task-repository';
import { requireParam, rowsAnswer } from '../list-protocol';

/** One row of GET /s2p: a partition of the topic, with the fields the original UI reads. */
export interface TopicPartitionRow {
  /** `<topic>-<partition>`. */
  id: string;
  topic: string;
  partitionNumber: number;
  /** The broker id of the leader (-1: none). */
  leader: number;
  /** Broker ids, comma-separated (the original's shape). */
  replicas: string;
  insyncReplicas: string;
  earliestOffset: number;
  latestOffset: number;
}

/** `_sort` of GET /s2p: any field of a TopicPartitionRow. */
export const TOPIC_PARTITION_ROW_SHAPE: RowShape = {
  fields: [
    'id',
    'topic',
    'partitionNumber',
    'leader',
    'replicas',
    'insyncReplicas',
    'earliestOffset',
    'latestOffset',
  ] satisfies (keyof TopicPartitionRow)[],
};

function noTopic(topic: string): DfError {
  return new DfError('NOT_FOUND', `no topic ${topic} in Kafka`, { details: { topic } });
}

/**
 * The original UI's topic tabs, on the live services: GET /s2p (a topic's partitions), /s2t (the
 * tasks that read or write it), /avroconsumer (its latest records, decoded). Each takes the topic
 * as a path parameter or as `?id=` (how admin-on-rest asks for a reference list).
 */
export function topicRoutes(deps: {
  kafka: KafkaAdmin;
  schemaRegistry: SchemaRegistryClient;
  tasks: TaskRepository;
  secretKeys: SecretKeys;
}) {
  const preview = new TopicPreview(deps.kafka, deps.schemaRegistry);
  const topicOf = (c: Context) => parseTopicName(requireParam(c.req.param('topic') ?? c.req.query('id'), 'id'));
  const partitions = async (c: Context) => {
    const topic = topicOf(c);
    const answer = rowsAnswer<TopicPartitionRow>(c, {
      shape: TOPIC_PARTITION_ROW_SHAPE,
      searchable: ['replicas', 'insyncReplicas'],
      defaultSort: 'partitionNumber',
    });
    const found = await deps.kafka.describePartitions(topic);
    if (!found) throw noTopic(topic);
    const rows: TopicPartitionRow[] = found.map((p) => ({
      id: `${topic}-${p.partition}`,
      topic,
      partitionNumber: p.partition,
      leader: p.leader,
      replicas: p.replicas.join(','),
      insyncReplicas: p.isr.join(','),
      earliestOffset: p.earliestOffset,
      latestOffset: p.latestOffset,
    }));
    return answer(rows);
  };

  const tasksOfTopic = async (c: Context) => {
    const topic = topicOf(c);
    const answer = rowsAnswer<Task>(c, {
      shape: TASK_ROW_SHAPE,
      searchable: ['id', 'name', 'connectorType', 'status'],
      defaultSort: 'id',
    });
    const { tasks } = await deps.tasks.all();
    const using = tasks.filter((t) => configUsesTopic(t.connectorConfig, topic));
    // A topic no task names and Kafka does not have is a name mistyped, not an empty answer.
    if (using.length === 0 && (await deps.kafka.partitionCount(topic)) === undefined) throw noTopic(topic);
    return answer(maskConfigSecrets(using, deps.secretKeys));
  };

  const records = async (c: Context) => {
    const topic = topicOf(c);
    const limit = parsePreviewLimit(c.req.query('limit'));
    const answer = rowsAnswer<PreviewRow>(c, {
      shape: PREVIEW_ROW_SHAPE,
      searchable: ['valueString'],
      defaultSort: 'timestamp',
    });
    const { rows, partial } = await preview.latest(topic, limit);
    // A bound (bytes or time) cut the reading short: the rows are what arrived within it.
    if (partial) c.header('X-DF-Preview-Partial', partial);
    return answer(rows);
  };

  return new Hono()
    .get('/s2p', partitions)
    .get('/s2p/:topic', partitions)
    .get('/s2t', tasksOfTopic)
    .get('/s2t/:topic', tasksOfTopic)
    .get('/avroconsumer', records)
    .get('/avroconsumer/:topic', records);
}
