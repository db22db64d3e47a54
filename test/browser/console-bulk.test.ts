import fs from 'node:fs/promises';
import path from 'node:path';
import { Page } from 'playwright-core';
import { connectRest, ConnectRest } from '../support/connect-rest';
import { ConsoleSession, startConsoleSession } from '../support/console-session';
import { dataTempDir, DfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

/**
 * Bulk actions from the web console in a real (headless) Chromium against DF on the real stack:
 * ticked connects are paused as one bulk run, and one whose connector was removed behind DF's back
 * is named in the bar with Kafka Connect's message while the others pause.
 */
describe('web console: bulk actions on the connects list', () => {
  const tag = uniqueName('console-bulk').replace(/_/g, '-');
  const ids = [0, 1, 2].map((i) => `${tag}-${i}`);
  let session: ConsoleSession;
  let app: DfApp;
  let connect: ConnectRest;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    session = await startConsoleSession('console_bulk');
    ({ app, page } = session);
    connect = connectRest(app.config);
    dir = await dataTempDir(app, 'df-console-bulk-');
    const file = path.join(dir, 'lines.txt');
    await fs.writeFile(file, 'one\n');
    for (const id of ids) {
      const res = await app.api.post('/ps', {
        id,
        name: `Bulk ${id.slice(-1)}`,
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { file, topic: `${tag}-lines` },
      });
      expect([201, 202]).toContain(res.status);
    }
  });

  afterAll(async () => {
    if (session) {
      for (const id of ids) await app.api.delete(`/ps/${id}`).catch(() => undefined);
      await session.close();
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('pauses the ticked connects as one bulk run; one that cannot be paused is named with its reason', async () => {
    await connect.delete(`/connectors/${ids[2]}`);
    await page.goto(`${session.origin}/#/connects?q=${encodeURIComponent(tag)}`);
    const list = page.getByTestId('connects-list');
    await eventually(
      'the three connects listed',
      async () => ((await list.getByTestId('select-row').count()) === 3 ? true : undefined),
      30000,
      500,
    );
    await expect(page.getByTestId('bulk-bar').isHidden()).resolves.toBe(true);
    await page.getByTestId('bulk-select-page').click();
    await page.getByTestId('bulk-count').filter({ hasText: '3 selected' }).waitFor();
    await page.getByTestId('bulk-pause').click();
    await page.getByTestId('confirm-ok').click();

    const failures = page.getByTestId('bulk-failures');
    await failures.waitFor({ state: 'visible', timeout: 120000 });
    expect(await failures.textContent()).toMatch(new RegExp(`${ids[2]} failed: .*Unknown connector`));
    await page.getByTestId('toast').filter({ hasText: 'Pause: 2 paused, 1 not' }).waitFor();
    for (const id of ids.slice(0, 2)) {
      const { data } = await connect.get(`/connectors/${id}/status`);
      expect(data.connector.state).toBe('PAUSED');
    }
    // What failed stays ticked, to try again.
    await page.getByTestId('bulk-count').filter({ hasText: '1 selected' }).waitFor();
    await session.shot('bulk-pause');
  });

  it('raised no script errors', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
