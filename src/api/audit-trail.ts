import type { Context, MiddlewareHandler } from 'hono';
import type { AuditEntry } from '../domain/audit';
import { log } from '../logger';
import type { AuditRepository } from '../repository/audit-repository';

/** Where the API writes who asked for each operation (df_audit). */
export type AuditLog = Pick<AuditRepository, 'record' | 'settle'>;

declare module 'hono' {
  interface ContextVariableMap {
    /** Set when the request started (or joined) a run: records the status it is answered with. */
    auditSettle: (status: number) => Promise<void>;
  }
}

/**
 * Writes the entry of the run a request started, at once (an API that stops while it waits for
 * the run leaves the entry without a status, not without an entry), and leaves the status it is
 * answered with to auditAnswers. A store that cannot take the entry does not fail the operation,
 * which has started: the run's memo still names who asked, and the log says the entry is missing.
 */
export function auditRun(c: Context, trail: AuditLog, entry: AuditEntry): void {
  const failed = (step: string) => (error: unknown) => {
    log('error', `audit entry not ${step}: the run's memo (dfAudit) still names who asked`, {
      workflowId: entry.workflowId,
      runId: entry.runId,
      actor: entry.actor,
      error: error instanceof Error ? error.message : String(error),
    });
    return false;
  };
  // Called from within the start of the run: whatever the store does, it must not throw there.
  const recorded = Promise.resolve()
    .then(() => trail.record(entry))
    .then(() => true, failed('recorded'));
  c.set('auditSettle', async (status) => {
    if (await recorded)
      await Promise.resolve()
        .then(() => trail.settle(entry.id, status))
        .catch(failed('given its status'));
  });
}

/** Sets the answer's status on the audit entry of the run the request started, if it started one. */
export function auditAnswers(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    await c.get('auditSettle')?.(c.res.status);
  };
}
