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
