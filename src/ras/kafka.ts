import { Admin, Kafka, logLevel } from 'kafkajs';

/**
 * Kafka admin access (topics, offsets). kafkajs logs every failed connection attempt on its
 * own; DataFibers reports reachability through /health instead, so its logger stays quiet.
 */
export class KafkaAdmin {
  private readonly kafka: Kafka;
  /** The one admin connection, opened on first use; cleared on failure so the next call retries. */
  private connecting: Promise<Admin> | undefined;

  constructor(readonly brokers: string[], clientId = 'datafibers') {
    this.kafka = new Kafka({
      clientId,
      brokers,
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
    const admin = await this.connected();
    const cluster = await admin.describeCluster();
    return { clusterId: cluster.clusterId, brokers: cluster.brokers.length };
  }

  async close(): Promise<void> {
    const connecting = this.connecting;
    this.connecting = undefined;
    const admin = await connecting?.catch(() => undefined);
    await admin?.disconnect();
  }
}
