import { AxiosInstance } from 'axios';
import { createRasHttp, rasCall } from './http';

export interface FlinkOverview {
  taskmanagers: number;
  'slots-total': number;
  'slots-available': number;
  'jobs-running': number;
  'flink-version': string;
}

export interface FlinkJobDetails {
  jid: string;
  name: string;
  state: string;
}

/** Flink JobManager REST API (https://nightlies.apache.org/flink/flink-docs-stable/docs/ops/rest_api/). */
export class FlinkClient {
  private readonly http: AxiosInstance;

  constructor(readonly baseUrl: string, timeoutMs?: number) {
    this.http = createRasHttp(baseUrl, timeoutMs);
  }

  overview(): Promise<FlinkOverview> {
    return rasCall('flink', () => this.http.get('/overview'));
  }

  job(jobId: string): Promise<FlinkJobDetails> {
    return rasCall('flink', () => this.http.get(`/jobs/${encodeURIComponent(jobId)}`));
  }
}
