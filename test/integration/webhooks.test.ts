import { createHmac } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { engineHttp } from '../support/engines';
import { uniqueName } from '../support/stack';
import { eventually } from '../support/wait';

const ADMIN = 'webhooks-admin-token-0123456789';
const VIEWER = 'webhooks-viewer-token-0123456789';
const SECRET = 'webhooks-spec-secret-0123';
const INTERVAL_MS = 2000;

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  answered: number;
}

/** A local receiver that refuses (503) every call while it is down, and takes them (200) once it is up. */
async function startReceiver() {
  const state = { up: false };
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const answered = state.up ? 200 : 503;
      received.push({ path: req.url ?? '', headers: req.headers, body, answered });
      res.writeHead(answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    state,
    received,
    /** The calls answered 200, by event id. */
    taken: () => received.filter((r) => r.answered === 200),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Webhooks on the real stack: events DF sees (a connector lost behind its back, an operation on it
 * that fails) reach a local receiver that is down at first, once each by event id when it is back,
 * signed with the webhook's secret; the delivery log shows every attempt. Refusals change nothing.
 */
describe('webhooks: events reach a receiver once it is back, signed, once each', () => {
  let app: DfApp;
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  let dir: string;
  const asAdmin = { headers: { Authorization: `Bearer ${ADMIN}` } };
  const asViewer = { headers: { Authorization: `Bearer ${VIEWER}` } };

  beforeAll(async () => {
    rx = await startReceiver();
    app = await startDfApp('webhooks', {
      DF_API_TOKENS: `${ADMIN}:admin,${VIEWER}:viewer`,
      DF_SYNC_INTERVAL: `${INTERVAL_MS}ms`,
      DF_SYNC_GRACE: '4s',
      // Seconds, not the default 5 s: the spec waits for several refused attempts.
      DF_WEBHOOK_RETRY_INITIAL: '200ms',
    });
    dir = await dataTempDir(app, 'df-it-webhooks-');
  });

  afterAll(async () => {
    await app?.close();
    await rx?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  const valid = () => ({ url: `${rx.base}/generic`, events: ['task.lost'], secret: SECRET });

  it('refuses bad input naming the field, unknown webhooks 404, viewers 403, and stores nothing refused', async () => {
    const refusals: [Record<string, unknown>, string][] = [
      [{ ...valid(), url: 'ftp://127.0.0.1/x' }, 'url'],
      [{ ...valid(), events: ['task.exploded'] }, 'events.0'],
      [{ ...valid(), format: 'xml' }, 'format'],
      [{ ...valid(), secret: 'short' }, 'secret'],
    ];
    for (const [body, field] of refusals) {
      const res = await app.api.post('/webhooks', body, asAdmin);
      expect(res.status).toBe(400);
      expect(res.data.error.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.data.error.details.fields)).toEqual([field]);
    }
    for (const res of [
      await app.api.get('/webhooks/wh-none', asAdmin),
      await app.api.put('/webhooks/wh-none', valid(), asAdmin),
      await app.api.delete('/webhooks/wh-none', asAdmin),
      await app.api.get('/webhooks/wh-none/deliveries', asAdmin),
    ]) {
      expect(res.status).toBe(404);
      expect(res.data.error.code).toBe('NOT_FOUND');
    }
    for (const res of [await app.api.get('/webhooks', asViewer), await app.api.post('/webhooks', valid(), asViewer)]) {
      expect(res.status).toBe(403);
      expect(res.data.error.code).toBe('FORBIDDEN');
    }
    expect((await app.api.get('/webhooks', asAdmin)).data).toEqual([]);
  });

  it('registers, reads masked and replaces a webhook, keeping the secret when it is left out', async () => {
    const added = await app.api.post('/webhooks', { ...valid(), enabled: false }, asAdmin);
    expect(added.status).toBe(201);
    expect(added.data).toMatchObject({ url: `${rx.base}/generic`, format: 'generic', secret: '********' });
    const id = added.data.id as string;
    const replaced = await app.api.put(
      `/webhooks/${id}`,
      { url: `${rx.base}/other`, events: ['task.failed'], format: 'slack', secret: '********' },
      asAdmin,
    );
    expect(replaced.status).toBe(200);
    expect(replaced.data).toMatchObject({ id, url: `${rx.base}/other`, format: 'slack', enabled: true });
    expect((await app.services.webhooks.withSecret(id))?.secret).toBe(SECRET);
    expect((await app.api.delete(`/webhooks/${id}`, asAdmin)).data).toEqual({ id, deleted: true });
    expect((await app.api.get(`/webhooks/${id}`, asAdmin)).status).toBe(404);
  });

  it('a connector lost in Kafka Connect and a pause of it that fails reach a receiver that was down, once each', async () => {
    const generic = await app.api.post('/webhooks', { ...valid(), events: ['task.lost', 'operation.failed'] }, asAdmin);
    const slack = await app.api.post(
      '/webhooks',
      { url: `${rx.base}/slack`, events: ['operation.failed'], format: 'slack', secret: SECRET },
      asAdmin,
    );
    expect([generic.status, slack.status]).toEqual([201, 201]);

    const id = uniqueName('wh-src');
    const file = path.join(dir, `${id}.txt`);
    await fs.writeFile(file, 'one\n');
    const add = await app.api.post(
      '/ps',
      {
        id,
        name: id,
        connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
        connectorConfig: { file, topic: uniqueName('it-wh') },
      },
      asAdmin,
    );
    expect(add.status).toBe(201);
    expect((await engineHttp(app.config, 'kafkaConnect').delete(`/connectors/${id}`)).status).toBe(204);
    await eventually('the task LOST', async () =>
      (await app.api.get(`/processor/${id}`, asAdmin)).data.status === 'LOST' ? true : undefined,
    );
    const pause = await app.api.post(`/ps/${id}/pause`, undefined, asAdmin);
    expect(pause.status).toBeGreaterThanOrEqual(400);

    // While the receiver is down each delivery fails and is tried again.
    const deliveries = async (hook: string) =>
      (await app.api.get(`/webhooks/${hook}/deliveries`, asAdmin)).data as { eventId: string; outcome: string }[];
    await eventually(
      'refused attempts of both events',
      async () => {
        const rows = await deliveries(generic.data.id);
        const failedEvents = new Set(rows.filter((r) => r.outcome === 'failed').map((r) => r.eventId));
        return rows.filter((r) => r.outcome === 'failed').length >= 4 && failedEvents.size === 2 ? true : undefined;
      },
      120_000,
    );
    expect(rx.taken()).toEqual([]);

    rx.state.up = true;
    const genericTaken = () => rx.taken().filter((r) => r.path === '/generic');
    await eventually(
      'both events taken',
      async () => (genericTaken().length >= 2 && rx.taken().some((r) => r.path === '/slack') ? true : undefined),
      120_000,
    );
    // Every event is taken once: what the log says was delivered is all there is.
    await eventually(
      'the log shows each event delivered',
      async () => {
        const rows = await deliveries(generic.data.id);
        return rows.filter((r) => r.outcome === 'delivered').length === 2 ? rows : undefined;
      },
      30_000,
    );
    const ids = genericTaken().map((r) => r.headers['x-df-event-id']);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      genericTaken()
        .map((r) => r.headers['x-df-event'])
        .sort(),
    ).toEqual(['operation.failed', 'task.lost']);
    for (const r of rx.taken()) {
      expect(r.headers['x-df-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(r.body).digest('hex')}`);
    }
    for (const r of genericTaken()) {
      const body = JSON.parse(r.body);
      expect(body).toMatchObject({ id: r.headers['x-df-event-id'], task: { id, category: 'CONNECT' } });
      expect(body.links.task).toBe(`/api/df/processor/${id}`);
    }
    const lost = genericTaken().find((r) => r.headers['x-df-event'] === 'task.lost');
    expect(JSON.parse(lost!.body)).toMatchObject({ task: { status: 'LOST' } });
    const [slackCall] = rx.taken().filter((r) => r.path === '/slack');
    expect(Object.keys(JSON.parse(slackCall.body))).toEqual(['text']);
    expect(JSON.parse(slackCall.body).text).toContain(id);

    await app.api.delete(`/ps/${id}`, asAdmin);
  });
});
