import { AxiosInstance } from 'axios';
import { createRasHttp, rasCall } from './http';

/** Flink SQL Gateway REST API, v2 endpoints (https://nightlies.apache.org/flink/flink-docs-stable/docs/dev/table/sql-gateway/rest/). */
export class SqlGatewayClient {
  private readonly http: AxiosInstance;

  constructor(readonly baseUrl: string, timeoutMs?: number) {
    this.http = createRasHttp(baseUrl, timeoutMs);
  }

  info(): Promise<{ productName: string; version: string }> {
    return rasCall('flink-sql-gateway', () => this.http.get('/v1/info'));
  }
}
