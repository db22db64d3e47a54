import { createHmac } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Page } from 'playwright-core';
import { WEBHOOK_EVENTS } from '../../src/domain/webhook';
import { connectRest } from '../support/connect-rest';
import { ConsoleSession, startConsoleSession } from '../support/console-session';
import { dataTempDir, DfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local receiver that takes (200) every call and keeps it. */
async function startReceiver() {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { host, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Webhook settings in a real (headless) Chromium against DF on the real stack, with DF allowed to
 * call only a local receiver: a webhook is added from the form (a URL on another host refused at
 * the field, nothing stored), a pause that fails reaches the receiver signed with its secret and
 * shows in the webhook's delivery log, an edit keeps the write-only secret, the webhook is deleted
 * from its page, and a viewer token is told that the settings need an admin token.
 */
describe('web console: webhook settings', () => {
  const ADMIN = 'console-webhooks-admin-token-0123456789';
  const VIEWER = 'console-webhooks-viewer-token-0123456789';
  const SECRET = 'console-webhooks-secret-0123';
  const id = uniqueName('console-wh').replace(/_/g, '-');
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let session: ConsoleSession;
  let app: DfApp;
  let page: Page;
  let dir: string;
  let hookId = '';

  beforeAll(async () => {
    rx = await startReceiver();
    session = await startConsoleSession('console_webhooks', {
      DF_API_TOKENS: `${ADMIN}:admin:console-ops,${VIEWER}:viewer`,
      DF_WEBHOOK_HOSTS: rx.host,
    });
    ({ app, page } = session);
    app.api.defaults.headers.common.Authorization = `Bearer ${ADMIN}`;
    dir = await dataTempDir(app, 'df-console-webhooks-');
    const file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, 'one\n');
    const add = await app.api.post('/ps', {
      id,
      name: 'Watched lines',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { file, topic: `${id}-lines` },
    });
    expect([201, 202]).toContain(add.status);
  });

  afterAll(async () => {
    if (session) {
      await app.api.delete(`/ps/${id}`).catch(() => undefined);
      if (hookId) await app.api.delete(`/webhooks/${hookId}`).catch(() => undefined);
      await session.close();
    }
    await rx?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('adds a webhook from the form; a URL on a host DF may not call is refused at the field', async () => {
    await page.goto(`${session.origin}/#/webhooks`);
    await session.signIn(ADMIN);
    await page.getByTestId('webhooks-list').locator('tbody tr.empty', { hasText: 'No webhooks yet' }).waitFor();
    await page.getByTestId('new-webhook').click();
    const form = page.getByTestId('webhook-form');
    await form.waitFor();
    // The form offers exactly the events the API accepts.
    const boxes = await form.locator('[data-testid="field-events"] input[type=checkbox]').all();
    const offered = await Promise.all(boxes.map((box) => box.getAttribute('value')));
    expect(offered).toEqual([...WEBHOOK_EVENTS]);
    for (const event of WEBHOOK_EVENTS)
      await form.getByTestId(`event-${event}`).setChecked(event === 'operation.failed');
    await form.getByTestId('field-secret').fill(SECRET);

    await form.getByTestId('field-url').fill('http://203.0.113.7/hook');
    await form.getByTestId('webhook-save').click();
    const urlError = form.getByTestId('error-url');
    await urlError.filter({ hasText: 'not an allowed host' }).waitFor();
    await expect(urlError.textContent()).resolves.toContain('DF_WEBHOOK_HOSTS');
    expect((await app.api.get('/webhooks')).data).toEqual([]);
    await session.shot('webhook-refused');

    await form.getByTestId('field-url').fill(`http://${rx.host}/hook`);
    await form.getByTestId('webhook-save').click();
    await page.waitForURL((url) => url.hash.startsWith('#/webhooks/wh-'));
    hookId = decodeURIComponent(page.url().split('#/webhooks/')[1]);
    await expect(page.getByTestId('webhook-url').textContent()).resolves.toBe(`http://${rx.host}/hook`);
    // Write-only: the page shows the mask the API answers, never the secret.
    await expect(page.getByTestId('webhook-secret').textContent()).resolves.toBe('********');
    await expect(page.content()).resolves.not.toContain(SECRET);
    const { data } = await app.api.get(`/webhooks/${hookId}`);
    expect(data).toMatchObject({ events: ['operation.failed'], format: 'generic', enabled: true, secret: '********' });
  });

  it('a pause that fails reaches the receiver, signed, and shows in the delivery log', async () => {
    await connectRest(app.config).delete(`/connectors/${id}`);
    await app.api.post(`/ps/${id}/pause`).catch(() => undefined);
    const call = await eventually(
      'the receiver told of the failed pause',
      async () =>
        rx.received.find((r) => r.headers['x-df-event'] === 'operation.failed' && r.body.includes(id)) ?? undefined,
      120000,
    );
    expect(call.path).toBe('/hook');
    expect(call.headers['x-df-signature']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(call.body).digest('hex')}`,
    );

    const log = page.getByTestId('deliveries-list');
    const delivered = log.locator('tbody tr', {
      has: page.locator('[data-testid="delivery-outcome"][data-outcome="delivered"]'),
    });
    await delivered.first().waitFor({ timeout: 60000 });
    await expect(delivered.first().getByTestId('delivery-event').textContent()).resolves.toBe('operation.failed');
    await expect(delivered.first().getByTestId('delivery-status').textContent()).resolves.toBe('200');
    await expect(delivered.first().textContent()).resolves.toContain(String(call.headers['x-df-event-id']));
    await session.shot('webhook-deliveries');
  });

  it('edits the webhook and keeps its secret when none is typed', async () => {
    await page.getByTestId('webhook-edit').click();
    const form = page.getByTestId('webhook-form');
    await form.waitFor();
    await expect(form.getByTestId('field-secret').inputValue()).resolves.toBe('');
    await form.getByTestId('field-format').selectOption('slack');
    await form.getByTestId('event-task.lost').check();
    await form.getByTestId('webhook-save').click();
    await page.waitForURL((url) => url.hash === `#/webhooks/${hookId}`);
    await page.getByTestId('webhook-events').filter({ hasText: 'task.lost' }).waitFor();
    const { data } = await app.api.get(`/webhooks/${hookId}`);
    expect(data).toMatchObject({ events: ['task.lost', 'operation.failed'], format: 'slack' });
    expect((await app.services.webhooks.withSecret(hookId))?.secret).toBe(SECRET);
  });

  it('deletes the webhook from its page', async () => {
    await page.getByTestId('webhook-delete').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.getByTestId('confirm-ok').click();
    await page.waitForURL((url) => url.hash === '#/webhooks');
    await page.getByTestId('webhooks-list').locator('tbody tr.empty', { hasText: 'No webhooks yet' }).waitFor();
    expect((await app.api.get(`/webhooks/${hookId}`)).status).toBe(404);
    hookId = '';
  });

  it('tells a viewer token that webhook settings need an admin token', async () => {
    await page.getByTestId('sign-out').click();
    await page.waitForLoadState();
    await session.signIn(VIEWER);
    const notice = page.getByTestId('admin-only');
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('Webhook settings need an admin token');
    await expect(page.getByTestId('new-webhook').count()).resolves.toBe(0);
  });

  it('raised no script errors', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
