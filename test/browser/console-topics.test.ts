import fs from 'node:fs/promises';
import path from 'node:path';
import { Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { ConsoleSession, startConsoleSession } from '../support/console-session';
import { dataTempDir, DfApp } from '../support/df-app';
import { produceRecords } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

/**
 * The web console's topic page and task extras in a real (headless) Chromium against DF on the
 * real stack: a topic's partitions, the tasks that use it and its latest records, reached from a
 * task's config and from a schema; a task's log lines; a finished batch transform's result rows.
 * Screenshots land in test/artifacts/.
 */
describe('web console: topics, task log lines, batch results', () => {
  const connectId = uniqueName('console-lines').replace(/_/g, '-');
  const connectTopic = uniqueName('console-lines-topic');
  const batchId = uniqueName('console-result').replace(/_/g, '-');
  const batchIn = uniqueName('console-result-in');
  const subject = uniqueName('console_events');
  let session: ConsoleSession;
  let app: DfApp;
  let page: Page;
  let origin: string;
  let dir: string;

  const added = async (what: string, res: { status: number; data: unknown }) => {
    if (res.status !== 201 && res.status !== 202)
      throw new Error(`${what} not added: ${res.status} ${JSON.stringify(res.data)}`);
  };

  beforeAll(async () => {
    dir = await dataTempDir({ config: loadConfig() }, 'df-console-topics-');
    const file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, 'alpha\nbeta\ngamma\n');
    session = await startConsoleSession('console_topics', { DF_SYNC_INTERVAL: '2s' });
    ({ app, page, origin } = session);

    // Five JSON records over two partitions, read by a batch transform that keeps those over one.
    await app.services.kafka.ensureTopic(batchIn, 2, 1);
    await produceRecords(
      app.config.kafkaBrokers,
      batchIn,
      [1, 2, 3, 4, 5].map((n) => ({ partition: n % 2, value: JSON.stringify({ n }) })),
    );
    const respondAsync = { headers: { Prefer: 'respond-async' } };
    await added(
      'batch transform',
      await app.api.post(
        '/tr',
        {
          id: batchId,
          name: 'Tens over one',
          connectorType: 'TRANSFORM_BATCH_FLINK_SQL',
          connectorConfig: {
            topic_in: batchIn,
            format: 'json',
            columns_in: 'n INT',
            trans_sql: `SELECT n, n * 10 AS tens FROM \`${batchIn}\` WHERE n > 1`,
          },
        },
        respondAsync,
      ),
    );
    await added(
      'connect',
      await app.api.post(
        '/ps',
        {
          id: connectId,
          name: 'Lines to a topic',
          connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
          connectorConfig: { file, topic: connectTopic },
        },
        respondAsync,
      ),
    );
    await added(
      'schema',
      await app.api.post('/schema', {
        id: subject,
        schema: { type: 'record', name: 'Event', fields: [{ name: 'id', type: 'string' }] },
      }),
    );
  });

  afterAll(async () => {
    if (session) {
      await app.api.delete(`/ps/${connectId}`).catch(() => undefined);
      await app.api.delete(`/tr/${batchId}`, { params: { mode: 'cancel' } }).catch(() => undefined);
      await session.close();
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const shot = (name: string) => session.shot(name);

  it("shows a connect's log lines, and its topic through the config's link: partitions, the connect, its records", async () => {
    // Added in the background: its page says "no such connect" until the add has stored it.
    await eventually(
      'the connect stored',
      async () => ((await app.api.get(`/ps/${connectId}`)).status === 200 ? true : undefined),
      60000,
      500,
    );
    await page.goto(`${origin}/#/connects/${connectId}`);
    await page.getByTestId('task-logs').getByTestId('log-message').first().waitFor({ timeout: 60000 });

    await page.getByTestId('config-table').getByTestId('topic-link').filter({ hasText: connectTopic }).click();
    await page.waitForURL(`**/#/topics/${connectTopic}`);
    await page.getByTestId('topic-partitions').getByTestId('row-0').waitFor({ timeout: 60000 });
    await page.getByTestId('topic-tasks').getByTestId(`row-${connectId}`).waitFor();
    // The connector writes the file's lines when Kafka Connect gets to it: read again until they are there.
    await eventually(
      "the file's lines in the preview",
      async () => {
        await page.getByTestId('preview-refresh').click();
        const text = await page.getByTestId('topic-records').textContent();
        return text?.includes('gamma') ? text : undefined;
      },
      90000,
      2000,
    );
    // Oldest first: the file's order.
    const values = await page.getByTestId('topic-records').getByTestId('record-value').allTextContents();
    expect(values).toHaveLength(3);
    expect(values.join(' ')).toMatch(/alpha.*beta.*gamma/s);
    await shot('topic');
  });

  it("shows a finished batch transform's result rows and log lines; its input topic lists it", async () => {
    await eventually(
      'the batch transform FINISHED',
      async () => {
        const t = (await app.api.get(`/tr/${batchId}`)).data;
        if (t.status === 'FAILED') throw new Error(`batch failed: ${t.statusReason}`);
        return t.status === 'FINISHED' ? t : undefined;
      },
      180000,
      1000,
    );
    await page.goto(`${origin}/#/transforms/${batchId}`);
    await page.getByTestId('result-note').filter({ hasText: 'The first 4 of 4 rows' }).waitFor();
    const result = page.getByTestId('result-rows');
    expect(await result.locator('thead th').allTextContents()).toEqual(['n', 'tens']);
    expect(await result.locator('tbody tr').count()).toBe(4);
    expect(await result.textContent()).toContain('50');

    await page.getByTestId('task-logs').getByTestId('log-message').first().waitFor({ timeout: 60000 });
    await shot('transform-result');

    await page.getByTestId('config-table').getByTestId('topic-link').filter({ hasText: batchIn }).click();
    await page.waitForURL(`**/#/topics/${batchIn}`);
    await page.getByTestId('topic-partitions').getByTestId('row-1').waitFor();
    await page.getByTestId('topic-tasks').getByTestId(`row-${batchId}`).waitFor();
    const records = page.getByTestId('topic-records');
    await records.waitFor();
    expect(await records.getByTestId('record-value').count()).toBe(5);
    expect(await records.textContent()).toContain('json');
  });

  it("reaches a subject's topic from its schema page, and says so of a topic Kafka does not have", async () => {
    await page.goto(`${origin}/#/schemas/${subject}`);
    await page.getByTestId('subject-topic').click();
    await page.waitForURL(`**/#/topics/${subject}`);
    await page.getByTestId('topic-partitions').getByTestId('row-0').waitFor();
    await page.getByTestId('topic-tasks').filter({ hasText: 'No connect or transform names this topic' }).waitFor();
    await page.getByTestId('topic-records').filter({ hasText: 'holds no records' }).waitFor();

    const missing = uniqueName('console-missing');
    await page.goto(`${origin}/#/topics/${missing}`);
    await page.getByTestId('topic-partitions').getByTestId('list-error').filter({ hasText: 'no topic' }).waitFor();
  });

  it('raised no script errors', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
