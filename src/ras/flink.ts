import { AxiosInstance } from 'axios';
import type { FlinkJobReport, FlinkJobSummary } from '../domain/flink-status';
import { isDfError } from '../domain/errors';
import { isMissingJar } from './flink-errors';
import { absentOn404, createRasHttp, errorBodyAsJson, rasCall, RasErrorDetails } from './http';
import { eachElementOf } from './json-slices';
import type { ServiceAccess } from './service-access';

export interface FlinkOverview {
  taskmanagers: number;
  'slots-total': number;
  'slots-available': number;
  'jobs-running': number;
  'flink-version': string;
}

export type FlinkJobDetails = FlinkJobReport;

export interface FlinkJar {
  id: string;
  name: string;
  uploaded: number;
  entry: { name: string; description?: string | null }[];
}

/** A savepoint operation's state: IN_PROGRESS, then COMPLETED with a location or a failure cause. */
export interface SavepointOperation {
  status: { id: 'IN_PROGRESS' | 'COMPLETED' };
  operation?: {
    location?: string;
    'failure-cause'?: { class?: string; 'stack-trace'?: string; 'serialized-throwable'?: string };
  };
}

export interface JarRunRequest {
  entryClass?: string;
  programArgsList?: string[];
  parallelism?: number;
  /** A fixed job id: a repeated run of the same request is then recognisable as a duplicate. */
  jobId: string;
  savepointPath?: string;
  allowNonRestoredState?: boolean;
}

/** Flink JobManager REST API (https://nightlies.apache.org/flink/flink-docs-stable/docs/ops/rest_api/). */
export class FlinkClient {
  private readonly http: AxiosInstance;

  constructor(
    /** Its URL, or how to reach it: URL, TLS material, credentials. */
    access: string | ServiceAccess,
    timeoutMs?: number,
  ) {
    this.http = createRasHttp(access, timeoutMs);
  }

  overview(): Promise<FlinkOverview> {
    return rasCall('flink', () => this.http.get('/overview'));
  }

  /**
   * Every job Flink knows (running and recently ended) with its task counts, in one call. The answer
   * is parsed a slice of jobs at a time, so the API sharing the process is never held for long.
   */
  async jobsOverview(): Promise<FlinkJobSummary[]> {
    const body = await rasCall<Buffer>('flink', () =>
      this.http.get('/jobs/overview', { responseType: 'arraybuffer', transformResponse: [errorBodyAsJson] }),
    );
    const jobs: FlinkJobSummary[] = [];
    await eachElementOf(body, 'jobs', (job) => jobs.push(job as FlinkJobSummary));
    return jobs;
  }

  /** The job, or undefined when Flink does not know it (never submitted, or forgotten after a restart). */
  job(jobId: string): Promise<FlinkJobDetails | undefined> {
    return absentOn404(() => rasCall('flink', () => this.http.get(`/jobs/${encodeURIComponent(jobId)}`)));
  }

  /** The job's root exception (its stack trace), if it has failed at some point. */
  async rootException(jobId: string): Promise<string | undefined> {
    const body = await absentOn404(() =>
      rasCall<{ 'root-exception'?: string | null; exceptionHistory?: { entries?: { stacktrace?: string }[] } }>(
        'flink',
        () => this.http.get(`/jobs/${encodeURIComponent(jobId)}/exceptions`, { params: { maxExceptions: 1 } }),
      ),
    );
    return body?.['root-exception'] ?? body?.exceptionHistory?.entries?.[0]?.stacktrace ?? undefined;
  }

  /**
   * Stops the job with a savepoint. `triggerId` makes the request idempotent: Flink answers a
   * repeat with the operation it already runs.
   */
  async stopWithSavepoint(jobId: string, triggerId: string, targetDirectory?: string): Promise<string> {
    const body = await rasCall<{ 'request-id': string }>('flink', () =>
      this.http.post(`/jobs/${encodeURIComponent(jobId)}/stop`, {
        drain: false,
        triggerId,
        ...(targetDirectory ? { targetDirectory } : {}),
      }),
    );
    return body['request-id'];
  }

  /** Takes a savepoint and leaves the job running; idempotent by `triggerId` like stop. */
  async triggerSavepoint(jobId: string, triggerId: string, targetDirectory?: string): Promise<string> {
    const body = await rasCall<{ 'request-id': string }>('flink', () =>
      this.http.post(`/jobs/${encodeURIComponent(jobId)}/savepoints`, {
        'cancel-job': false,
        triggerId,
        ...(targetDirectory ? { 'target-directory': targetDirectory } : {}),
      }),
    );
    return body['request-id'];
  }

  /** The savepoint operation, or undefined when Flink no longer remembers the trigger. */
  savepointOperation(jobId: string, triggerId: string): Promise<SavepointOperation | undefined> {
    return absentOn404(() =>
      rasCall('flink', () =>
        this.http.get(`/jobs/${encodeURIComponent(jobId)}/savepoints/${encodeURIComponent(triggerId)}`),
      ),
    );
  }

  /** Cancels the job; false when Flink has no such job. */
  async cancel(jobId: string): Promise<boolean> {
    const done = await absentOn404(() =>
      rasCall('flink', () =>
        this.http.patch(`/jobs/${encodeURIComponent(jobId)}`, undefined, { params: { mode: 'cancel' } }),
      ),
    );
    return done !== undefined;
  }

  async jars(): Promise<FlinkJar[]> {
    const body = await rasCall<{ files: FlinkJar[] }>('flink', () => this.http.get('/jars'));
    return body.files;
  }

  /** Uploads a jar (a file-backed Blob streams from disk); answers its Flink jar id (`<uuid>_<fileName>`). */
  async uploadJar(fileName: string, content: Blob): Promise<string> {
    const form = new FormData();
    form.append('jarfile', content, fileName);
    // No redirects followed: following them keeps a copy of the whole body to send again.
    const body = await rasCall<{ filename: string; status: string }>('flink', () =>
      this.http.post('/jars/upload', form, { timeout: 120000, maxRedirects: 0 }),
    );
    return body.filename.split('/').pop() ?? body.filename;
  }

  /** Removes an uploaded jar; false when Flink has no such jar. */
  async deleteJar(jarId: string): Promise<boolean> {
    try {
      await rasCall('flink', () => this.http.delete(`/jars/${encodeURIComponent(jarId)}`));
      return true;
    } catch (error) {
      if (
        isDfError(error) &&
        error.httpStatus < 500 &&
        (error.httpStatus === 404 || isMissingJar((error.details as RasErrorDetails | undefined)?.rasMessage))
      )
        return false;
      throw error;
    }
  }

  /** Builds the job graph of a jar without running it: Flink's own check of class and arguments. */
  async planJar(
    jarId: string,
    request: Omit<JarRunRequest, 'jobId' | 'savepointPath' | 'allowNonRestoredState'>,
  ): Promise<void> {
    await rasCall('flink', () =>
      this.http.post(`/jars/${encodeURIComponent(jarId)}/plan`, request, { timeout: 60000 }),
    );
  }

  async runJar(jarId: string, request: JarRunRequest): Promise<string> {
    const body = await rasCall<{ jobid: string }>('flink', () =>
      this.http.post(`/jars/${encodeURIComponent(jarId)}/run`, request, { timeout: 60000 }),
    );
    return body.jobid;
  }
}
