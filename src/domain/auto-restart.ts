import { z } from 'zod';
import { durationMs } from './duration';

/**
 * A task's auto-restart policy: when its connector, a connector task or its Flink job has failed,
 * the status sync restarts it after `backoff`, then after twice that, four times… up to
 * `maxRestarts` attempts; a failure that outlives the last attempt marks the task as given up.
 */
export interface AutoRestartPolicy {
  enabled: boolean;
  maxRestarts: number;
  /** The first wait, e.g. "30s"; each further attempt waits twice the one before. */
  backoff: string;
}

/** Where a task's auto-restart stands: attempts made since it last ran steadily. */
export interface RestartState {
  attempts: number;
  lastAttemptAt?: string;
  /** The failure outlived every attempt: no more restarts until a user acts. */
  gaveUp?: boolean;
}

export const DEFAULT_AUTO_RESTART: AutoRestartPolicy = { enabled: true, maxRestarts: 3, backoff: '30s' };

const backoff = z
  .union([z.string(), z.number()])
  .refine((v) => durationMs(v) !== undefined, 'expected a duration such as "500ms", "30s", "5m" (a number is seconds)')
  .transform((v) => (typeof v === 'number' ? `${v}s` : v.trim()))
  .refine((v) => (durationMs(v) ?? 0) >= 100 && (durationMs(v) ?? 0) <= 86_400_000, 'expected between 100ms and 24h');

/** The autoRestart field of a task body; fields left out take the defaults. */
export const autoRestartInput = z
  .object({
    enabled: z.boolean().default(DEFAULT_AUTO_RESTART.enabled),
    maxRestarts: z.number().int('expected an integer').min(1).max(100).default(DEFAULT_AUTO_RESTART.maxRestarts),
    backoff: backoff.default(DEFAULT_AUTO_RESTART.backoff),
  })
  .strict();

/** How long attempt `n` (1-based) waits after the failure (n = 1) or after the attempt before. */
export function backoffBefore(policy: AutoRestartPolicy, attempt: number): number {
  return (durationMs(policy.backoff) ?? 30_000) * 2 ** (attempt - 1);
}
