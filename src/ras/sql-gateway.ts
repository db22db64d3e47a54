import { AxiosInstance } from 'axios';
import { createRasHttp, rasCall } from './http';

export interface StatementResult {
  resultType: 'NOT_READY' | 'PAYLOAD' | 'EOS';
  isQueryResult?: boolean;
  /** Set for INSERT statements: the Flink job the statement submitted. */
  jobID?: string;
  resultKind?: string;
  results?: {
    columns: { name: string; logicalType: { type: string } }[];
    data: { kind: string; fields: unknown[] }[];
  };
  nextResultUri?: string;
}

/** Flink SQL Gateway REST API, v2 endpoints (https://nightlies.apache.org/flink/flink-docs-stable/docs/dev/table/sql-gateway/rest/). */
export class SqlGatewayClient {
  private readonly http: AxiosInstance;

  constructor(readonly baseUrl: string, timeoutMs?: number) {
    this.http = createRasHttp(baseUrl, timeoutMs);
  }

  info(): Promise<{ productName: string; version: string }> {
    return rasCall('flink-sql-gateway', () => this.http.get('/v1/info'));
  }

  async openSession(properties: Record<string, string> = {}, sessionName?: string): Promise<string> {
    const body = await rasCall<{ sessionHandle: string }>('flink-sql-gateway', () =>
      this.http.post('/v2/sessions', { properties, ...(sessionName ? { sessionName } : {}) }),
    );
    return body.sessionHandle;
  }

  async executeStatement(session: string, statement: string): Promise<string> {
    const body = await rasCall<{ operationHandle: string }>('flink-sql-gateway', () =>
      this.http.post(`/v2/sessions/${encodeURIComponent(session)}/statements`, { statement }),
    );
    return body.operationHandle;
  }

  fetchResults(session: string, operation: string, token = 0): Promise<StatementResult> {
    return rasCall('flink-sql-gateway', () =>
      this.http.get(`/v2/sessions/${encodeURIComponent(session)}/operations/${encodeURIComponent(operation)}/result/${token}`, {
        params: { rowFormat: 'JSON' },
      }),
    );
  }

  async closeSession(session: string): Promise<void> {
    await rasCall('flink-sql-gateway', () => this.http.delete(`/v2/sessions/${encodeURIComponent(session)}`));
  }
}
