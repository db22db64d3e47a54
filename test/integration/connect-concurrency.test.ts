import fs from 'node:fs/promises';
import path from 'node:path';
import axios from 'axios';
import { connectRest } from '../support/connect-rest';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';

/**
 * Operations on one connect never overlap: twenty updates sent at once all apply, one after
 * another, through the task's lock; none is lost and Kafka Connect ends with the repository's config.
 */
describe('Connect LAUD: concurrent updates to one connect', () => {
  let app: DfApp;
  let dir: string;
  const id = uniqueName('conc');

  beforeAll(async () => {
    app = await startDfApp('connect_conc');
    dir = await dataTempDir(app, 'df-it-conc-');
    const file = path.join(dir, 'lines.txt');
    const res = await app.api.post('/ps', {
      id,
      name: id,
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { file, topic: uniqueName('it-conc') },
    });
    expect(res.status).toBe(201);
  });
  afterAll(async () => {
    await app?.api.delete(`/ps/${id}`);
    await app?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('applies 20 concurrent updates, each once, in some order, and loses none', async () => {
    const updates = Array.from({ length: 20 }, (_, i) =>
      app.api.patch(
        `/ps/${id}`,
        { connectorConfig: { [`df.it.key${i}`]: `v${i}`, 'batch.size': String(100 + i) } },
        { headers: { Prefer: 'respond-async' } },
      ),
    );
    const accepted = await Promise.all(updates);
    expect(accepted.map((r) => r.status)).toEqual(Array(20).fill(202));
    const results = await Promise.all(
      accepted.map((r) => app.temporal.client.workflow.getHandle(r.data.workflowId).result()),
    );

    // Each update saw the one before it: revisions 2..21, each exactly once.
    expect(results.map((t: { revision: number }) => t.revision).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i + 2),
    );
    const { data: task } = await app.api.get(`/ps/${id}`);
    expect(task.revision).toBe(21);
    for (let i = 0; i < 20; i++) expect(task.connectorConfig[`df.it.key${i}`]).toBe(`v${i}`);
    // The last update applied decides batch.size, in Kafka Connect as in the repository.
    const last = results.find((t: { revision: number }) => t.revision === 21) as {
      connectorConfig: Record<string, string>;
    };
    expect(task.connectorConfig['batch.size']).toBe(last.connectorConfig['batch.size']);
    const { data: inConnect } = await connectRest(app.config).get(`/connectors/${id}/config`);
    expect(inConnect).toEqual(task.connectorConfig);
  });

  it("lets a follower of a 202 find the operation's result at its statusUrl", async () => {
    const res = await app.api.patch(`/ps/${id}`, { description: 'followed' }, { headers: { Prefer: 'respond-async' } });
    expect(res.status).toBe(202);
    expect(res.data.temporalUiUrl).toMatch(
      new RegExp(`/namespaces/default/workflows/${res.data.workflowId}/${res.data.runId}/history$`),
    );
    await app.temporal.client.workflow.getHandle(res.data.workflowId).result();
    const op = await axios.get(`${app.baseUrl.replace(/\/api\/df$/, '')}${res.data.statusUrl}`);
    expect(op.data).toMatchObject({
      workflowId: res.data.workflowId,
      type: 'connectUpdate',
      status: 'COMPLETED',
      result: { description: 'followed' },
    });
  });

  it('joins a retried request carrying the same Idempotency-Key instead of applying it twice', async () => {
    const headers = { 'Idempotency-Key': uniqueName('key') };
    const { data: before } = await app.api.get(`/ps/${id}`);
    const first = await app.api.patch(`/ps/${id}`, { description: 'once' }, { headers });
    const again = await app.api.patch(`/ps/${id}`, { description: 'once' }, { headers });
    expect(first.status).toBe(200);
    expect(again.headers['x-df-workflow-id']).toBe(first.headers['x-df-workflow-id']);
    const { data: after } = await app.api.get(`/ps/${id}`);
    expect(after.revision).toBe(before.revision + 1);
  });
});
