import type { MongoClient } from 'mongodb';
import { loadConfig } from '../../src/config';
import { connectStore, Store } from '../../src/repository/mongo';
import { stackAsync, uniqueName } from '../support/stack';
import { eventually } from '../support/wait';
import { scenarioLine } from './support/connect-operations';

/** The driver's inside, as far as this fault reaches into it (mongodb 7: one Server per address, each with its monitor). */
interface DriverInside {
  topology?: { s: { servers: Map<string, { monitor?: { close(): void } | null }> } };
}

/**
 * The fault seen once after a FerretDB restart: the driver stopped checking the server, so it
 * never saw the store come back, and every call failed for minutes. Here the driver's monitor is
 * closed by hand before the store restarts.
 */
function stopDriverLookingAtStore(client: MongoClient): void {
  const servers = (client as unknown as DriverInside).topology?.s.servers;
  if (!servers || servers.size === 0)
    throw new Error('the driver has no server to stop monitoring (its inside changed?)');
  for (const server of servers.values()) server.monitor?.close();
}

/** Resolves when the client no longer knows a server it can use. */
function serverLost(client: MongoClient): Promise<void> {
  return new Promise((resolve) => {
    client.on('topologyDescriptionChanged', (event) => {
      if (!event.newDescription.hasKnownServers) resolve();
    });
  });
}

/**
 * The store restarts while the process's MongoDB driver has stopped looking at it: the driver
 * alone would never use the store again; the watchdog notices no known server for its limit, gets
 * an answer on a fresh connection and reconnects the client, and the repositories' collections
 * carry on.
 */
describe('fault: the store restarts while the driver has stopped looking at it', () => {
  const config = loadConfig({ DF_DEV_MODE: 'true', ...process.env });
  let store: Store | undefined;
  let control: Store | undefined;

  afterAll(async () => {
    await store?.db.dropDatabase().catch(() => undefined);
    await Promise.all([store?.close(), control?.close()]);
  });

  it('gets the client back once the store answers a fresh connection, where the driver alone stays stuck', async () => {
    let reconnects = 0;
    const db = uniqueName('faults_stuck');
    store = await connectStore(config.mongo.url, db, {
      watchdogAfterMs: 3000,
      onReconnect: () => {
        reconnects += 1;
      },
    });
    // The same fault on a client whose watchdog waits an hour: what the driver does on its own.
    control = await connectStore(config.mongo.url, db, { watchdogAfterMs: 3_600_000 });
    const coll = store.db.collection<{ _id: string; n: number }>('probe');
    const controlColl = control.db.collection<{ _id: string; n: number }>('probe');
    await coll.insertOne({ _id: 'a', n: 0 });
    await controlColl.findOne({ _id: 'a' });

    stopDriverLookingAtStore(store.client);
    stopDriverLookingAtStore(control.client);
    // Calls in flight as the store goes: one fails on its connection and marks the server Unknown,
    // and nothing will check it again.
    const lost = [serverLost(store.client), serverLost(control.client)];
    let writing = true;
    const writers = [coll, controlColl].map(async (c) => {
      while (writing)
        await c.updateOne({ _id: 'b' }, { $inc: { n: 1 } }).catch(() => new Promise((r) => setTimeout(r, 10)));
    });
    await stackAsync('down', 'store');
    const lostBoth = await Promise.race([
      Promise.all(lost).then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 15_000)),
    ]);
    writing = false;
    await Promise.all(writers);
    if (!lostBoth)
      throw new Error('the fault did not take: a client never saw its server go Unknown while the store went down');
    await stackAsync('up', 'store');
    const upAt = Date.now();

    await eventually(
      'a write through the client after the store is back',
      () =>
        coll.updateOne({ _id: 'a' }, { $inc: { n: 1 } }).then(
          () => true,
          () => undefined,
        ),
      60_000,
      500,
    );
    const backMs = Date.now() - upAt;
    await eventually(
      'the watchdog reporting its reconnect',
      async () => (reconnects > 0 ? true : undefined),
      10_000,
      100,
    );
    process.stdout.write(
      scenarioLine('store driver stuck', {
        'faults injected': 1,
        reconnects,
        'seconds from the store answering to a write through the client': (backMs / 1000).toFixed(1),
      }),
    );

    expect(reconnects).toBe(1);
    expect((await coll.findOne({ _id: 'a' }))?.n).toBeGreaterThanOrEqual(1);
    // Without the watchdog the driver still finds no server to send to. Its message is the last
    // error its monitor saw ("connection 1 ... closed", "read ECONNRESET"), which varies by run.
    await expect(controlColl.updateOne({ _id: 'a' }, { $inc: { n: 1 } })).rejects.toMatchObject({
      name: 'MongoServerSelectionError',
    });
  });
});
