import fs from 'node:fs/promises';
import path from 'node:path';
import { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { collectPageErrors, launchChromium } from '../support/chromium';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { produce } from '../support/kafka';
import { REPO_ROOT, uniqueName } from '../support/stack';

/**
 * The web console in a real (headless) Chromium against DF on the real stack, with API tokens on:
 * sign-in and a read-only token; a FileStreamSource connect made through the form (a refused
 * config shows its errors next to the fields), paused, edited (a stale edit refused) and deleted
 * through its buttons; a batch transform's stream back; a schema, a new version and their diff.
 * Screenshots of each page land in test/artifacts/.
 */
describe('web console', () => {
  const ARTIFACTS = path.join(REPO_ROOT, 'test', 'artifacts');
  const id = uniqueName('console-fs').replace(/_/g, '-');
  const badId = uniqueName('console-bad').replace(/_/g, '-');
  const topic = uniqueName('console-topic');
  const subject = uniqueName('console_orders');
  const transformId = uniqueName('console-batch').replace(/_/g, '-');
  const transformIn = uniqueName('console-tr-in');
  const transformOut = uniqueName('console-tr-out');
  let transformAdded: Promise<unknown>;
  let app: DfApp;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let dir: string;
  let file: string;
  let pageErrors: string[];
  const ADMIN = 'console-admin-token-0123456789';
  const VIEWER = 'console-viewer-token-0123456789';

  /** A screenshot without the notices of earlier steps over it (unless `keepNotices`). */
  const shot = async (name: string, options: { fullPage?: boolean; keepNotices?: boolean } = {}) => {
    if (!options.keepNotices) {
      const close = page.locator('.toast-close').first();
      // A notice may fade on its own meanwhile: a short wait per click, not the default.
      while (await close.count()) await close.click({ timeout: 1000 }).catch(() => undefined);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: options.fullPage ?? true });
  };
  const row = (taskId: string) => page.getByTestId(`row-${taskId}`);
  const statusOf = (taskId: string, status: string) =>
    page.locator(`[data-testid="row-${taskId}"] [data-testid="status"][data-status="${status}"]`);
  /** Confirms the open <dialog>: the console never uses window.confirm. */
  const confirm = async () => {
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('confirm-ok').click();
    await dialog.waitFor({ state: 'detached' });
  };

  beforeAll(async () => {
    await fs.mkdir(ARTIFACTS, { recursive: true });
    dir = await dataTempDir({ config: loadConfig() }, 'df-console-');
    file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, 'alpha\nbeta\ngamma\n');
    const [started, launched] = await Promise.allSettled([
      // The status sync runs as in a deployment: a connector whose first reading came before Kafka
      // Connect started its task (seen on a loaded CI machine) shows RUNNING once the sync reads it.
      startDfApp('console', { DF_API_TOKENS: `${ADMIN}:admin,${VIEWER}:viewer`, DF_SYNC_INTERVAL: '2s' }),
      launchChromium(),
    ]);
    // Whichever started is kept for afterAll to close, even when the other failed.
    if (started.status === 'fulfilled') app = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
    origin = app.baseUrl.replace(/\/api\/df$/, '');
    app.api.defaults.headers.common.Authorization = `Bearer ${ADMIN}`;
    // A batch transform that streams its result back, started now so Flink runs it while the
    // connect steps run; the transforms page shows it later.
    transformAdded = (async () => {
      await app.services.kafka.ensureTopic(transformIn, 1, 1);
      await produce(
        app.config.kafkaBrokers,
        transformIn,
        [1, 2, 3, 4, 5].map((n) => ({ n })),
      );
      const res = await app.api.post(
        '/tr',
        {
          id: transformId,
          name: 'Doubled numbers',
          connectorType: 'TRANSFORM_BATCH_FLINK_SQL',
          connectorConfig: {
            topic_in: transformIn,
            format: 'json',
            columns_in: 'n INT',
            trans_sql: `SELECT n, n * 2 AS doubled FROM \`${transformIn}\``,
            stream_back_flag: true,
            stream_back_topic: transformOut,
          },
        },
        { headers: { Prefer: 'respond-async' } },
      );
      if (res.status !== 202 && res.status !== 201)
        throw new Error(`transform not added: ${res.status} ${JSON.stringify(res.data)}`);
    })();
    transformAdded.catch(() => undefined); // awaited (and reported) by the transforms step
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(20000);
    pageErrors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    if (app) {
      await app.api.delete(`/ps/${id}`).catch(() => undefined);
      await app.api.delete(`/tr/${transformId}`, { params: { mode: 'cancel' } }).catch(() => undefined);
      await app.close();
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  /** Answers the sign-in dialog the console opens on a 401. */
  const signIn = async (token: string) => {
    const dialog = page.getByTestId('signin-dialog');
    await dialog.waitFor();
    await dialog.getByLabel('API token').fill(token);
    await dialog.getByTestId('signin-submit').click();
    await dialog.waitFor({ state: 'detached' });
  };

  it('asks for a token; a viewer token may read but not change', async () => {
    await page.goto(`${origin}/`);
    await page.getByTestId('signin-dialog').waitFor();
    await shot('sign-in', { fullPage: false });
    await signIn(VIEWER);
    await page.getByTestId('connects-list').locator('tbody tr').first().waitFor();
    await page.getByTestId('sign-out').waitFor();

    await page.getByTestId('new-connect').click();
    await page.getByTestId('plugin-select').selectOption('org.apache.kafka.connect.file.FileStreamSourceConnector');
    await page.getByTestId('field-name').fill('Not allowed');
    await page.getByTestId('field-id').fill(badId);
    await page.getByTestId('field-file').fill(file);
    await page.getByTestId('field-topic').fill(topic);
    await page.getByTestId('check').click(); // a config check only reads: viewers may
    await page.getByTestId('check-result').filter({ hasText: 'accepts' }).waitFor();
    await page.getByTestId('submit').click();
    await page.getByTestId('form-error').filter({ hasText: 'may only read' }).waitFor();
    expect((await app.api.get(`/ps/${badId}`)).status).toBe(404);

    await page.getByTestId('sign-out').click();
    await signIn(ADMIN);
    await page.getByTestId('sign-out').waitFor();
  });

  it('creates a FileStreamSource connect through the form, refusing a bad config field by field', async () => {
    await page.goto(`${origin}/#/connects`);
    await page.getByTestId('connects-list').waitFor();
    await page.getByTestId('new-connect').click();

    await page.getByTestId('plugin-select').selectOption('org.apache.kafka.connect.file.FileStreamSourceConnector');
    await page.getByTestId('field-topic').waitFor();
    await page.getByTestId('field-name').fill('Lines to topic');
    await page.getByTestId('field-id').fill(badId);
    await page.getByTestId('field-file').fill(file);
    await page.getByTestId('field-tasks.max').fill('abc');
    await shot('create-form', { fullPage: false });

    // Kafka Connect refuses it: each message sits next to its field, and nothing is created.
    await page.getByTestId('submit').click();
    await page
      .getByTestId('error-tasks.max')
      .filter({ hasText: /abc|number/i })
      .waitFor();
    await page
      .getByTestId('error-topic')
      .filter({ hasText: /required/i })
      .waitFor();
    expect(await page.getByTestId('form-error').isVisible()).toBe(true);
    await page.getByTestId('field-tasks.max').scrollIntoViewIfNeeded();
    await shot('create-form-errors', { fullPage: false });
    expect((await app.api.get(`/ps/${badId}`)).status).toBe(404);

    await page.getByTestId('field-id').fill(id);
    await page.getByTestId('field-tasks.max').fill('1');
    await page.getByTestId('field-topic').fill(topic);
    await page.getByTestId('check').click();
    await page.getByTestId('check-result').filter({ hasText: 'accepts' }).waitFor();
    await page.getByTestId('submit').click();

    // Created: the console shows the new connect; the notice links its run in Temporal.
    await page.waitForURL(`**/#/connects/${id}`);
    const link = page.getByTestId('toast-temporal-link').first();
    await link.waitFor();
    expect(await link.getAttribute('href')).toContain(`/workflows/${encodeURIComponent(`df-connect-add-${id}`)}/`);

    await page.getByTestId('nav-connects').click();
    await statusOf(id, 'RUNNING').waitFor({ timeout: 60000 });
    expect((await app.api.get(`/ps/${id}`)).data).toMatchObject({
      status: 'RUNNING',
      name: 'Lines to topic',
      connectorConfig: { file, topic },
    });
    await shot('connects', { keepNotices: true });
  });

  it('pauses the connect through its button and a confirmation', async () => {
    await row(id).getByTestId('action-pause').click();
    await confirm();
    await statusOf(id, 'PAUSED').waitFor({ timeout: 30000 });
    expect((await app.api.get(`/ps/${id}`)).data.status).toBe('PAUSED');
  });

  it('shows the connect with its config, live tasks and status history', async () => {
    await row(id).getByTestId('task-link').click();
    await page.getByTestId('config-table').filter({ hasText: topic }).waitFor();
    await page.getByTestId('status-history').locator('[data-status="PAUSED"]').first().waitFor();
    await page.getByTestId('live-tasks').waitFor();
    await shot('connect-detail');
  });

  it('edits the connect through its form, refusing an edit made on a stale revision', async () => {
    await page.getByTestId('action-edit').first().click();
    await page.getByTestId('field-batch.size').waitFor();
    expect(await page.getByTestId('field-topic').inputValue()).toBe(topic);

    // Someone else changes the task meanwhile: the form's If-Match no longer holds.
    expect((await app.api.patch(`/ps/${id}`, { description: 'changed elsewhere' })).status).toBe(200);
    await page.getByTestId('field-batch.size').fill('100');
    await page.getByTestId('submit').click();
    await page.getByTestId('form-error').filter({ hasText: 'Someone else changed' }).waitFor();
    expect((await app.api.get(`/ps/${id}`)).data.connectorConfig['batch.size']).toBeUndefined();

    await page.reload();
    await page.getByTestId('field-batch.size').fill('100');
    await page.getByTestId('field-description').fill('reads lines.txt');
    await page.getByTestId('submit').click();
    await page.waitForURL(`**/#/connects/${id}`);
    const { data } = await app.api.get(`/ps/${id}`);
    expect(data).toMatchObject({
      description: 'reads lines.txt',
      connectorConfig: { 'batch.size': '100', file, topic, cuid: id },
    });
    await page.getByTestId('config-table').filter({ hasText: 'batch.size' }).waitFor();
  });

  it('deletes the connect through its button and a confirmation', async () => {
    await page.getByTestId('nav-connects').click();
    await row(id).getByTestId('action-delete').click();
    await confirm();
    await row(id).waitFor({ state: 'detached', timeout: 30000 });
    expect((await app.api.get(`/ps/${id}`)).status).toBe(404);
  });

  it('shows a secret config value masked, and never its value, anywhere on the page', async () => {
    const secretId = uniqueName('console-secret').replace(/_/g, '-');
    const secret = `s3cr3t-${secretId}`;
    const res = await app.api.post('/ps', {
      id: secretId,
      name: 'With a password',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { file, topic, 'connection.password': secret },
    });
    expect(res.status).toBe(201);
    try {
      await page.goto(`${origin}/#/connects/${secretId}`);
      await page.getByTestId('config-table').filter({ hasText: 'connection.password' }).waitFor();
      expect(await page.getByTestId('config-table').textContent()).toContain('********');
      expect(await page.content()).not.toContain(secret);
    } finally {
      await app.api.delete(`/ps/${secretId}`);
    }
  });

  it('shows a batch transform, and its stream back until every row is delivered', async () => {
    await transformAdded;
    await page.getByTestId('nav-transforms').click();
    await row(transformId).waitFor();
    await shot('transforms');
    await row(transformId).getByTestId('task-link').click();
    await page.getByTestId('sql').waitFor();
    await page.locator('[data-testid="streamback"] .tag', { hasText: 'finished' }).waitFor({ timeout: 90000 });
    expect(await page.getByTestId('streamback').textContent()).toContain('5 of 5 rows delivered');
    await shot('transform-detail');

    await page.getByTestId('action-delete').click();
    await confirm();
    await page.waitForURL('**/#/transforms');
    await row(transformId).waitFor({ state: 'detached' });
    expect((await app.api.get(`/tr/${transformId}`)).status).toBe(404);
  });

  it('shows plugins and history', async () => {
    await page.getByTestId('nav-plugins').click();
    await page.getByTestId('row-org.apache.kafka.connect.file.FileStreamSourceConnector').waitFor();
    await shot('plugins');

    await page.goto(`${origin}/#/history?task=${id}`);
    await page.getByTestId('status-history').locator('[data-status="PAUSED"]').first().waitFor();
    await shot('history');
  });

  it('adds a schema and a new version through the forms, and shows what changed between them', async () => {
    await page.getByTestId('nav-schemas').click();
    await page.getByTestId('new-schema').click();
    await page.getByTestId('field-subject').fill(subject);
    await page.getByTestId('field-schema').fill(
      JSON.stringify(
        {
          type: 'record',
          name: 'Order',
          fields: [
            { name: 'id', type: 'string' },
            { name: 'amount', type: 'int' },
          ],
        },
        null,
        2,
      ),
    );
    await shot('schema-new');
    await page.getByTestId('schema-form').getByRole('button', { name: 'Add schema' }).click();
    await page.waitForURL(`**/#/schemas/${subject}`);

    await page.getByText('Register a new version').click();
    await page.getByTestId('new-version-schema').fill(
      JSON.stringify({
        type: 'record',
        name: 'Order',
        fields: [
          { name: 'id', type: 'string' },
          { name: 'amount', type: 'int' },
          { name: 'note', type: ['null', 'string'], default: null },
        ],
      }),
    );
    await page.getByRole('button', { name: 'Register new version' }).click();
    await page.getByTestId('schema-diff').filter({ hasText: 'note' }).waitFor();
    expect(await page.getByTestId('schema-diff').textContent()).toContain('added');
    expect((await app.api.get(`/schema/${subject}`)).data.version).toBe(2);
    await shot('schema-diff');

    await page.getByTestId('nav-schemas').click();
    await page.getByTestId('search').fill(subject);
    await page.getByTestId(`row-${subject}`).filter({ hasText: 'v2' }).waitFor();
    await shot('schemas');
  });

  it('raised no script errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
