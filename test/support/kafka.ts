import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { kafkaSecurity, readSettings } from '../../src/config';
import { withOptions } from '../../src/domain/flink-sql';
import { flinkKafkaSecurityOptions, KafkaSecurity } from '../../src/domain/kafka-security';
import { kafkajsSecurity, readKafkaTls } from '../../src/ras/kafka';
import { uniqueName } from './stack';
import { eventually } from './wait';

/**
 * Kafka's security as the environment gives it to DF (KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*,
 * KAFKA_TLS_*): PLAINTEXT on the default stack, SASL_SSL on the secure one.
 */
export function envKafkaSecurity(): KafkaSecurity {
  return kafkaSecurity(readSettings(process.env));
}

/**
 * What a spec's own Flink Kafka table adds to its WITH options to reach Kafka as the tables DF
 * declares do: `, 'properties.security.protocol' = …` and the rest, or nothing on a plaintext Kafka.
 */
export function flinkKafkaSecuritySql(security: KafkaSecurity = envKafkaSecurity()): string {
  const options = flinkKafkaSecurityOptions(security, readKafkaTls(security.tls));
  return Object.keys(options).length > 0 ? `, ${withOptions(options)}` : '';
}

/** A kafkajs client as DF's own: the same security settings, read the same way. */
function testKafka(brokers: string[], security: KafkaSecurity): Kafka {
  return new Kafka({ clientId: 'df-test', brokers, ...kafkajsSecurity(security), logLevel: logLevel.NOTHING });
}

/**
 * Reads `count` records of a topic from the beginning with a fresh consumer group. A kafkajs
 * consumer that joined before the topic's partitions had a leader can wait minutes for its next
 * metadata refresh, so a read that sees too few records in 30 s starts again with a new group.
 */
export async function readTopic(
  brokers: string[],
  topic: string,
  count: number,
  security: KafkaSecurity = envKafkaSecurity(),
): Promise<string[]> {
  const kafka = testKafka(brokers, security);
  // A connector creates its topic with its first record, which may come just after it reports RUNNING.
  const admin = kafka.admin();
  await admin.connect();
  try {
    await eventually(
      `topic ${topic} to exist`,
      async () => ((await admin.fetchTopicMetadata({ topics: [topic] })).topics.length > 0 ? true : undefined),
      60000,
    );
  } finally {
    await admin.disconnect();
  }
  const attempts = 3;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const seen = await readWithNewGroup(kafka, topic, count, 30000);
    if (seen.length >= count) return seen;
  }
  throw new Error(`timed out after ${attempts} reads of 30 s waiting for ${count} records on ${topic}`);
}

/** What one new consumer group reads of the topic within `waitMs`, stopping once it has `count` records. */
async function readWithNewGroup(kafka: Kafka, topic: string, count: number, waitMs: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('g') });
  const seen: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value?.toString() ?? '');
      },
    });
    await eventually(
      `${count} records on ${topic}`,
      async () => (seen.length >= count ? true : undefined),
      waitMs,
    ).catch(() => undefined);
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

/** Produces values (JSON-encoded when not strings) to a topic. */
export async function produce(
  brokers: string[],
  topic: string,
  values: unknown[],
  security: KafkaSecurity = envKafkaSecurity(),
): Promise<void> {
  const producer = testKafka(brokers, security).producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: values.map((v) => ({ value: typeof v === 'string' ? v : JSON.stringify(v) })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Produces records as given: raw bytes or text, each to the partition, with the key and timestamp it names. */
export async function produceRecords(
  brokers: string[],
  topic: string,
  records: { value: Buffer | string | null; key?: Buffer | string; partition?: number; timestamp?: string }[],
  security: KafkaSecurity = envKafkaSecurity(),
): Promise<void> {
  const producer = testKafka(brokers, security).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: records });
  } finally {
    await producer.disconnect();
  }
}

/** One config of a topic as the broker describes it: its value, and whether the topic sets it itself. */
export async function topicConfig(
  brokers: string[],
  topic: string,
  name: string,
  security: KafkaSecurity = envKafkaSecurity(),
): Promise<{ value: string; setOnTopic: boolean } | undefined> {
  const admin = testKafka(brokers, security).admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }],
      includeSynonyms: false,
    });
    const entry = resources[0]?.configEntries.find((e) => e.configName === name);
    // configSource 1: DYNAMIC_TOPIC_CONFIG, a value the topic was created or altered with.
    return entry && { value: entry.configValue, setOnTopic: entry.configSource === 1 };
  } finally {
    await admin.disconnect();
  }
}

/** A topic's partitions: each one's end offset and the node id of its leader. */
export async function topicPartitions(
  brokers: string[],
  topic: string,
  security: KafkaSecurity = envKafkaSecurity(),
): Promise<{ partition: number; end: number; leader: number }[]> {
  const admin = testKafka(brokers, security).admin();
  await admin.connect();
  try {
    const [offsets, metadata] = await Promise.all([
      admin.fetchTopicOffsets(topic),
      admin.fetchTopicMetadata({ topics: [topic] }),
    ]);
    const leaders = new Map(metadata.topics[0].partitions.map((p) => [p.partitionId, p.leader]));
    return offsets.map((o) => ({
      partition: o.partition,
      end: Number(o.high),
      leader: leaders.get(o.partition) ?? -1,
    }));
  } finally {
    await admin.disconnect();
  }
}

/** The sum of a topic's end offsets: how many records it has taken. */
export async function topicEnd(brokers: string[], topic: string): Promise<number> {
  return (await topicPartitions(brokers, topic)).reduce((sum, p) => sum + p.end, 0);
}
