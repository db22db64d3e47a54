import { z } from 'zod';
import { hostProblem, type ReachPolicy } from './reach-policy';
import type { HistoryEntry } from './status-sync';
import type { DfStatus } from './status';

/**
 * Webhooks: where DF tells a team that something broke or ended. A webhook names a URL, the events
 * it wants and the body's format; its secret signs every body (HMAC-SHA256), so the receiver can
 * tell DF's calls from anyone else's.
 */

export const WEBHOOK_EVENTS = [
  'task.failed',
  'task.rwe',
  'task.lost',
  'autorestart.gave_up',
  'operation.failed',
  'streamback.finished',
] as const;
export type WebhookEventName = (typeof WEBHOOK_EVENTS)[number];

export const WEBHOOK_FORMATS = ['generic', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** A webhook as the API answers it: the secret never leaves DF (`secretSet` says whether there is one). */
export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEventName[];
  format: WebhookFormat;
  /** Always the mask: the secret is write-only. */
  secret: string;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A webhook with its secret in clear: what the delivery activity signs with. */
export interface Webhook extends Omit<WebhookView, 'secret'> {
  secret: string;
}

/** Something that happened that a webhook may want to hear of. Times are ISO 8601. */
export interface WebhookEvent {
  /** Unique and derived from what happened (never random): the same happening always has the same id. */
  id: string;
  event: WebhookEventName;
  at: string;
  task: { id: string; category: string; status?: DfStatus };
  message: string;
  /** The operation's run, for operation.failed. */
  run?: { workflowId: string; runId: string; type: string };
}

const MIN_SECRET = 16;

const url = z
  .string({ error: 'expected an http:// or https:// URL' })
  .trim()
  .max(2000, 'at most 2000 characters')
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'expected an http:// or https:// URL');

const events = z
  .array(z.enum(WEBHOOK_EVENTS, { error: `expected events among ${WEBHOOK_EVENTS.join(', ')}` }), {
    error: 'expected an array of event names',
  })
  .min(1, `expected at least one of ${WEBHOOK_EVENTS.join(', ')}`)
  .transform((list) => [...new Set(list)]);

const format = z.enum(WEBHOOK_FORMATS, { error: `expected one of ${WEBHOOK_FORMATS.join(', ')}` });

const secret = z
  .string({ error: 'expected a string' })
  .min(MIN_SECRET, `at least ${MIN_SECRET} characters`)
  .max(500, 'at most 500 characters');

/** POST /webhooks. */
export const webhookAddBody = z
  .object({
    url,
    events,
    format: format.default('generic'),
    secret,
    enabled: z.boolean({ error: 'expected true or false' }).default(true),
  })
  .strict()
  .meta({ id: 'WebhookAdd' });
export type WebhookAddInput = z.output<typeof webhookAddBody>;

/** PUT /webhooks/:id: every field but the secret, which stays as it is when left out (or sent as the mask). */
export const webhookReplaceBody = z
  .object({
    id: z.string().optional(),
    url,
    events,
    format: format.default('generic'),
    secret: secret.optional(),
    enabled: z.boolean({ error: 'expected true or false' }).default(true),
  })
  .strict()
  .meta({ id: 'WebhookReplace' });
export type WebhookReplaceInput = z.output<typeof webhookReplaceBody>;

/** The env var that lets webhooks reach more hosts: a refusal names it. */
export const WEBHOOK_HOSTS_SETTING = 'DF_WEBHOOK_HOSTS';

/** Why DF may not call this URL under the webhook host list, or undefined when it may. */
export function webhookUrlProblem(value: string, hosts: ReachPolicy['hosts']): string | undefined {
  const problem = hostProblem(value, { hosts });
  return problem ? `${problem}; ${WEBHOOK_HOSTS_SETTING} would allow it` : undefined;
}

/** Which status changes a webhook hears of: reaching FAILED, RWE or LOST. */
const STATUS_EVENTS: Partial<Record<DfStatus, WebhookEventName>> = {
  FAILED: 'task.failed',
  RWE: 'task.rwe',
  LOST: 'task.lost',
};

/**
 * The webhook event a status history entry is, if any. A stream back is the only thing that takes
 * a task from STREAMING, so STREAMING → FINISHED is a stream back that finished.
 */
export function webhookEventOfHistory(entry: HistoryEntry): WebhookEventName | undefined {
  if (entry.event === 'gave-up') return 'autorestart.gave_up';
  if (entry.event !== 'status' || entry.from === entry.to) return undefined;
  if (entry.from === 'STREAMING' && entry.to === 'FINISHED') return 'streamback.finished';
  return STATUS_EVENTS[entry.to];
}

/**
 * The key an event's id is made from: the same as the status history row's, so a status change
 * recorded twice (a retried step) is one event.
 */
export function historyEventKey(entry: HistoryEntry, event: WebhookEventName): string {
  return `${event}:${entry.taskId}:${new Date(entry.at).toISOString()}:${entry.to}`;
}

const TITLES: Record<WebhookEventName, string> = {
  'task.failed': 'failed',
  'task.rwe': 'is running with errors',
  'task.lost': 'is lost',
  'autorestart.gave_up': 'auto-restart gave up',
  'operation.failed': 'operation failed',
  'streamback.finished': 'stream back finished',
};

/** Where the receiver reads more: the task, its history, and the failed operation's run. */
export interface WebhookLinks {
  task: string;
  history: string;
  operation?: string;
}

export function webhookLinks(event: WebhookEvent): WebhookLinks {
  const task = `/api/df/processor/${encodeURIComponent(event.task.id)}`;
  return {
    task,
    history: `/api/df/status/${encodeURIComponent(event.task.id)}/history`,
    ...(event.run ? { operation: `/api/df/ops/${encodeURIComponent(event.run.workflowId)}` } : {}),
  };
}

/** The body a webhook is sent, as text: its exact bytes are what the signature signs. */
export function webhookBody(event: WebhookEvent, format: WebhookFormat): string {
  if (format === 'slack') {
    const what = event.run ? `${event.run.type} of ` : '';
    const status = event.task.status ? ` (${event.task.status})` : '';
    return JSON.stringify({
      text: `DataFibers: ${what}${event.task.category.toLowerCase()} ${event.task.id} ${TITLES[event.event]}${status}: ${event.message}`,
    });
  }
  return JSON.stringify({
    id: event.id,
    event: event.event,
    at: event.at,
    task: event.task,
    message: event.message,
    ...(event.run ? { run: event.run } : {}),
    links: webhookLinks(event),
  });
}

/**
 * Whether a receiver's HTTP status is worth another attempt: any 5xx, a timeout (408) or a
 * throttle (429); another 4xx says the request itself is wrong, and sending it again cannot help.
 */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * How long a delivery keeps trying: from the first wait, doubling to at most ten minutes, for a
 * day. A receiver down for ten minutes gets the event within ten minutes of coming back.
 */
export const DELIVERY_RETRY = {
  backoffCoefficient: 2,
  maximumIntervalMs: 10 * 60_000,
  scheduleToCloseMs: 24 * 3_600_000,
} as const;

/** The waits before each further attempt when every attempt fails, until the schedule-to-close ends. */
export function deliveryWaits(initialMs: number): number[] {
  const waits: number[] = [];
  let elapsed = 0;
  let wait = initialMs;
  while (elapsed + wait < DELIVERY_RETRY.scheduleToCloseMs) {
    waits.push(wait);
    elapsed += wait;
    wait = Math.min(wait * DELIVERY_RETRY.backoffCoefficient, DELIVERY_RETRY.maximumIntervalMs);
  }
  return waits;
}
