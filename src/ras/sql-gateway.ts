import { engineMessage } from '../domain/engine-message';
import { AxiosInstance, isAxiosError } from 'axios';
import { DfError, isDfError } from '../domain/errors';
import { flinkPositionOf } from '../domain/sql-position';
import { maskSqlOptionSecrets } from '../domain/kafka-security';
import { createRasHttp, rasCall, rasError } from './http';
import type { ServiceAccess } from './service-access';

export interface StatementColumn {
  name: string;
  logicalType: { type: string; nullable?: boolean };
}

export interface StatementResult {
  resultType: 'NOT_READY' | 'PAYLOAD' | 'EOS';
  isQueryResult?: boolean;
  /** Set for INSERT statements: the Flink job the statement submitted. */
  jobID?: string;
  resultKind?: string;
  results?: {
    columns: StatementColumn[];
    data: { kind: string; fields: unknown[] }[];
  };
  nextResultUri?: string;
}

/** A statement's whole answer: its columns, every row, and the job it submitted if any. */
export interface StatementOutcome {
  jobId?: string;
  columns: StatementColumn[];
  rows: unknown[][];
}

/**
 * Exceptions that mean the statement itself is wrong (parse, validation, planning): retrying cannot
 * help and the user needs Flink's words. Anything else (submission, connection) is the cluster's trouble.
 */
const STATEMENT_FAULTS =
  /(ValidationException|SqlParserException|SqlParseException|SqlValidatorException|CalciteContextException|TableException|CalciteException|UnsupportedOperationException)/;
const CLUSTER_FAULTS =
  /(JobSubmissionException|RestClientException|ConnectException|TimeoutException|IOException|RpcException)/;

/**
 * The gateway reports a failed statement as HTTP 500 with the server's stack trace; the message
 * worth showing is the deepest "Caused by" of the statement's own fault.
 */
export function statementFailure(statement: string, errors: string[], field = 'connectorConfig.trans_sql'): DfError {
  // Flink's messages list a refused table's options: the JAAS line and registry credentials among them.
  const text = maskSqlOptionSecrets(errors.join('\n'));
  const causes = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.startsWith('Caused by:'))
    .map((l) => l.slice('Caused by:'.length).trim());
  const deepest = (pattern: RegExp) => [...causes].reverse().find((c) => pattern.test(c.split(':')[0]));
  const withoutClass = (cause: string) => engineMessage(cause.replace(/^[\w.$]+:\s*/, '')) ?? cause.slice(0, 80);
  const details = (rasMessage: string) => ({
    ras: 'flink-sql-gateway',
    statement: maskSqlOptionSecrets(statement).slice(0, 2000),
    rasMessage,
  });
  const clusterFault = causes.find((c) => CLUSTER_FAULTS.test(c.split(':')[0]));
  const fault = deepest(STATEMENT_FAULTS);
  if (fault && !clusterFault) {
    const message = withoutClass(fault);
    // Where in the statement Flink points: the deepest message often no longer says (a validator's).
    const position = flinkPositionOf(causes.join('\n'));
    return new DfError('VALIDATION_FAILED', `Flink refused the SQL: ${message}`, {
      details: { ...details(message), ...(position ? { position } : {}), fields: { [field]: [message] } },
    });
  }
  const root = causes.length > 0 ? withoutClass(causes[causes.length - 1]) : (engineMessage(text) ?? 'no message');
  return new DfError('RAS_SERVER_ERROR', `flink-sql-gateway failed to run the statement: ${root}`, {
    details: details(root),
  });
}

const POLL_START_MS = 50;
const POLL_MAX_MS = 1000;

/** Flink SQL Gateway REST API, v2 endpoints (https://nightlies.apache.org/flink/flink-docs-stable/docs/dev/table/sql-gateway/rest/). */
export class SqlGatewayClient {
  private readonly http: AxiosInstance;

  constructor(
    /** Its URL, or how to reach it: URL, TLS material, credentials. */
    access: string | ServiceAccess,
    timeoutMs?: number,
  ) {
    this.http = createRasHttp(access, timeoutMs);
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
      this.http.get(
        `/v2/sessions/${encodeURIComponent(session)}/operations/${encodeURIComponent(operation)}/result/${token}`,
        {
          params: { rowFormat: 'JSON' },
        },
      ),
    );
  }

  /**
   * Runs one statement and waits for its whole answer (every page of a bounded query; the job id
   * of an INSERT). A statement Flink refuses becomes VALIDATION_FAILED with Flink's message.
   */
  async run(
    session: string,
    statement: string,
    options: { timeoutMs?: number; field?: string } = {},
  ): Promise<StatementOutcome> {
    const timeoutMs = options.timeoutMs ?? 60000;
    const operation = await this.executeStatement(session, statement);
    const outcome: StatementOutcome = { columns: [], rows: [] };
    const deadline = Date.now() + timeoutMs;
    let path: string | undefined =
      `/v2/sessions/${encodeURIComponent(session)}/operations/${encodeURIComponent(operation)}/result/0`;
    let wait = POLL_START_MS;
    while (path) {
      const page = await this.page(path, statement, options.field);
      if (page.jobID) outcome.jobId = page.jobID;
      if (page.results) {
        if (outcome.columns.length === 0) outcome.columns = page.results.columns;
        for (const row of page.results.data) outcome.rows.push(row.fields);
      }
      if (page.resultType === 'EOS') break;
      // An INSERT's job id is all there is to wait for; its result stream would follow the job.
      if (outcome.jobId && !page.isQueryResult) break;
      if (page.resultType === 'NOT_READY' || (page.results?.data.length ?? 0) === 0) {
        if (Date.now() > deadline) {
          throw new DfError(
            'TIMEOUT',
            `flink-sql-gateway did not finish the statement within ${timeoutMs} ms: ${maskSqlOptionSecrets(statement).slice(0, 200)}`,
          );
        }
        await new Promise((r) => setTimeout(r, wait));
        wait = Math.min(wait * 2, POLL_MAX_MS);
      }
      path = page.nextResultUri ?? path;
    }
    return outcome;
  }

  private async page(path: string, statement: string, field?: string): Promise<StatementResult> {
    try {
      const res = await this.http.get<StatementResult>(path, {
        params: path.includes('rowFormat') ? {} : { rowFormat: 'JSON' },
      });
      return res.data;
    } catch (error) {
      if (isAxiosError(error) && error.response?.status === 500) {
        const errors = (error.response.data as { errors?: unknown })?.errors;
        if (Array.isArray(errors)) throw statementFailure(statement, errors.map(String), field);
      }
      throw isDfError(error) ? error : rasError('flink-sql-gateway', error);
    }
  }

  async closeSession(session: string): Promise<void> {
    await rasCall('flink-sql-gateway', () => this.http.delete(`/v2/sessions/${encodeURIComponent(session)}`));
  }
}
