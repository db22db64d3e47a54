import fs from 'node:fs';
import {
  Admin,
  Consumer,
  ConsumerConfig,
  Kafka,
  KafkaConfig,
  KafkaJSProtocolError,
  logLevel,
  SASLOptions,
} from 'kafkajs';
import { DfError } from '../domain/errors';
import {
  KafkaSasl,
  KafkaSecurity,
  KafkaTlsFiles,
  KafkaTlsMaterial,
  PLAINTEXT_KAFKA,
  plainKafkaFailure,
  usesTls,
} from '../domain/kafka-security';
import { DEFAULT_TOPIC_SETTINGS, topicCreation, type TopicSettings } from '../domain/topic-settings';

/** The PEM texts of the configured TLS files, read now: a rotated certificate is taken at the next read. */
export function readKafkaTls(files: KafkaTlsFiles): KafkaTlsMaterial {
  const read = (variable: string, file: string | undefined) => {
    if (!file) return undefined;
    try {
      return fs.readFileSync(file, 'utf8');
    } catch (error) {
      // Readable at start, gone since (a rotation mid-way): worth another try, and said in plain words.
      throw new DfError('INTERNAL', `cannot read ${variable} ${file}: ${(error as NodeJS.ErrnoException).code}`, {
        retryable: true,
        details: { ras: 'kafka', variable },
        cause: error,
      });
    }
  };
  return {
    ca: read('KAFKA_TLS_CA_FILE', files.caFile),
    cert: read('KAFKA_TLS_CERT_FILE', files.certFile),
    key: read('KAFKA_TLS_KEY_FILE', files.keyFile),
  };
}

function kafkajsSasl({ mechanism, username, password }: KafkaSasl): SASLOptions {
  switch (mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', username, password };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username, password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username, password };
  }
}

/** kafkajs's ssl and sasl options for a security setting (PLAINTEXT: neither). */
export function kafkajsSecurity(security: KafkaSecurity): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  const out: Pick<KafkaConfig, 'ssl' | 'sasl'> = {};
  if (usesTls(security.protocol)) {
    const { ca, cert, key } = readKafkaTls(security.tls);
    // Without a CA of its own, Node's trusted CAs verify the brokers (ssl: true).
    out.ssl = ca || cert ? { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) } : true;
  }
  if (security.sasl) {
    out.sasl = kafkajsSasl(security.sasl);
  }
  return out;
}

/** The error kafkajs reports for a request (the first of an aggregate): Kafka's error type and its text. */
function firstProtocolError(error: unknown): { type: string; message: string } {
  const e = error as KafkaJSProtocolError & { errors?: { type?: string; message?: string }[] };
  const inner = e.errors?.[0] ?? e;
  return { type: (inner as KafkaJSProtocolError).type ?? '', message: inner.message ?? String(error) };
}

/** One partition of a topic as Kafka describes it. */
export interface TopicPartitionInfo {
  partition: number;
  /** The broker id of its leader (-1: none). */
  leader: number;
  replicas: number[];
  isr: number[];
  /** The first offset still held, and the next offset to be written. */
  earliestOffset: number;
  latestOffset: number;
}

/**
 * Kafka admin access (topics, offsets). kafkajs logs every failed connection attempt on its
 * own; DataFibers reports reachability through /health instead, so its logger stays quiet.
 */
export class KafkaAdmin {
  private readonly kafka: Kafka;
  private readonly protocol: KafkaSecurity['protocol'];
  /** The one admin connection, opened on first use; cleared on failure so the next call retries. */
  private connecting: Promise<Admin> | undefined;

  constructor(
    readonly brokers: string[],
    security: KafkaSecurity = PLAINTEXT_KAFKA,
    clientId = 'datafibers',
    /** Replication and min.insync.replicas of the topics DF creates. */
    private readonly topics: TopicSettings = DEFAULT_TOPIC_SETTINGS,
  ) {
    this.protocol = security.protocol;
    this.kafka = new Kafka({
      clientId,
      brokers,
      ...kafkajsSecurity(security),
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      requestTimeout: 10000,
      retry: { retries: 2, initialRetryTime: 200 },
    });
  }

