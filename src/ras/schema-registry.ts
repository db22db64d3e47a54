import { AxiosInstance } from 'axios';
import { createRasHttp, rasCall } from './http';

/**
 * Confluent Schema Registry API. The base URL carries any path prefix (Apicurio's
 * /apis/ccompat/v7), so the same client works against Confluent's registry and the local one.
 */
export class SchemaRegistryClient {
  private readonly http: AxiosInstance;

  constructor(readonly baseUrl: string, timeoutMs?: number) {
    this.http = createRasHttp(baseUrl, timeoutMs);
    this.http.defaults.headers.common.Accept = 'application/vnd.schemaregistry.v1+json, application/json';
  }

  /** Global compatibility level. */
  globalConfig(): Promise<{ compatibilityLevel: string }> {
    return rasCall('schema-registry', () => this.http.get('/config'));
  }
}
