import { Admin, Kafka, logLevel } from 'kafkajs';

/**
 * Kafka admin access (topics, offsets). kafkajs logs every failed connection attempt on its
 * own; DataFibers reports reachability through /health instead, so its logger stays quiet.
 */
export class KafkaAdmin {
  private readonly kafka: Kafka;
  private admin: Admin | undefined;
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

  private async connected(): Promise<Admin> {
    if (this.admin) return this.admin;
    this.connecting ??= (async () => {
      const admin = this.kafka.admin();
      try {
        await admin.connect();
      } catch (error) {
        this.connecting = undefined;
        throw error;
      }
      this.admin = admin;
      return admin;
    })();
    return this.connecting;
  }

  async describeCluster(): Promise<{ clusterId: string; brokers: number }> {
    const admin = await this.connected();
    const cluster = await admin.describeCluster();
    return { clusterId: cluster.clusterId, brokers: cluster.brokers.length };
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    this.connecting = undefined;
    await admin?.disconnect();
  }
}
