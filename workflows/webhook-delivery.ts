import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { WebhookActivities, WebhookDeliveryInput, WebhookDeliveryResult } from '../activities/webhooks';
import { DELIVERY_RETRY } from '../src/domain/webhook-retry';
import { messageOf } from '../src/protocol/failure-codec';
import { tagRun } from './run-tags';

/** How a delivery ended: the last attempt's result, or why there was none that went through. */
export type WebhookDeliveryOutcome = WebhookDeliveryResult | { outcome: 'refused' | 'gave-up'; reason: string };

/**
 * webhookDelivery: one event to one webhook, started by whatever emitted the event (workflow id
 * from both, so never twice). The attempt is retried with exponential backoff from
 * DF_WEBHOOK_RETRY_INITIAL, doubling to at most ten minutes, for a day: a receiver that is down
 * for a while gets the event once it is back. Each attempt is in the webhook's delivery log.
 */
export async function webhookDelivery(input: WebhookDeliveryInput): Promise<WebhookDeliveryOutcome> {
  tagRun({
    category: 'WEBHOOK',
    taskId: input.event.task.id,
    summary: `deliver ${input.event.event} of ${input.event.task.id} to webhook ${input.webhookId}`,
  });
  const act = proxyActivities<WebhookActivities>({
    // The receiver has 10 s to answer; the rest is the store's reads and writes around it.
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: DELIVERY_RETRY.scheduleToCloseMs,
    retry: {
      initialInterval: input.retryInitialMs,
      backoffCoefficient: DELIVERY_RETRY.backoffCoefficient,
      maximumInterval: DELIVERY_RETRY.maximumIntervalMs,
    },
  });
  try {
    return await act.deliverWebhookEvent(input);
  } catch (error) {
    // A refusal (a 4xx) or a day of failed attempts ends the delivery; its log says why.
    if (!(error instanceof ActivityFailure)) throw error;
    const refused = error.cause instanceof ApplicationFailure && error.cause.nonRetryable;
    return { outcome: refused ? 'refused' : 'gave-up', reason: messageOf(error) };
  }
}
