import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { DfError } from '../domain/errors';
import {
  PreviewRow,
  Rendered,
  renderPlain,
  renderRegistered,
  valueText,
  wireSchemaId,
  WriterSchema,
} from '../domain/record-preview';
import type { KafkaAdmin } from './kafka';
import type { SchemaRegistryClient } from './schema-registry';

/** How much one preview may read and how long it may take; what arrived by then is the answer. */
export interface PreviewBounds {
  maxBytes: number;
  waitMs: number;
  /** Previews running at once; one more is refused (each holds a consumer and its connections). */
  maxConcurrent: number;
}

export const DEFAULT_PREVIEW_BOUNDS: PreviewBounds = { maxBytes: 1 << 20, waitMs: 15000, maxConcurrent: 4 };

export interface Preview {
  rows: PreviewRow[];
  /** Set when a bound cut the reading short: the rows are what arrived within it. */
  partial?: 'bytes' | 'time';
}

interface Fetched {
  partition: number;
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

/**
 * The latest records of a topic, read without a committed position: a throwaway consumer group
 * seeks each partition to its end offset minus the limit, commits nothing and is deleted after.
 * Each record's key and value are decoded with the registry's schema their header names.
 */
export class TopicPreview {
  private running = 0;

  constructor(
    private readonly kafka: KafkaAdmin,
    private readonly registry: SchemaRegistryClient,
    private readonly bounds: PreviewBounds = DEFAULT_PREVIEW_BOUNDS,
  ) {}

  async latest(topic: string, limit: number): Promise<Preview> {
    if (this.running >= this.bounds.maxConcurrent) {
      throw new DfError('OVERLOADED', `${this.running} topic previews are running; try again in a moment`, {
        details: { running: this.running },
      });
    }
    this.running++;
    try {
      const partitions = await this.kafka.describePartitions(topic);
      if (!partitions) throw new DfError('NOT_FOUND', `no topic ${topic} in Kafka`, { details: { topic } });
      // From each partition its last `limit` records: together they hold the topic's latest `limit`.
      const ranges = partitions
        .map((p) => ({
          partition: p.partition,
          start: Math.max(p.earliestOffset, p.latestOffset - limit),
          end: p.latestOffset,
        }))
        .filter((r) => r.end > r.start);
      if (ranges.length === 0) return { rows: [] };
      const { records, partial } = await this.read(topic, ranges);
      const newest = records
        .sort((a, b) => b.timestamp - a.timestamp || b.partition - a.partition || b.offset - a.offset)
        .slice(0, limit);
      const rows = await this.render(newest);
      return partial ? { rows, partial } : { rows };
    } finally {
      this.running--;
    }
  }

