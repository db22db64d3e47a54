import { DfError } from '../../src/domain/errors';
import type { HistoryEntry } from '../../src/domain/status-sync';
import { parseOrThrow } from '../../src/domain/validation';
import { webhookBody, webhookEventOfHistory, type WebhookEvent } from '../../src/domain/webhook';
import { webhookAddBody, webhookReplaceBody, webhookUrlProblem } from '../../src/domain/webhook-input';
import { deliveryWaits, DELIVERY_RETRY, retryableStatus } from '../../src/domain/webhook-retry';
import { eventsOfHistory } from '../../activities/webhooks';

const entry = (over: Partial<HistoryEntry>): HistoryEntry => ({
  taskId: 't1',
  from: 'RUNNING',
  to: 'FAILED',
  at: Date.UTC(2026, 0, 2, 3, 4, 5),
  event: 'status',
  ...over,
});

function fieldsOf(body: unknown): Record<string, string[]> {
  try {
    parseOrThrow(webhookAddBody, body, 'webhook');
  } catch (error) {
    return ((error as DfError).details as { fields: Record<string, string[]> }).fields;
  }
  throw new Error('expected a refusal');
}

const valid = { url: 'https://hooks.example.com/df', events: ['task.failed'], secret: 'a-secret-of-16-chars' };

describe('webhook input', () => {
  it('takes an http(s) URL, known events and format, a secret of 16+ characters; generic and enabled by default', () => {
    expect(parseOrThrow(webhookAddBody, valid, 'webhook')).toEqual({ ...valid, format: 'generic', enabled: true });
  });

  it('refuses a URL that is not http(s), naming url', () => {
    expect(Object.keys(fieldsOf({ ...valid, url: 'ftp://hooks.example.com/x' }))).toEqual(['url']);
    expect(Object.keys(fieldsOf({ ...valid, url: 'not a url' }))).toEqual(['url']);
  });

  it('refuses unknown or no events, naming events', () => {
    expect(Object.keys(fieldsOf({ ...valid, events: ['task.exploded'] }))).toEqual(['events.0']);
    expect(Object.keys(fieldsOf({ ...valid, events: [] }))).toEqual(['events']);
  });

  it('refuses an unknown format, a short secret and fields it does not know, each by name', () => {
    expect(Object.keys(fieldsOf({ ...valid, format: 'xml' }))).toEqual(['format']);
    expect(Object.keys(fieldsOf({ ...valid, secret: 'short' }))).toEqual(['secret']);
    expect(Object.keys(fieldsOf({ ...valid, colour: 'red' }))).toEqual(['(body)']);
  });

  it('lets a replacement leave the secret out (it stays as it is)', () => {
    const { secret: _secret, ...rest } = valid;
    expect(parseOrThrow(webhookReplaceBody, rest, 'webhook')).not.toHaveProperty('secret');
  });

  it('holds the URL to DF_WEBHOOK_HOSTS, naming the setting', () => {
    expect(webhookUrlProblem('https://hooks.example.com/x', ['*'])).toBeUndefined();
    expect(webhookUrlProblem('https://hooks.example.com/x', ['hooks.example.com'])).toBeUndefined();
    expect(webhookUrlProblem('http://10.0.0.1:8080/x', ['hooks.example.com'])).toMatch(
      /10\.0\.0\.1:8080 is not an allowed host.*DF_WEBHOOK_HOSTS/,
    );
  });
});

