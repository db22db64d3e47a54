import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import type { LogLevel } from './config';
import { logSecretsOf, redactSecrets, SecretKeys } from './domain/secrets';

/**
 * JSON-lines logging to stderr (pino). Every line carries the context it was written in: the
 * workflow and task of an activity, the request and task of an API call. Secrets are scrubbed from
 * every line, whatever field they hide in.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';

export interface LogContext {
  workflowId?: string;
  runId?: string;
  activity?: string;
  taskId?: string;
  requestId?: string;
}

export const logContext = new AsyncLocalStorage<LogContext>();

/** The default secret keys until the process has read its config (setLogPolicy). */
let logSecrets = logSecretsOf(new SecretKeys());

export const logger = pino(
  {
    // DF_LOG_LEVEL's default, until the process has read its config (setLogPolicy).
    level: 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (fields) => redactSecrets(fields, logSecrets),
    },
    mixin: () => ({ ...logContext.getStore() }),
  },
  pino.destination({ dest: 2, sync: true }),
);

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  logger[level](fields, msg);
}

/**
 * Applies the process's config to its log: lines below DF_LOG_LEVEL are dropped, and the keys
 * DF_SECRET_KEYS names are scrubbed from every line, from then on.
 */
export function setLogPolicy(policy: { level: LogLevel; secretKeys: SecretKeys }): void {
  logger.level = policy.level;
  logSecrets = logSecretsOf(policy.secretKeys);
}

/** Runs `body` with these fields on every line it logs (nested contexts add to the outer one). */
export function withLogContext<T>(context: LogContext, body: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...context }, body);
}