  private async read(
    topic: string,
    ranges: { partition: number; start: number; end: number }[],
  ): Promise<{ records: Fetched[]; partial?: 'bytes' | 'time' }> {
    const groupId = `df-preview-${randomUUID()}`;
    const consumer = this.kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxBytes: this.bounds.maxBytes,
      maxBytesPerPartition: this.bounds.maxBytes,
      maxWaitTimeInMs: 500,
      retry: { retries: 1 },
    });
    const records: Fetched[] = [];
    const open = new Map(ranges.map((r) => [r.partition, r]));
    // Per partition, the first offset of its range not read yet.
    const unread = new Map(ranges.map((r) => [r.partition, r.start]));
    let bytes = 0;
    // Set from the callbacks below: which bound, if any, ended the reading.
    const cut: { by?: 'bytes' | 'time' } = {};
    let finish: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    // A crash may come before the answer is awaited: handled here, thrown where it is awaited.
    done.catch(() => undefined);
    const timer = setTimeout(() => {
      cut.by = 'time';
      finish();
    }, this.bounds.waitMs);
    try {
      await connectConsumer(consumer, topic, this.kafka.brokers);
      // kafkajs restarts a consumer after a retriable crash; the time bound ends a preview that waits on it.
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        if (!payload.restart) fail(payload.error);
      });
      const started = consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const range = open.get(batch.partition);
          if (!range || cut.by) return;
          const from = unread.get(batch.partition) ?? range.start;
          // A batch fetched from beyond the first unread offset says nothing about the offsets it
          // skipped: counted as read, it could close the partition with its range unread. Seek back.
          if (Number(fetchedOffsetOf(batch)) > from) {
            consumer.seek({ topic, partition: batch.partition, offset: String(from) });
            return;
          }
          for (const m of batch.messages) {
            const offset = Number(m.offset);
            if (offset < range.start || offset >= range.end) continue;
            const size = (m.key?.length ?? 0) + (m.value?.length ?? 0);
            if (bytes + size > this.bounds.maxBytes) {
              cut.by = 'bytes';
              finish();
              return;
            }
            bytes += size;
            records.push({
              partition: batch.partition,
              offset,
              timestamp: Number(m.timestamp),
              key: m.key,
              value: m.value,
            });
          }
          // An empty batch's last offset is the partition's end: nothing more is coming below it.
          unread.set(batch.partition, Number(batch.lastOffset()) + 1);
          if (Number(batch.lastOffset()) >= range.end - 1) open.delete(batch.partition);
          if (open.size === 0) finish();
        },
      });
      // Sought before the group's first fetch: the seeks apply when partitions are assigned.
      for (const r of ranges) consumer.seek({ topic, partition: r.partition, offset: String(r.start) });
      // Joining the group may outlast the time bound: the bound, not the join, ends the wait.
      started.catch((error: unknown) => fail(error));
      await done;
    } catch (error) {
      if (error instanceof DfError) throw error;
      throw new DfError('RAS_SERVER_ERROR', `kafka could not preview ${topic}: ${(error as Error).message}`, {
        details: { ras: 'kafka', topic },
        cause: error,
      });
    } finally {
      clearTimeout(timer);
      await consumer.disconnect().catch(() => undefined);
      await this.kafka.deleteGroups([groupId]);
    }
    return cut.by ? { records, partial: cut.by } : { records };
  }

  private async render(records: Fetched[]): Promise<PreviewRow[]> {
    const schemas = new Map<number, Promise<WriterSchema | undefined>>();
    const schemaOf = (id: number) => {
      let found = schemas.get(id);
      if (!found) {
        found = this.registry.schemaById(id);
        schemas.set(id, found);
      }
      return found;
    };
    const decode = async (bytes: Buffer | null): Promise<Rendered> => {
      const view = bytes === null ? null : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const id = view ? wireSchemaId(view) : undefined;
      if (view === null || id === undefined) return renderPlain(view);
      return renderRegistered(view, id, await schemaOf(id));
    };
    return Promise.all(
      records.map(async (r) => {
        const [key, value] = await Promise.all([decode(r.key), decode(r.value)]);
        return {
          id: `${r.partition}-${r.offset}`,
          partition: r.partition,
          offset: r.offset,
          timestamp: new Date(r.timestamp).toISOString(),
          key: key.value,
          value: value.value,
          valueString: value.value === null ? '' : valueText(value.value),
          format: value.format,
          ...(value.schemaId !== undefined ? { schemaId: value.schemaId } : {}),
          ...(value.decodeError ? { decodeError: value.decodeError } : {}),
        };
      }),
    );
  }
}

/** Connects and subscribes; brokers that cannot be reached are RAS_UNREACHABLE, as for the admin. */
async function connectConsumer(consumer: Consumer, topic: string, brokers: string[]): Promise<void> {
  try {
    await consumer.connect();
  } catch (error) {
    throw new DfError('RAS_UNREACHABLE', `kafka unreachable at ${brokers.join(',')}: ${(error as Error).message}`, {
      details: { ras: 'kafka' },
      cause: error,
    });
  }
  // Where a partition starts when the preview's seek is not applied (kafkajs can fetch once at the
  // default position before a seek made ahead of the assignment takes hold): from the earliest
  // offset a lost seek costs reading up to the range, where the latest would end the partition at
  // once with none of its records.
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
}

/** The offset the batch's fetch asked from: kafkajs keeps it on the batch but leaves it out of its types. */
function fetchedOffsetOf(batch: object): string | undefined {
  const { fetchedOffset } = batch as { fetchedOffset?: unknown };
  return typeof fetchedOffset === 'string' ? fetchedOffset : undefined;
}
