/** How webhook deliveries are retried: kept apart from the input rules so the workflow bundle stays free of zod. */

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