describe('webhook events', () => {
  it('are a task reaching FAILED, RWE or LOST, auto-restart giving up, and a stream back finishing', () => {
    expect(webhookEventOfHistory(entry({ to: 'FAILED' }))).toBe('task.failed');
    expect(webhookEventOfHistory(entry({ to: 'RWE' }))).toBe('task.rwe');
    expect(webhookEventOfHistory(entry({ to: 'LOST' }))).toBe('task.lost');
    expect(webhookEventOfHistory(entry({ from: 'FAILED', to: 'FAILED', event: 'gave-up' }))).toBe(
      'autorestart.gave_up',
    );
    expect(webhookEventOfHistory(entry({ from: 'STREAMING', to: 'FINISHED' }))).toBe('streamback.finished');
  });

  it('are not other changes: a pause, a plain FINISHED, unreachable and restart marks', () => {
    expect(webhookEventOfHistory(entry({ to: 'PAUSED' }))).toBeUndefined();
    expect(webhookEventOfHistory(entry({ to: 'FINISHED' }))).toBeUndefined();
    expect(webhookEventOfHistory(entry({ to: 'RUNNING', from: 'RUNNING', event: 'unreachable' }))).toBeUndefined();
    expect(webhookEventOfHistory(entry({ from: 'FAILED', to: 'FAILED', event: 'restart' }))).toBeUndefined();
  });

  it('have an id derived from what happened: the same change recorded twice is one event, another change another', () => {
    const [a] = eventsOfHistory([entry({})], () => 'CONNECT');
    const [again] = eventsOfHistory([entry({ reason: 'told again' })], () => 'CONNECT');
    const [later] = eventsOfHistory([entry({ at: entry({}).at + 1 })], () => 'CONNECT');
    expect(a.id).toMatch(/^[0-9a-f]{32}$/);
    expect(again.id).toBe(a.id);
    expect(later.id).not.toBe(a.id);
    expect(a).toMatchObject({ event: 'task.failed', task: { id: 't1', category: 'CONNECT', status: 'FAILED' } });
  });
});

describe('webhook bodies', () => {
  const event: WebhookEvent = {
    id: 'e1',
    event: 'operation.failed',
    at: '2026-01-02T03:04:05.000Z',
    task: { id: 'orders', category: 'CONNECT', status: 'RUNNING' },
    message: 'Kafka Connect answered 404',
    run: { workflowId: 'df-connect-pause-orders-k', runId: 'r1', type: 'connectAction' },
  };

  it('generic: the event with the task, the message and links to read more', () => {
    expect(JSON.parse(webhookBody(event, 'generic'))).toEqual({
      id: 'e1',
      event: 'operation.failed',
      at: '2026-01-02T03:04:05.000Z',
      task: { id: 'orders', category: 'CONNECT', status: 'RUNNING' },
      message: 'Kafka Connect answered 404',
      run: { workflowId: 'df-connect-pause-orders-k', runId: 'r1', type: 'connectAction' },
      links: {
        task: '/api/df/processor/orders',
        history: '/api/df/status/orders/history',
        operation: '/api/df/ops/df-connect-pause-orders-k',
      },
    });
  });

  it('slack: one text field, as incoming webhooks take it', () => {
    const body = JSON.parse(webhookBody(event, 'slack'));
    expect(Object.keys(body)).toEqual(['text']);
    expect(body.text).toContain('orders');
    expect(body.text).toContain('Kafka Connect answered 404');
  });
});

describe('webhook delivery retries', () => {
  it('try again after no answer, a 5xx, 408 or 429, never after another 4xx', () => {
    for (const s of [500, 502, 503, 504, 408, 429]) expect(retryableStatus(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 410, 422]) expect(retryableStatus(s)).toBe(false);
  });

  it('with the default 5 s start: an attempt within ten minutes of a receiver coming back, for a day', () => {
    const waits = deliveryWaits(5000);
    expect(Math.max(...waits)).toBe(DELIVERY_RETRY.maximumIntervalMs);
    expect(waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(DELIVERY_RETRY.scheduleToCloseMs);
    // Attempt times since the first: a receiver down for 10 minutes is tried again soon after.
    const times = waits.reduce<number[]>((at, w) => [...at, at[at.length - 1] + w], [0]);
    const firstAfter10m = times.find((t) => t >= 10 * 60_000) as number;
    expect(firstAfter10m).toBeLessThanOrEqual(20 * 60_000);
    expect(times[times.length - 1]).toBeGreaterThan(23 * 3_600_000);
  });
});
