import { createHash, createHmac } from 'node:crypto';
import axios from 'axios';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import type { WebhookSettings } from '../src/config';
import type { HistoryEntry } from '../src/domain/status-sync';
import type { TaskCategory } from '../src/domain/task';
import { historyEventKey, webhookBody, webhookEventOfHistory, type WebhookEvent } from '../src/domain/webhook';
import { webhookUrlProblem } from '../src/domain/webhook-input';
import { retryableStatus } from '../src/domain/webhook-retry';
import { log } from '../src/logger';
import { workflowIds } from '../src/protocol/workflow-ids';
import type { WebhookDeliveryRepository, WebhookDeliveryRow } from '../src/repository/webhook-delivery-repository';
import type { WebhookRepository } from '../src/repository/webhook-repository';
import type { TaskRepository } from '../src/repository/task-repository';
import { callingWorkflow } from './calling-workflow';

export interface WebhookDeps {
  tasks: TaskRepository;
  webhooks: WebhookRepository;
  webhookDeliveries: WebhookDeliveryRepository;
  temporal: Client;
  webhookSettings: WebhookSettings;
}

/** What the delivery workflow is started with: one event for one webhook. */
export interface WebhookDeliveryInput {
  webhookId: string;
  event: WebhookEvent;
  /** DF_WEBHOOK_RETRY_INITIAL when the event was emitted: the first wait between attempts. */
  retryInitialMs: number;
}

export interface WebhookDeliveryResult {
  outcome: 'delivered' | 'dropped';
  attempt: number;
  httpStatus?: number;
  reason?: string;
}

/** Hands events to the webhooks that want them; never throws (an event it cannot hand on is logged). */
export type NotifyEvents = (events: WebhookEvent[]) => Promise<void>;

/** A receiver that answers nothing for this long counts as a failed attempt. */
const RECEIVER_TIMEOUT_MS = 10_000;

