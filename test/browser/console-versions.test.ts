import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Page } from 'playwright-core';
import { SECRET_MASK } from '../../src/domain/secrets';
import { connectRest, ConnectRest } from '../support/connect-rest';
import { ConsoleSession, startConsoleSession } from '../support/console-session';
import { dataTempDir, DfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { addDatagenTransform } from '../support/transforms';
import { eventually } from '../support/wait';

/**
 * Config versions in the web console, in a real (headless) Chromium against DF on the real stack:
 * a connect's versions newest first with who and when, two of them compared key by key with the
 * secret masked, a rollback from the console that reaches Kafka Connect, and one Connect no longer
 * takes refused with its reason; a transform's versions with its SQL compared line by line.
 */
describe('web console: config versions, diff and rollback', () => {
  const connectId = uniqueName('console-ver').replace(/_/g, '-');
  const transformId = uniqueName('console-vtr').replace(/_/g, '-');
  const topics = [uniqueName('console-ver-a'), uniqueName('console-ver-b')];
  const password = `pw-${randomBytes(6).toString('hex')}`;
  let session: ConsoleSession;
  let app: DfApp;
  let connect: ConnectRest;
  let page: Page;
  let dir: string;
  let files: string[];

  const ok = (what: string, res: { status: number; data: unknown }) => {
    if (res.status !== 200 && res.status !== 201) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.data)}`);
  };

  beforeAll(async () => {
    // Each step waits for its operation: a job moving to new SQL outlasts the default wait.
    session = await startConsoleSession('console_versions', { DF_SYNC_WAIT_MS: '180000' });
    ({ app, page } = session);
    connect = connectRest(app.config);
    dir = await dataTempDir(app, 'df-console-versions-');
    files = [path.join(dir, 'first.txt'), path.join(dir, 'second.txt')];
    for (const file of files) await fs.writeFile(file, 'one\n');
    ok(
      'connect added',
      await app.api.post('/ps', {
        id: connectId,
        name: 'Versioned lines',
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { file: files[0], topic: topics[0], 'connection.password': password },
      }),
    );
    ok('file changed', await app.api.patch(`/ps/${connectId}`, { connectorConfig: { file: files[1] } }));
    ok('topic changed', await app.api.patch(`/ps/${connectId}`, { connectorConfig: { topic: topics[1] } }));
  });

  afterAll(async () => {
    if (session) {
      await app.api.delete(`/ps/${connectId}`).catch(() => undefined);
      await app.api.delete(`/tr/${transformId}`, { params: { mode: 'cancel' } }).catch(() => undefined);
      await session.close();
    }
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const versionRows = () => page.getByTestId('versions-list').locator('tbody tr');
  const rowCount = (n: number) =>
    eventually(
      `${n} versions listed`,
      async () => ((await versionRows().count()) === n ? true : undefined),
      30000,
      500,
    );

  it("lists a connect's three versions newest first, with the operation and who applied it", async () => {
    await page.goto(`${session.origin}/#/connects/${connectId}`);
    await rowCount(3);
    expect(await versionRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid')))).toEqual([
      'version-3',
      'version-2',
      'version-1',
    ]);
    await expect(page.getByTestId('versions-summary').textContent()).resolves.toBe('3 versions, newest first.');
    const first = page.getByTestId('version-1');
    await expect(first.textContent()).resolves.toMatch(/v1.*add.*anonymous/);
    await expect(first.getByRole('link').textContent()).resolves.toContain(`df-connect-add-${connectId}`);
    await expect(page.getByTestId('version-3').textContent()).resolves.toMatch(/v3 current.*update/);
    // The newest version is what runs: there is nothing to roll back to in it.
    await expect(page.getByTestId('rollback-3').count()).resolves.toBe(0);
  });

  it('compares two ticked versions key by key, the changed secret masked', async () => {
    await page.getByTestId('version-pick-1').check();
    await page.getByTestId('version-pick-3').check();
    const diff = page.getByTestId('versions-diff');
    await diff.waitFor();
    expect(
      await diff.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid'))),
    ).toEqual(['diff-file', 'diff-topic']);
    const topicRow = diff.getByTestId('diff-topic');
    await expect(topicRow.getAttribute('data-change')).resolves.toBe('changed');
    await expect(topicRow.textContent()).resolves.toBe(`topicchanged${topics[0]}${topics[1]}`);
    await expect(diff.getByTestId('diff-file').textContent()).resolves.toBe(`filechanged${files[0]}${files[1]}`);
    // The secret did not change between v1 and v3; its value never reaches the page either way.
    await expect(page.getByTestId('versions').textContent()).resolves.not.toContain(password);
    await session.shot('versions-diff');
  });

  it('rolls back to v1 from the console: Kafka Connect runs v1’s config, kept as version 4', async () => {
    await page.getByTestId('rollback-1').click();
    await expect(page.getByTestId('confirm-dialog').textContent()).resolves.toContain('Roll back to v1');
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('rollback-done').waitFor({ timeout: 120000 });
    await page.getByTestId('toast').filter({ hasText: 'Roll back' }).filter({ hasText: 'done' }).waitFor();

    const { data: inConnect } = await connect.get(`/connectors/${connectId}/config`);
    expect(inConnect).toMatchObject({ file: files[0], topic: topics[0], 'connection.password': password });
    await rowCount(4);
    await expect(page.getByTestId('version-4').textContent()).resolves.toMatch(/v4 current.*rollback of v1/);
    // The page reads the task again: its config is v1's, the secret masked.
    await page.getByTestId('config-table').filter({ hasText: topics[0] }).waitFor();
    await expect(page.getByTestId('config-table').textContent()).resolves.toContain(SECRET_MASK);
  });

  it('shows the refusal of a version Kafka Connect no longer takes, and the connector keeps its config', async () => {
    const { data: task } = await app.api.get(`/ps/${connectId}`);
    // A version kept when it was valid, which this Connect refuses now.
    const { version } = await app.services.versions.keep(
      {
        taskId: connectId,
        category: 'CONNECT',
        operation: 'update',
        connectorType: task.connectorType,
        connectorConfig: { ...task.connectorConfig, 'connection.password': password, 'tasks.max': 'many' },
        actor: 'anonymous',
      },
      { workflowId: uniqueName('seed'), runId: 'r' },
      new Date(),
    );
    // Rolling forward to it: it is not the newest once the page lists one more after it.
    const { version: newest } = await app.services.versions.keep(
      {
        taskId: connectId,
        category: 'CONNECT',
        operation: 'update',
        connectorType: task.connectorType,
        connectorConfig: { ...task.connectorConfig, 'connection.password': password },
        actor: 'anonymous',
      },
      { workflowId: uniqueName('seed'), runId: 'r' },
      new Date(),
    );
    await rowCount(newest);
    await page.getByTestId(`rollback-${version}`).click();
    await page.getByTestId('confirm-ok').click();
    const refused = page.getByTestId('rollback-refused');
    await refused.waitFor({ timeout: 120000 });
    expect(await refused.textContent()).toMatch(/tasks\.max/);
    await page.getByTestId('toast').filter({ hasText: 'failed' }).waitFor();
    const { data: inConnect } = await connect.get(`/connectors/${connectId}/config`);
    expect(inConnect['tasks.max']).toBe(task.connectorConfig['tasks.max']);
    expect((await app.api.get(`/ps/${connectId}`)).data.revision).toBe(task.revision);
    await session.shot('versions-refused');
  });

  it("lists a transform's versions and compares its SQL line by line", async () => {
    await addDatagenTransform(app, transformId);
    const { data: added } = await app.api.get(`/tr/${transformId}`);
    const sql = added.connectorConfig.trans_sql as string;
    const changedSql = sql.replace("'rows-per-second'='1'", "'rows-per-second'='2'");
    expect(changedSql).not.toBe(sql);
    ok(
      'SQL changed',
      await app.api.patch(
        `/tr/${transformId}`,
        { connectorConfig: { trans_sql: changedSql } },
        { params: { upgradeMode: 'stateless' } },
      ),
    );

    await page.goto(`${session.origin}/#/transforms/${transformId}`);
    await rowCount(2);
    await page.getByTestId('version-pick-1').check();
    await page.getByTestId('version-pick-2').check();
    const lines = page.getByTestId('versions-diff').getByTestId('line-diff');
    await lines.waitFor();
    await expect(lines.getAttribute('data-key')).resolves.toBe('trans_sql');
    const changed = await lines
      .getByTestId('diff-line')
      .evaluateAll((rows) =>
        rows
          .filter((r) => r.getAttribute('data-op') !== 'same')
          .map((r) => [r.getAttribute('data-op'), r.querySelector('.diff-text')?.textContent?.trim()]),
      );
    const [oldLine] = sql.split('\n').filter((l) => l.includes('rows-per-second'));
    const [newLine] = changedSql.split('\n').filter((l) => l.includes('rows-per-second'));
    expect(changed).toEqual([
      ['removed', oldLine.trim()],
      ['added', newLine.trim()],
    ]);
    await session.shot('versions-sql-diff');
  });

  it('raised no script errors', () => {
    expect(session.pageErrors).toEqual([]);
  });
});
