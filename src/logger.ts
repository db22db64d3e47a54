import { AsyncLocalStorage } from 'node:async_hooks';
import pino from 'pino';
import type { LogLevel } from './config';
import { logSecretsOf, maskUrlCredentials, redactSecrets, SecretKeys } from './domain/secrets';

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

/**
 * Takes the lines a process keeps beyond stderr (the log store): each line as written, parsed and
 * scrubbed of secrets again, message included. `wants` sees the line's fields before it is parsed.
 */
export interface LogLineSink {
  /** The lowest level the sink takes, whatever DF_LOG_LEVEL lets through to stderr. */
  level: 'info' | 'warn' | 'error';
  wants(fields: Record<string, unknown>): boolean;
  take(line: Record<string, unknown>): void;
}

let sink: LogLineSink | undefined;
/** DF_LOG_LEVEL as a number: what reaches stderr. */
let stderrLevel = pino.levels.values.info;

/**
 * Stderr, and beside it the sink. pino hands a stream that asks for metadata (`pino.metadata`) the
 * level and fields of each line before it writes it, so the sink parses only lines it wants.
 */
const stderr = pino.destination({ dest: 2, sync: true });
const out = {
  [Symbol.for('pino.metadata')]: true,
  lastLevel: 0,
  lastObj: undefined as Record<string, unknown> | undefined,
  write(line: string): void {
    if (this.lastLevel >= stderrLevel) stderr.write(line);
    const current = sink;
    if (!current || this.lastLevel < pino.levels.values[current.level]) return;
    try {
      if (this.lastObj && current.wants(this.lastObj))
        current.take(redactSecrets(JSON.parse(line) as Record<string, unknown>, logSecrets));
    } catch {
      // The sink keeps a copy: a line it cannot take is lost to it, never to stderr or the caller.
    }
  },
};

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
  out,
);

/**
 * Whether a line goes anywhere: stderr takes its level, or the sink its level and its fields (the
 * context's, overridden by the line's own, as pino merges them). The logger's level is the lower of
 * the two, so without this every line at that level would be built and then dropped by both.
 */
function taken(level: Level, fields: Record<string, unknown>): boolean {
  const value = pino.levels.values[level];
  if (value >= stderrLevel) return true;
  const current = sink;
  if (!current || value < pino.levels.values[current.level]) return false;
  return current.wants({ ...logContext.getStore(), ...fields });
}

export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (!taken(level, fields)) return;
  // The formatter scrubs the fields; a message naming a URL may carry its password too.
  logger[level](fields, maskUrlCredentials(msg));
}

let policyLevel: LogLevel = 'info';

/** The logger writes a line when stderr or the sink takes it. */
function applyLevels(): void {
  stderrLevel = policyLevel === 'silent' ? Infinity : pino.levels.values[policyLevel];
  const sinkLevel = sink ? pino.levels.values[sink.level] : Infinity;
  const lowest = Math.min(stderrLevel, sinkLevel);
  logger.level = lowest === Infinity ? 'silent' : pino.levels.labels[lowest];
}

/**
 * Applies the process's config to its log: lines below DF_LOG_LEVEL are dropped, and the keys
 * DF_SECRET_KEYS names are scrubbed from every line, from then on.
 */
export function setLogPolicy(policy: { level: LogLevel; secretKeys: SecretKeys }): void {
  policyLevel = policy.level;
  logSecrets = logSecretsOf(policy.secretKeys);
  applyLevels();
}

/**
 * Hands the process's lines to a sink too, from now on; the function returned stops it (if it is
 * still the sink: one per process, the latest set wins).
 */
export function setLogLineSink(next: LogLineSink): () => void {
  sink = next;
  applyLevels();
  return () => {
    if (sink !== next) return;
    sink = undefined;
    applyLevels();
  };
}

/** Runs `body` with these fields on every line it logs (nested contexts add to the outer one). */
export function withLogContext<T>(context: LogContext, body: () => T): T {
  return logContext.run({ ...logContext.getStore(), ...context }, body);
}

/** Runs `body` outside any context: what it logs names no task, whoever called it. */
export function withoutLogContext<T>(body: () => T): T {
  return logContext.exit(body);
}