/** An event's id: a digest of what happened, so the same happening always has the same id. */
export function eventIdOf(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

/** The webhook events among status history entries (FAILED, RWE, LOST, gave up, a stream back finished). */
export function eventsOfHistory(
  entries: readonly HistoryEntry[],
  categoryOf: (taskId: string) => string | undefined,
): WebhookEvent[] {
  const events: WebhookEvent[] = [];
  for (const entry of entries) {
    const name = webhookEventOfHistory(entry);
    if (!name) continue;
    events.push({
      id: eventIdOf(historyEventKey(entry, name)),
      event: name,
      at: new Date(entry.at).toISOString(),
      task: { id: entry.taskId, category: categoryOf(entry.taskId) ?? 'NONE', status: entry.to },
      message: entry.reason ?? `${entry.from} → ${entry.to}`,
    });
  }
  return events;
}

/** The category of a task an operation of this workflow type works on, when its record is gone. */
function categoryOfOperation(type: string): TaskCategory | 'SCHEMA' {
  if (type.startsWith('connect')) return 'CONNECT';
  if (type.startsWith('transform') || type.startsWith('jar')) return 'TRANSFORM';
  if (type.startsWith('schema')) return 'SCHEMA';
  return 'NONE';
}

/**
 * Starts one delivery run per (event, webhook), named by both, and never twice: an event emitted
 * again (a retried step, a second worker) joins the run already made.
 */
export function webhookNotifier({
  webhooks,
  temporal,
  webhookSettings,
}: Pick<WebhookDeps, 'webhooks' | 'temporal' | 'webhookSettings'>): NotifyEvents {
  return async (events) => {
    if (events.length === 0) return;
    try {
      const taskQueue = Context.current().info.taskQueue;
      const subscribers = new Map<string, Awaited<ReturnType<WebhookRepository['subscribers']>>>();
      for (const event of events) {
        if (!subscribers.has(event.event)) subscribers.set(event.event, await webhooks.subscribers(event.event));
        for (const hook of subscribers.get(event.event) ?? []) {
          const input: WebhookDeliveryInput = {
            webhookId: hook.id,
            event,
            retryInitialMs: webhookSettings.retryInitialMs,
          };
          await temporal.workflow
            .start('webhookDelivery', {
              taskQueue,
              workflowId: workflowIds.webhookDelivery(event.id, hook.id),
              args: [input],
              workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
            })
            .catch((error: unknown) => {
              if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
            });
        }
      }
    } catch (error) {
      log('warn', 'webhook events could not be handed on', {
        events: events.map((e) => `${e.event} ${e.task.id} ${e.id}`),
        error: error instanceof Error ? error.message : String(error),
      });
    }
  };
}

/** The line a failed attempt records: the receiver's words are not logged (they may echo the body). */
function attemptError(error: unknown): string {
  if (axios.isAxiosError(error)) return error.code ? `${error.code}: ${error.message}` : error.message;
  return error instanceof Error ? error.message : String(error);
}

export function createWebhookActivities(deps: WebhookDeps) {
  const { tasks, webhooks, webhookDeliveries, webhookSettings } = deps;
  const notify = webhookNotifier(deps);

  async function record(
    input: WebhookDeliveryInput,
    attempt: number,
    outcome: WebhookDeliveryRow['outcome'],
    detail: { httpStatus?: number; error?: string } = {},
  ): Promise<void> {
    await webhookDeliveries.append({
      webhookId: input.webhookId,
      eventId: input.event.id,
      event: input.event.event,
      taskId: input.event.task.id,
      attempt,
      at: new Date().toISOString(),
      outcome,
      ...(detail.httpStatus !== undefined ? { httpStatus: detail.httpStatus } : {}),
      ...(detail.error !== undefined ? { error: detail.error } : {}),
    });
  }

  return {
    /**
     * Tells the webhooks that an operation failed. The event is named by the calling run, so a
     * retried call is the same event.
     */
    async notifyOperationFailed(failure: { taskId: string; message: string }): Promise<void> {
      const run = callingWorkflow();
      const task = await tasks.get(failure.taskId).catch(() => undefined);
      await notify([
        {
          id: eventIdOf(`operation.failed:${run.workflowId}:${run.runId}`),
          event: 'operation.failed',
          at: new Date().toISOString(),
          task: {
            id: failure.taskId,
            category: task?.connectorCategory ?? categoryOfOperation(run.type),
            ...(task ? { status: task.status } : {}),
          },
          message: failure.message,
          run: { workflowId: run.workflowId, runId: run.runId, type: run.type },
        },
      ]);
    },

    /**
     * One attempt to deliver an event: POSTs the body signed with the webhook's secret and records
     * the outcome. A 5xx, 408, 429 or no answer fails the attempt (the workflow's retry policy
     * tries again); another 4xx fails it for good.
     */
    async deliverWebhookEvent(input: WebhookDeliveryInput): Promise<WebhookDeliveryResult> {
      const attempt = Context.current().info.attempt;
      const hook = await webhooks.withSecret(input.webhookId);
      const dropped = !hook
        ? 'the webhook was removed'
        : !hook.enabled
          ? 'the webhook is disabled'
          : !hook.events.includes(input.event.event)
            ? `the webhook no longer wants ${input.event.event}`
            : webhookUrlProblem(hook.url, webhookSettings.hosts);
      if (!hook || dropped) {
        await record(input, attempt, 'dropped', { error: dropped });
        return { outcome: 'dropped', attempt, reason: dropped };
      }
      const body = webhookBody(input.event, hook.format);
      const signature = createHmac('sha256', hook.secret).update(body, 'utf8').digest('hex');
      let status: number;
      try {
        const res = await axios.post(hook.url, body, {
          headers: {
            'Content-Type': 'application/json',
            'User-Agent': 'DataFibers-Webhook',
            'X-DF-Event': input.event.event,
            'X-DF-Event-Id': input.event.id,
            'X-DF-Signature': `sha256=${signature}`,
            'X-DF-Delivery-Attempt': String(attempt),
          },
          timeout: RECEIVER_TIMEOUT_MS,
          // A redirect would send the signed body somewhere the webhook does not name.
          maxRedirects: 0,
          responseType: 'text',
          transformResponse: (data: unknown) => data,
          validateStatus: () => true,
        });
        status = res.status;
      } catch (error) {
        const why = attemptError(error);
        await record(input, attempt, 'failed', { error: why });
        throw ApplicationFailure.retryable(`webhook ${hook.id} did not answer: ${why}`, 'WEBHOOK_UNREACHABLE');
      }
      if (status >= 200 && status < 300) {
        await record(input, attempt, 'delivered', { httpStatus: status });
        return { outcome: 'delivered', attempt, httpStatus: status };
      }
      if (retryableStatus(status)) {
        await record(input, attempt, 'failed', { httpStatus: status, error: `answered ${status}` });
        throw ApplicationFailure.retryable(`webhook ${hook.id} answered ${status}`, 'WEBHOOK_FAILED');
      }
      await record(input, attempt, 'refused', { httpStatus: status, error: `answered ${status}: not tried again` });
      throw ApplicationFailure.nonRetryable(
        `webhook ${hook.id} answered ${status}: not tried again`,
        'WEBHOOK_REFUSED',
      );
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
