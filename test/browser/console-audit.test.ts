import fs from 'node:fs/promises';
import path from 'node:path';
import { Page } from 'playwright-core';
import { ConsoleSession, startConsoleSession } from '../support/console-session';
import { dataTempDir, DfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';

/**
 * The audit page in a real (headless) Chromium against DF on the real stack: operations an admin
 * token ran through the API are listed naming the token, each linked to its task and its run; a
 * filter by operation narrows the list and stays in the URL across a reload; a viewer token is
 * told plainly that the audit needs an admin token.
 */
describe('web console: the audit page', () => {
  const ADMIN = 'console-audit-admin-token-0123456789';
  const VIEWER = 'console-audit-viewer-token-0123456789';
  const ADMIN_NAME = 'ops-alice';
  const id = uniqueName('console-audit').replace(/_/g, '-');
  let session: ConsoleSession;
  let app: DfApp;
  let page: Page;
  let dir: string;
  /** The audit row key (`<workflowId>:<runId>`) of each operation, from the API's answer headers. */
  const keys: Record<'add' | 'pause', string> = { add: '', pause: '' };
  const workflows: Record<'add' | 'pause', string> = { add: '', pause: '' };

  const runKey = (res: { headers: Record<string, unknown> }) =>
    `${String(res.headers['x-df-workflow-id'])}:${String(res.headers['x-df-run-id'])}`;

  beforeAll(async () => {
    session = await startConsoleSession('console_audit', {
      DF_API_TOKENS: `${ADMIN}:admin:${ADMIN_NAME},${VIEWER}:viewer`,
    });
    ({ app, page } = session);
    app.api.defaults.headers.common.Authorization = `Bearer ${ADMIN}`;
    dir = await dataTempDir(app, 'df-console-audit-');
    const file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, 'one\ntwo\n');
    const add = await app.api.post('/ps', {
      id,
      name: 'Audited lines',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { file, topic: `${id}-lines` },
    });
    expect([201, 202]).toContain(add.status);
    const pause = await app.api.post(`/ps/${id}/pause`);
    expect([200, 202]).toContain(pause.status);
    keys.add = runKey(add);
    keys.pause = runKey(pause);
    workflows.add = String(add.headers['x-df-workflow-id']);
    workflows.pause = String(pause.headers['x-df-workflow-id']);
  });

  afterAll(async () => {
    if (session) {
      await app.api.delete(`/ps/${id}`).catch(() => undefined);
      await session.close();
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('lists the add and the pause naming the admin token, each linked to its task and its run', async () => {
    await page.goto(`${session.origin}/#/audit`);
    await session.signIn(ADMIN);
    const list = page.getByTestId('audit-list');
    const add = list.getByTestId(`row-${keys.add}`);
    const pause = list.getByTestId(`row-${keys.pause}`);
    await add.waitFor({ timeout: 60000 });
    await pause.waitFor({ timeout: 60000 });

    await expect(add.getByTestId('audit-actor').textContent()).resolves.toBe(`${ADMIN_NAME}admin`);
    await expect(add.getByTestId('audit-operation').textContent()).resolves.toBe('connectAdd');
    await expect(pause.getByTestId('audit-actor').textContent()).resolves.toBe(`${ADMIN_NAME}admin`);
    await expect(pause.getByTestId('audit-operation').textContent()).resolves.toBe('connectAction');
    await expect(pause.getByTestId('audit-task').getAttribute('href')).resolves.toBe(`#/connects/${id}`);
    await expect(pause.getByTestId('audit-run').getAttribute('href')).resolves.toContain(
      `/workflows/${encodeURIComponent(workflows.pause)}/`,
    );
    // The request id and the client address the API saw are on the row.
    const [entry] = (await app.api.get('/audit', { params: { operation: 'connectAction', taskId: id } })).data;
    await expect(pause.textContent()).resolves.toContain(entry.requestId);
    await expect(pause.textContent()).resolves.toContain(entry.clientAddress);
    await session.shot('audit');
  });

  it('narrows the list by operation, time and who, the filter kept in the URL across a reload', async () => {
    const list = page.getByTestId('audit-list');
    await page.getByTestId('filter-operation').selectOption('connectAction');
    await list.getByTestId(`row-${keys.add}`).waitFor({ state: 'detached' });
    await list.getByTestId(`row-${keys.pause}`).waitFor();
    expect(page.url()).toContain('operation=connectAction');
    await expect(list.getByTestId('audit-operation').allTextContents()).resolves.toEqual(['connectAction']);

    await page.reload();
    await list.getByTestId(`row-${keys.pause}`).waitFor();
    await expect(page.getByTestId('filter-operation').inputValue()).resolves.toBe('connectAction');
    await expect(list.getByTestId('audit-operation').allTextContents()).resolves.toEqual(['connectAction']);

    // A time range and who asked narrow it too: nothing here is from 2099, nor asked by anyone else.
    await page.getByTestId('filter-clear').click();
    await list.getByTestId(`row-${keys.add}`).waitFor();
    await page.getByTestId('filter-from').fill('2099-06-15T12:00:00');
    await page.getByTestId('filter-apply').click();
    await list.locator('tbody tr.empty', { hasText: 'No operation matches' }).waitFor();
    expect(decodeURIComponent(page.url())).toContain('from=2099-06-15T');
    // A range the wrong way round is the API's to refuse, at the field it names.
    await page.getByTestId('filter-to').fill('2098-06-15T12:00:00');
    await page.getByTestId('filter-apply').click();
    await page.getByTestId('error-audit-to').filter({ hasText: 'at or after from' }).waitFor();
    expect(decodeURIComponent(page.url())).not.toContain('to=2098');
    await page.getByTestId('filter-clear').click();
    await list.getByTestId(`row-${keys.add}`).waitFor();
    await page.getByTestId('filter-actor').fill('someone-else');
    await page.getByTestId('filter-apply').click();
    await list.locator('tbody tr.empty', { hasText: 'No operation matches' }).waitFor();
    await expect(list.getByTestId(`row-${keys.pause}`).count()).resolves.toBe(0);
  });

  it('tells a viewer token plainly that the audit needs an admin token', async () => {
    await page.getByTestId('sign-out').click();
    await page.waitForLoadState();
    await session.signIn(VIEWER);
    const notice = page.getByTestId('admin-only');
    await notice.waitFor();
    await expect(notice.textContent()).resolves.toContain('The audit needs an admin token');
    await expect(page.getByTestId('audit-list').count()).resolves.toBe(0);
    await session.shot('audit-viewer');
  });

  it('raised no script errors', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
