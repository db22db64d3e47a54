import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { createWebhookActivities, type WebhookDeliveryInput } from '../../activities/webhooks';
import type { Webhook, WebhookEvent } from '../../src/domain/webhook';
import { deliveryWaits } from '../../src/domain/webhook-retry';
import type { TaskRepository } from '../../src/repository/task-repository';
import type { WebhookDeliveryRepository, WebhookDeliveryRow } from '../../src/repository/webhook-delivery-repository';
import type { WebhookRepository } from '../../src/repository/webhook-repository';
import { webhookDelivery } from '../../workflows/webhook-delivery';
import { uniqueName } from '../support/stack';
import { useWorkflowTestEnv } from '../support/workflow-env';

const SECRET = 'receiver-shared-secret';

/** A FAKE webhook store: the webhooks given, secrets in clear. */
class FakeWebhookStore {
  readonly hooks = new Map<string, Webhook>();
  async withSecret(id: string): Promise<Webhook | undefined> {
    return this.hooks.get(id);
  }
}

/** A FAKE delivery log: the rows in memory. */
class FakeDeliveryLog {
  readonly rows: Omit<WebhookDeliveryRow, 'id'>[] = [];
  async append(row: Omit<WebhookDeliveryRow, 'id'>): Promise<void> {
    this.rows.push(row);
  }
}

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A local receiver that answers `refuseWith` to the first `refusals` requests, then `finally`. */
async function receiver(refusals: number, refuseWith = 503, finallyWith = 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const answered = received.length < refusals ? refuseWith : finallyWith;
      received.push({ headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * webhookDelivery on a real Temporal dev server with the real delivery activity over FAKE stores
 * and a local receiver: how long it keeps trying, what it never tries again, and that an event
 * is received once. The dev server cannot skip time, so the first wait is 10 ms instead of the
 * default 5 s: the attempts are the same ones, sooner.
 */
describe('Webhook delivery', () => {
  const { client, runWith } = useWorkflowTestEnv();

  function deliver(hook: Webhook | undefined, event: WebhookEvent) {
    const hooks = new FakeWebhookStore();
    if (hook) hooks.hooks.set(hook.id, hook);
    const log = new FakeDeliveryLog();
    const activities = createWebhookActivities({
      tasks: {} as TaskRepository,
      webhooks: hooks as unknown as WebhookRepository,
      webhookDeliveries: log as unknown as WebhookDeliveryRepository,
      temporal: {} as Client,
      webhookSettings: { retryInitialMs: 10, hosts: ['*'] },
    });
    const input: WebhookDeliveryInput = { webhookId: hook?.id ?? 'wh-gone', event, retryInitialMs: 10 };
    const run = runWith(activities, (taskQueue) =>
      client().workflow.execute(webhookDelivery, {
        taskQueue,
        workflowId: uniqueName('df-webhook'),
        args: [input],
      }),
    );
    return { run, log };
  }

  const hookAt = (url: string): Webhook => ({
    id: uniqueName('wh'),
    url,
    events: ['task.failed'],
    format: 'generic',
    secret: SECRET,
    enabled: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  });
  const event = (): WebhookEvent => ({
    id: uniqueName('evt'),
    event: 'task.failed',
    at: '2026-01-02T03:04:05.000Z',
    task: { id: 'orders', category: 'CONNECT', status: 'FAILED' },
    message: 'connector failed',
  });

  it('a receiver down for ten minutes (every attempt the default policy makes in them) gets the event once, signed, when it is back', async () => {
    // Attempt times at the default 5 s start: 0, 5, 15, 35, 75, 155, 315 s are within ten minutes.
    const times = deliveryWaits(5000).reduce<number[]>((at, w) => [...at, at[at.length - 1] + w], [0]);
    const refusedInTenMinutes = times.filter((t) => t < 10 * 60_000).length;
    const rx = await receiver(refusedInTenMinutes);
    try {
      const e = event();
      const { run, log } = deliver(hookAt(rx.url), e);
      const result = await run;

      expect(result).toMatchObject({ outcome: 'delivered', attempt: refusedInTenMinutes + 1, httpStatus: 200 });
      const accepted = rx.received.filter((r) => r.answered === 200);
      expect(accepted).toHaveLength(1);
      const [got] = accepted;
      expect(got.headers['x-df-event-id']).toBe(e.id);
      expect(got.headers['x-df-event']).toBe('task.failed');
      expect(got.headers['x-df-signature']).toBe(
        `sha256=${createHmac('sha256', SECRET).update(got.body).digest('hex')}`,
      );
      expect(JSON.parse(got.body)).toMatchObject({ id: e.id, event: 'task.failed', task: { id: 'orders' } });
      expect(log.rows.map((r) => r.outcome)).toEqual([
        ...Array<string>(refusedInTenMinutes).fill('failed'),
        'delivered',
      ]);
      expect(log.rows.map((r) => r.attempt)).toEqual(Array.from({ length: refusedInTenMinutes + 1 }, (_, i) => i + 1));
    } finally {
      await rx.close();
    }
  });

  it('a 4xx other than 408 and 429 is not tried again: the delivery ends refused', async () => {
    const rx = await receiver(0, 503, 410);
    try {
      const { run, log } = deliver(hookAt(rx.url), event());
      expect(await run).toMatchObject({ outcome: 'refused', reason: expect.stringContaining('410') });
      expect(rx.received).toHaveLength(1);
      expect(log.rows).toEqual([expect.objectContaining({ outcome: 'refused', httpStatus: 410, attempt: 1 })]);
    } finally {
      await rx.close();
    }
  });

  it('a 429 is tried again', async () => {
    const rx = await receiver(2, 429);
    try {
      const { run, log } = deliver(hookAt(rx.url), event());
      expect(await run).toMatchObject({ outcome: 'delivered', attempt: 3 });
      expect(log.rows.map((r) => r.httpStatus)).toEqual([429, 429, 200]);
    } finally {
      await rx.close();
    }
  });

  it('a webhook removed or disabled meanwhile is not called: the delivery is dropped', async () => {
    const rx = await receiver(0);
    try {
      const gone = deliver(undefined, event());
      expect(await gone.run).toMatchObject({ outcome: 'dropped', reason: 'the webhook was removed' });
      const disabled = deliver({ ...hookAt(rx.url), enabled: false }, event());
      expect(await disabled.run).toMatchObject({ outcome: 'dropped', reason: 'the webhook is disabled' });
      expect(rx.received).toHaveLength(0);
    } finally {
      await rx.close();
    }
  });
});
