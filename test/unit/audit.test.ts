import { createHash } from 'node:crypto';
import { loadConfig } from '../../src/config';
import { auditSubjectOfPath, parseAuditFilter } from '../../src/domain/audit';
import { callerOfToken } from '../../src/api/auth';
import { DfError } from '../../src/domain/errors';

const ADMIN = 'admin-token-0123456789';
const VIEWER = 'viewer-token-0123456789';

function tokensOf(value: string) {
  return loadConfig({ DF_DEV_MODE: 'true', DF_API_TOKENS: value }).api.tokens;
}

function refusalOf(body: () => unknown): string {
  try {
    body();
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  return '(no error)';
}

function fieldsOf(body: () => unknown): Record<string, string[]> {
  try {
    body();
  } catch (error) {
    if (error instanceof DfError) return (error.details as { fields: Record<string, string[]> }).fields;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('DF_API_TOKENS names each token', () => {
  it('takes token:role:name, the name being who the audit says asked', () => {
    expect(tokensOf(`${ADMIN}:admin:ops-team,${VIEWER}:viewer:grafana.board`)).toEqual([
      { token: ADMIN, role: 'admin', name: 'ops-team' },
      { token: VIEWER, role: 'viewer', name: 'grafana.board' },
    ]);
  });

  it('still takes token:role, naming the token by six hex digits of its SHA-256, never by the token', () => {
    const [token] = tokensOf(`${ADMIN}:admin`);
    const sha = createHash('sha256').update(ADMIN).digest('hex');
    expect(token).toEqual({ token: ADMIN, role: 'admin', name: `token-${sha.slice(0, 6)}` });
    expect(token.name).not.toContain(ADMIN.slice(0, 6));
    // The same name in every process and after every restart: the audit's entries stay together.
    expect(tokensOf(`${VIEWER}:viewer,${ADMIN}:admin`)[1].name).toBe(token.name);
  });

  it('refuses a name with spaces or other characters, without echoing the tokens', () => {
    const message = refusalOf(() => tokensOf(`${ADMIN}:admin:ops team`));
    expect(message).toMatch(/^Invalid environment variable DF_API_TOKENS: .*token:role:name/);
    expect(message).not.toContain(ADMIN);
    expect(refusalOf(() => tokensOf(`${ADMIN}:admin:a/b`))).toContain('DF_API_TOKENS');
    expect(refusalOf(() => tokensOf(`${ADMIN}:admin:${'n'.repeat(65)}`))).toContain('DF_API_TOKENS');
  });

  it('refuses two tokens of one name: the audit could not tell their callers apart', () => {
    const message = refusalOf(() => tokensOf(`${ADMIN}:admin:ops,${VIEWER}:viewer:ops`));
    expect(message).toContain('two tokens have the same name');
    expect(message).not.toContain(VIEWER);
  });

  it('refuses the name anonymous, which the audit gives callers of an open API', () => {
    expect(refusalOf(() => tokensOf(`${ADMIN}:admin:anonymous`))).toContain('DF_API_TOKENS');
  });

  it('matches a presented token to its name and role', () => {
    const tokens = tokensOf(`${ADMIN}:admin:ops,${VIEWER}:viewer`);
    expect(callerOfToken(tokens, ADMIN)).toEqual({ name: 'ops', role: 'admin' });
    expect(callerOfToken(tokens, VIEWER)).toEqual({ name: tokens[1].name, role: 'viewer' });
    expect(callerOfToken(tokens, 'not-a-listed-token-at-all')).toBeUndefined();
  });
});

describe('what an audit entry is about, by the request path', () => {
  it('names the connect, transform or subject of the path, the kind of a jar upload or a bulk action', () => {
    expect(auditSubjectOfPath('/api/df/ps/orders-file/pause')).toEqual({ category: 'CONNECT', taskId: 'orders-file' });
    expect(auditSubjectOfPath('/api/df/ps')).toEqual({ category: 'CONNECT' });
    expect(auditSubjectOfPath('/api/df/tr/sql%20job')).toEqual({ category: 'TRANSFORM', taskId: 'sql job' });
    expect(auditSubjectOfPath('/api/df/schema/orders-value')).toEqual({ category: 'SCHEMA', taskId: 'orders-value' });
    expect(auditSubjectOfPath('/api/df/uploaded_files')).toEqual({ category: 'TRANSFORM' });
    expect(auditSubjectOfPath('/api/df/bulk')).toEqual({ category: 'BULK' });
    expect(auditSubjectOfPath('/api/df/ops/df-connect-add-x')).toEqual({});
  });
});

describe('the filters of GET /audit', () => {
  it('takes actor, taskId, operation and a time range', () => {
    expect(
      parseAuditFilter({
        actor: ['ops'],
        taskId: ['orders-file'],
        operation: ['connectAdd'],
        from: ['2026-12-06T20:00:00Z'],
        to: ['2026-12-06T21:00:00.500+01:00'],
      }),
    ).toEqual({
      actor: 'ops',
      taskId: 'orders-file',
      operation: 'connectAdd',
      from: new Date('2026-12-06T20:00:00Z'),
      to: new Date('2026-12-06T20:00:00.500Z'),
    });
    expect(parseAuditFilter({})).toEqual({});
    expect(parseAuditFilter({ from: ['2026-12-06'] })).toEqual({ from: new Date('2026-12-06T00:00:00Z') });
  });

  it('refuses a time that is not ISO 8601 with a zone, naming the parameter', () => {
    expect(fieldsOf(() => parseAuditFilter({ from: ['yesterday'] }))).toEqual({
      from: [expect.stringContaining('ISO 8601')],
    });
    expect(Object.keys(fieldsOf(() => parseAuditFilter({ to: ['2026-12-06T20:00:00'] })))).toEqual(['to']);
    expect(Object.keys(fieldsOf(() => parseAuditFilter({ to: ['2026-13-45T20:00:00Z'] })))).toEqual(['to']);
  });

  it('refuses a range that ends before it starts, an empty or spaced value, and a filter given twice', () => {
    expect(fieldsOf(() => parseAuditFilter({ from: ['2026-12-06T21:00:00Z'], to: ['2026-12-06T20:00:00Z'] }))).toEqual({
      to: ['expected a time at or after from'],
    });
    expect(Object.keys(fieldsOf(() => parseAuditFilter({ actor: [''] })))).toEqual(['actor']);
    expect(Object.keys(fieldsOf(() => parseAuditFilter({ taskId: ['a b'] })))).toEqual(['taskId']);
    expect(Object.keys(fieldsOf(() => parseAuditFilter({ operation: ['connectAdd', 'connectDelete'] })))).toEqual([
      'operation',
    ]);
  });
});