  private connected(): Promise<Admin> {
    this.connecting ??= (async () => {
      const admin = this.kafka.admin();
      await admin.connect();
      return admin;
    })().catch((error) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  async describeCluster(): Promise<{ clusterId: string; brokers: number }> {
    return this.call('describe the cluster', async (admin) => {
      const cluster = await admin.describeCluster();
      return { clusterId: cluster.clusterId, brokers: cluster.brokers.length };
    });
  }

  /**
   * Creates the topic unless it exists; `created` says which. Without a replication factor it gets
   * DF's default; it gets DF's min.insync.replicas when one is set. Kafka's refusals of the request
   * (bad partition count or replication factor, invalid name) are bad input, not worth a retry.
   */
  async ensureTopic(topic: string, partitions: number, replicationFactor?: number): Promise<{ created: boolean }> {
    const { replicationFactor: factor, configEntries } = topicCreation(this.topics, replicationFactor);
    return this.call(`create topic ${topic}`, async (admin) => {
      try {
        const created = await admin.createTopics({
          topics: [{ topic, numPartitions: partitions, replicationFactor: factor, configEntries }],
          waitForLeaders: true,
        });
        return { created };
      } catch (error) {
        const refusal = firstProtocolError(error);
        if (refusal.type !== 'INVALID_REPLICATION_FACTOR') throw error;
        // kafkajs keeps Kafka's error code but not its message, which names the brokers available.
        const brokers = (await admin.describeCluster()).brokers.length;
        throw Object.assign(
          new Error(`${refusal.message}: ${factor} replicas asked, the cluster has ${brokers} broker(s)`),
          { type: refusal.type },
        );
      }
    });
  }

  async deleteTopic(topic: string): Promise<void> {
    await this.call(`delete topic ${topic}`, (admin) => admin.deleteTopics({ topics: [topic] }));
  }

  /** Partition count of a topic, or undefined when there is no such topic. */
  async partitionCount(topic: string): Promise<number | undefined> {
    return this.call(`describe topic ${topic}`, async (admin) => {
      const topics = await admin.listTopics();
      if (!topics.includes(topic)) return undefined;
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      return meta.topics[0]?.partitions.length;
    });
  }

  /**
   * Every partition of the topic: leader, replicas, in-sync replicas and the earliest and latest
   * offsets; undefined when there is no such topic.
   */
  async describePartitions(topic: string): Promise<TopicPartitionInfo[] | undefined> {
    return this.call(`describe topic ${topic}`, async (admin) => {
      if (!(await admin.listTopics()).includes(topic)) return undefined;
      const [meta, offsets] = await Promise.all([
        admin.fetchTopicMetadata({ topics: [topic] }),
        admin.fetchTopicOffsets(topic),
      ]);
      const byPartition = new Map(offsets.map((o) => [o.partition, o]));
      return (meta.topics[0]?.partitions ?? [])
        .map((p) => ({
          partition: p.partitionId,
          leader: p.leader,
          replicas: p.replicas,
          isr: p.isr,
          earliestOffset: Number(byPartition.get(p.partitionId)?.low ?? 0),
          latestOffset: Number(byPartition.get(p.partitionId)?.high ?? 0),
        }))
        .sort((a, b) => a.partition - b.partition);
    });
  }

  /**
   * A consumer with DF's brokers and security. Its caller connects and disconnects it; kafkajs's
   * own logging stays quiet, as for the admin.
   */
  consumer(config: ConsumerConfig): Consumer {
    return this.kafka.consumer(config);
  }

  /** Removes consumer groups (a preview's throwaway group); a group already gone is no failure. */
  async deleteGroups(groupIds: string[]): Promise<void> {
    await this.call(`delete consumer groups ${groupIds.join(',')}`, (admin) => admin.deleteGroups(groupIds)).catch(
      () => undefined,
    );
  }

  /** The sum of the topic's partitions' end offsets: how many records it has ever taken. */
  async endOffsetSum(topic: string): Promise<number> {
    return this.call(`read end offsets of ${topic}`, async (admin) => {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, p) => sum + Number(p.high), 0);
    });
  }

  private async call<T>(what: string, body: (admin: Admin) => Promise<T>): Promise<T> {
    let admin: Admin;
    try {
      admin = await this.connected();
    } catch (error) {
      throw new DfError(
        'RAS_UNREACHABLE',
        `kafka unreachable at ${this.brokers.join(',')}: ${plainKafkaFailure((error as Error).message, this.protocol)}`,
        {
          details: { ras: 'kafka' },
          cause: error,
        },
      );
    }
    try {
      return await body(admin);
    } catch (error) {
      const { type, message: reason } = firstProtocolError(error);
      const message = `kafka refused to ${what}: ${reason}`;
      if (
        [
          'INVALID_REPLICATION_FACTOR',
          'INVALID_PARTITIONS',
          'INVALID_TOPIC_EXCEPTION',
          'INVALID_CONFIG',
          'POLICY_VIOLATION',
        ].includes(type)
      ) {
        throw new DfError('RAS_CLIENT_ERROR', message, { details: { ras: 'kafka', type }, cause: error });
      }
      throw new DfError('RAS_SERVER_ERROR', message, { details: { ras: 'kafka', type }, cause: error });
    }
  }

  async close(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = undefined;
    const admin = await connecting?.catch(() => undefined);
    await admin?.disconnect();
  }
}
