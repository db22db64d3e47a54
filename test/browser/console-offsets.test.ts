import fs from 'node:fs/promises';
import path from 'node:path';
import { Page } from 'playwright-core';
import { connectRest, ConnectRest } from '../support/connect-rest';
import { ConsoleSession, startConsoleSession } from '../support/console-session';
import { dataTempDir, DfApp } from '../support/df-app';
import { readTopic } from '../support/kafka';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

const LINES = 'alpha\nbeta\ngamma\n';
/** The byte where "beta" starts: "alpha\n" is 6 bytes. */
const BETA_AT = 6;

/**
 * A connect's offsets in the web console, in a real (headless) Chromium against DF on the real
 * stack: a FileStreamSource's offset is where it is in its file, so the records on its topic show
 * where it read from after each change made from the console, and Kafka Connect's own refusal of
 * an offset it does not take is shown in its words.
 */
describe('web console: connector offsets', () => {
  const id = uniqueName('console-offs').replace(/_/g, '-');
  const topic = uniqueName('console-offs-topic');
  let session: ConsoleSession;
  let app: DfApp;
  let connect: ConnectRest;
  let page: Page;
  let dir: string;
  let file: string;

  const records = (count: number) => readTopic(app.config.kafkaBrokers, topic, count);
  /** Kafka Connect's own offsets once it has committed the file's position at `position`. */
  const committedAt = (position: number) =>
    eventually(
      `offset ${position} committed`,
      async () => {
        const { data } = await connect.get(`/connectors/${id}/offsets`);
        return data.offsets?.[0]?.offset?.position === position ? data : undefined;
      },
      90000,
      500,
    );
  const offsetCell = () => page.getByTestId('offsets-table').getByTestId('offset-value').first();
  const connectorState = async () => (await connect.get(`/connectors/${id}/status`)).data.connector.state;

  beforeAll(async () => {
    session = await startConsoleSession('console_offsets');
    ({ app, page } = session);
    connect = connectRest(app.config);
    dir = await dataTempDir(app, 'df-console-offsets-');
    file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, LINES);
    const res = await app.api.post('/ps', {
      id,
      name: 'Lines read again',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { 'tasks.max': '1', file, topic },
    });
    expect(res.status).toBe(201);
    expect(await records(3)).toEqual(['"alpha"', '"beta"', '"gamma"']);
  });

  afterAll(async () => {
    if (session) {
      await app.api.delete(`/ps/${id}`).catch(() => undefined);
      await session.close();
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('shows the file and the byte the connector reached, as Kafka Connect reports them', async () => {
    await committedAt(LINES.length);
    await page.goto(`${session.origin}/#/connects/${id}`);
    const row = page.getByTestId('offsets-table').getByTestId('offset-row-0');
    await row.filter({ hasText: `position: ${LINES.length}` }).waitFor({ timeout: 30000 });
    expect(await row.textContent()).toBe(`filename: ${JSON.stringify(file)}position: ${LINES.length}`);
  });

  it('alters the offset back to the second line: the connector reads beta and gamma again', async () => {
    await page.getByTestId('offsets-edit').click();
    await page.getByTestId('offset-input-0-position').fill(String(BETA_AT));
    await page.getByTestId('offsets-save').click();
    await expect(page.getByTestId('confirm-dialog').textContent()).resolves.toContain('1 partition');
    await page.getByTestId('confirm-ok').click();
    const done = page.getByTestId('offsets-done');
    await done.waitFor({ timeout: 120000 });
    expect(await done.textContent()).toMatch(/The connector is RUNNING\.$/);
    expect(await records(5)).toEqual(['"alpha"', '"beta"', '"gamma"', '"beta"', '"gamma"']);
    expect(await connectorState()).toBe('RUNNING');
    // Read on to the end again, the card follows what Connect commits.
    await committedAt(LINES.length);
    await offsetCell()
      .filter({ hasText: `position: ${LINES.length}` })
      .waitFor({ timeout: 30000 });
    await session.shot('offsets-altered');
  });

  it("shows Kafka Connect's refusal of an offset it does not take, and the connector runs on", async () => {
    await page.getByTestId('offsets-edit').click();
    await page.getByTestId('offset-input-0-position').fill('-1');
    await page.getByTestId('offsets-save').click();
    await page.getByTestId('confirm-ok').click();
    const refused = page.getByTestId('offsets-refused');
    await refused.waitFor({ timeout: 120000 });
    expect(await refused.textContent()).toMatch(/refused to alter the offsets.*non-negative/);
    await page.getByTestId('toast').filter({ hasText: 'failed' }).waitFor();
    expect((await connect.get(`/connectors/${id}/offsets`)).data).toEqual({
      offsets: [{ partition: { filename: file }, offset: { position: LINES.length } }],
    });
    await eventually('the connector RUNNING again', async () =>
      (await connectorState()) === 'RUNNING' ? true : undefined,
    );
    await page.getByTestId('offsets-cancel').click();
  });

  it('resets the offsets after a confirm: the connector reads its file from the start', async () => {
    await page.getByTestId('offsets-reset').click();
    await expect(page.getByTestId('confirm-dialog').textContent()).resolves.toContain('Reset every offset');
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('offsets-done').waitFor({ timeout: 120000 });
    expect((await records(8)).slice(5)).toEqual(['"alpha"', '"beta"', '"gamma"']);
    await committedAt(LINES.length);
    await session.shot('offsets-reset');
  });

  it('raised no script errors', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
