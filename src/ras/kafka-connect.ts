import { AxiosInstance } from 'axios';
import { InstalledPlugin } from '../domain/installed';
import { createRasHttp, rasCall } from './http';

/** Kafka Connect REST API (https://kafka.apache.org/documentation/#connect_rest). */
export class KafkaConnectClient {
  private readonly http: AxiosInstance;

  constructor(readonly baseUrl: string, timeoutMs?: number) {
    this.http = createRasHttp(baseUrl, timeoutMs);
  }

  /** Worker version and the Kafka cluster id: the cheapest call that proves Connect answers. */
  info(): Promise<{ version: string; commit: string; kafka_cluster_id: string }> {
    return rasCall('kafka-connect', () => this.http.get('/'));
  }

  listPlugins(): Promise<InstalledPlugin[]> {
    // connectorsOnly=true (the default) leaves out converters and transformations.
    return rasCall('kafka-connect', () => this.http.get('/connector-plugins', { params: { connectorsOnly: true } }));
  }
}
