import { Page } from 'playwright-core';
import { ConsoleSession, startConsoleSession } from '../support/console-session';
import { DfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { produce } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

/**
 * The transform form in a real (headless) Chromium against DF on the real stack: an SQLA2A
 * transform is written in the form, its SQL checked by Flink with the problem marked at its line,
 * created (its job runs in Flink), then edited (the new SQL reaches the record and Flink).
 */
describe('web console: create and edit a transform in its form', () => {
  const id = uniqueName('console-tr').replace(/_/g, '-');
  const topicIn = `${id}-in`;
  const topicOut = `${id}-out`;
  let session: ConsoleSession;
  let app: DfApp;
  let page: Page;
  const flinkState = async (jobId: string) => (await engineHttp(app.config, 'flink').get(`/jobs/${jobId}`)).data.state;
  const task = async () => (await app.api.get(`/tr/${id}`)).data;
  /** Waits until the form is done and the console shows the transform's page. */
  const onDetailPage = () =>
    page.waitForFunction(`window.location.hash === ${JSON.stringify(`#/transforms/${id}`)}`, undefined, {
      timeout: 240000,
    });

  beforeAll(async () => {
    session = await startConsoleSession('console_transform_form');
    ({ app, page } = session);
    await app.services.kafka.ensureTopic(topicIn, 1, 1);
    await produce(app.config.kafkaBrokers, topicIn, [{ id: 'a', amount: 2 }]);
  });

  afterAll(async () => {
    if (session) {
      await app.api.delete(`/tr/${id}`, { params: { mode: 'cancel' } }).catch(() => undefined);
      for (const topic of [topicIn, topicOut]) await app.services.kafka.deleteTopic(topic).catch(() => undefined);
      await session.close();
    }
  });

  it('marks the line Flink refuses, then creates the transform, whose job runs in Flink', async () => {
    await page.goto(`${session.origin}/#/transforms`);
    await page.getByTestId('new-transform').click();
    await page.getByTestId('transform-form').waitFor();
    expect(await page.getByTestId('kind-select').inputValue()).toBe('TRANSFORM_EXCHANGE_FLINK_SQLA2A');
    await page.getByTestId('field-name').fill('Doubled amounts');
    await page.getByTestId('field-id').fill(id);
    await page.getByTestId('field-topic_in').fill(topicIn);
    await page.getByTestId('field-topic_out').fill(topicOut);
    await page.getByTestId('field-format').selectOption('json');
    await page.getByTestId('field-columns_in').fill('id STRING, amount INT');
    const sql = page.getByTestId('sql-editor');
    await sql.fill(`SELECT id,\n  amunt * 2 AS doubled\nFROM \`${topicIn}\``);

    await page.getByTestId('check').click();
    const problems = page.getByTestId('sql-editor-problems');
    await problems.waitFor({ state: 'visible', timeout: 120000 });
    expect(await problems.textContent()).toMatch(/line 2, column 3: .*'amunt'/);
    const marked = page.getByTestId('sql-editor-gutter').locator('.code-line.bad');
    expect(await marked.allTextContents()).toEqual(['2']);
    await session.shot('transform-form-check');

    await sql.fill(`SELECT id,\n  amount * 2 AS doubled\nFROM \`${topicIn}\``);
    await page.getByTestId('check').click();
    await page.getByTestId('check-result').filter({ hasText: 'Flink accepts this SQL' }).waitFor({ timeout: 120000 });
    expect(await marked.count()).toBe(0);

    await page.getByTestId('submit').click();
    await onDetailPage();
    const created = await eventually('the transform running', async () => {
      const t = await task();
      return t?.status === 'RUNNING' ? t : undefined;
    });
    expect(created).toMatchObject({
      name: 'Doubled amounts',
      connectorType: 'TRANSFORM_EXCHANGE_FLINK_SQLA2A',
      connectorConfig: { topic_in: topicIn, topic_out: topicOut, format: 'json' },
    });
    expect(await flinkState(created.jobConfig.flink_job_id)).toBe('RUNNING');
  });

  it('edits the SQL: the record holds it and Flink runs the new job', async () => {
    const before = await task();
    await page.goto(`${session.origin}/#/transforms/${id}`);
    await page.getByTestId('action-edit').click();
    await page.getByTestId('transform-form').waitFor();
    const sql = page.getByTestId('sql-editor');
    expect(await sql.inputValue()).toContain('amount * 2');
    expect(await page.getByTestId('kind-select').isDisabled()).toBe(true);
    const tripled = `SELECT id, amount * 3 AS doubled FROM \`${topicIn}\``;
    await sql.fill(tripled);
    await page.getByTestId('submit').click();
    await onDetailPage();
    const edited = await eventually('the new job running', async () => {
      const t = await task();
      return t?.connectorConfig.trans_sql === tripled &&
        t.jobConfig.flink_job_id !== before.jobConfig.flink_job_id &&
        t.status === 'RUNNING'
        ? t
        : undefined;
    });
    expect(edited.revision).toBeGreaterThan(before.revision);
    expect(await flinkState(edited.jobConfig.flink_job_id)).toBe('RUNNING');
    await page.getByTestId('sql').filter({ hasText: 'amount * 3' }).waitFor();
    await session.shot('transform-form-edited');
  });

  it('raised no script errors', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
