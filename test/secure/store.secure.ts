import fs from 'node:fs';
import path from 'node:path';
import axios from 'axios';
import { MongoClient, MongoClientOptions } from 'mongodb';
import type { HealthReport } from '../../src/health';
import { freePort, MAIN } from '../support/built-service';
import { dfStartedWith } from '../support/df-health';
import { dataTempDir, DfApp, startDfApp } from '../support/df-app';
import { uniqueName } from '../support/stack';
import { makeTestPki, TestPki } from '../support/test-pki';

/**
 * The store of the secure profile (FerretDB) enforces its own security: it speaks only TLS, with a
 * certificate of the profile's CA, and refuses every command but the handshake ones until the
 * client has logged in with SCRAM. DF, set up by the profile's environment alone, works with it and
 * says in plain words why it cannot.
 */
const env = process.env as Record<string, string>;
const url = fs.readFileSync(env.MONGO_URL_FILE, 'utf8').trim();
const ca = env.MONGO_TLS_CA_FILE;
const password = decodeURIComponent(new URL(url).password);
const address = new URL(url).host;
/** The URL as someone without the password writes it. */
const withoutLogin = url.replace(/\/\/[^@/]*@/, '//').replace(/&?authMechanism=[^&]*|&?authSource=[^&]*/g, '');
const withPassword = (pw: string) => url.replace(/(\/\/[^:/@]+):[^@/]*@/, `$1:${encodeURIComponent(pw)}@`);

/** What a client gets from one call: its answer, or the error it failed with. */
async function outcome(
  clientUrl: string,
  options: MongoClientOptions,
  call: (client: MongoClient) => Promise<unknown>,
): Promise<string> {
  const client = new MongoClient(clientUrl, { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000, ...options });
  try {
    return `answered ${JSON.stringify(await call(client))}`;
  } catch (error) {
    return `refused: ${(error as Error).name}: ${(error as Error).message}`;
  } finally {
    await client.close();
  }
}

const find = (client: MongoClient) => client.db('df_secure_probe').collection('probe').findOne({});
const insert = (client: MongoClient) => client.db('df_secure_probe').collection('probe').insertOne({ at: new Date() });

async function healthOf(app: DfApp): Promise<HealthReport> {
  const res = await axios.get(app.baseUrl.replace(/\/api\/df$/, '/health'), { validateStatus: () => true });
  return res.data as HealthReport;
}

describe('the store on the secure profile', () => {
  it('takes user df over TLS with SCRAM-SHA-256 and the profile CA', async () => {
    expect(url.replace(`:${password}@`, ':<password>@')).toMatch(
      /^mongodb:\/\/df:<password>@127\.0\.0\.1:27117\/\?tls=true&authMechanism=SCRAM-SHA-256&authSource=admin/,
    );
    const status = (client: MongoClient) => client.db('admin').command({ connectionStatus: 1 });
    expect(await outcome(url, { tlsCAFile: ca }, status)).toContain(
      '"authenticatedUsers":[{"user":"df","db":"admin"}]',
    );
    expect(await outcome(url, { tlsCAFile: ca }, insert)).toMatch(/^answered \{"acknowledged":true/);
  });

  // FerretDB hangs up on a client that does not start TLS, before any answer.
  it('refuses a plaintext client', async () => {
    const plaintext = `mongodb://${address}/?directConnection=true`;
    expect(await outcome(plaintext, {}, find)).toBe(
      `refused: MongoServerSelectionError: connection <monitor> to ${address} closed`,
    );
  });

  it('refuses reads and writes of a TLS client that has not logged in', async () => {
    expect(await outcome(withoutLogin, { tlsCAFile: ca }, find)).toBe(
      'refused: MongoServerError: Command find requires authentication',
    );
    expect(await outcome(withoutLogin, { tlsCAFile: ca }, insert)).toBe(
      'refused: MongoServerError: Command insert requires authentication',
    );
  });

  it('refuses user df with a wrong password', async () => {
    expect(await outcome(withPassword('not-the-password'), { tlsCAFile: ca }, find)).toBe(
      'refused: MongoServerError: Authentication failed.',
    );
  });
});

describe('DF on the secure store', () => {
  let app: DfApp;
  let dir: string;
  const id = uniqueName('secure_store_fs');

  beforeAll(async () => {
    app = await startDfApp('secure_store');
    dir = await dataTempDir(app, 'df-secure-store-');
  });

  afterAll(async () => {
    await app?.api.delete(`/ps/${id}`);
    await app?.close();
    await fs.promises.rm(dir, { recursive: true, force: true });
  });

  it('reports the store up in /health, without its password', async () => {
    const health = await healthOf(app);
    expect(health.dependencies.store).toMatchObject({ status: 'up', target: url.replace(`:${password}@`, ':***@') });
    expect(JSON.stringify(health)).not.toContain(password);
  });

  it('keeps a task in it', async () => {
    const file = path.join(dir, 'lines.txt');
    await fs.promises.writeFile(file, 'alpha\n');
    const res = await app.api.post('/ps', {
      id,
      name: 'A task kept in the secure store',
      connectorType: 'CONNECT_SOURCE_KAFKA_FlatFile',
      connectorConfig: { tasks_max: 1, file, topic: uniqueName('secure-store-topic') },
    });
    expect(res.status).toBe(201);
    const stored = await outcome(url, { tlsCAFile: ca }, (client) =>
      client
        .db(app.config.mongo.db)
        .collection('df_processor')
        .countDocuments({ _id: id as never }),
    );
    expect(stored).toBe('answered 1');
    expect((await app.api.get(`/ps/${id}`)).data).toMatchObject({ id, name: 'A task kept in the secure store' });
  });
});

/**
 * DF started with settings the store refuses keeps running: /health names the store and the cause,
 * a start-up line says the same, and neither shows the password.
 */
describe('DF says in plain words why it cannot use the secure store, and keeps running', () => {
  let pki: TestPki;

  beforeAll(() => {
    if (!fs.existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\``);
    pki = makeTestPki();
  });

  afterAll(() => pki.remove());

  /** DF's /health store entry and its start-up line about the store, with these settings over the secure environment's. */
  async function outOfReach(settings: Record<string, string>): Promise<{ store: unknown; line: unknown; all: string }> {
    const started = await dfStartedWith({
      MONGO_DB: uniqueName('sec_store_refused'),
      DF_TASK_QUEUE: uniqueName('sec-store-refused'),
      ...settings,
    });
    expect(started.status).toBe(503);
    const line = started.output.split('\n').find((l) => l.includes('store is out of reach'));
    expect(started.running).toBe(true);
    return {
      store: started.report.dependencies.store,
      line: JSON.parse(line ?? '{}'),
      all: JSON.stringify(started.report) + started.output,
    };
  }

  /** What /health and the start-up line say for a store at this (shown) URL refused for this cause. */
  const saying = (shown: string, cause: string) => ({
    store: { status: 'down', target: shown, error: cause },
    line: {
      level: 'warn',
      msg: `store is out of reach: ${cause}; DF keeps running and connects once it answers`,
      target: shown,
    },
  });

  const shownUrl = (shown: string) => shown.replace(`:${password}@`, ':***@');

  it('a wrong password: authentication failed', async () => {
    const wrong = withPassword('not-the-password');
    const said = await outOfReach({ MONGO_URL_FILE: '', MONGO_URL: wrong });
    expect(said).toMatchObject(
      saying(
        wrong.replace(':not-the-password@', ':***@'),
        'authentication failed (check the user, password and authSource in MONGO_URL)',
      ),
    );
    expect(said.all).not.toContain('not-the-password');
  });

  it("a CA that did not sign the store's certificate: certificate signed by an unknown authority", async () => {
    const said = await outOfReach({ MONGO_TLS_CA_FILE: pki.ca });
    expect(said).toMatchObject(
      saying(shownUrl(url), 'TLS: certificate signed by an unknown authority (give its CA in MONGO_TLS_CA_FILE)'),
    );
    expect(said.all).not.toContain(password);
  });

  it('a plaintext URL: the store closed the connection, maybe for want of TLS', async () => {
    const plaintext = `mongodb://${address}/?directConnection=true`;
    const said = await outOfReach({ MONGO_URL_FILE: '', MONGO_URL: plaintext, MONGO_TLS_CA_FILE: '' });
    expect(said).toMatchObject(
      saying(
        plaintext,
        'the store closed the connection without an answer ' +
          '(a store that wants TLS does so to a plaintext client: tls=true in MONGO_URL, or MONGO_TLS_CA_FILE)',
      ),
    );
  });

  it('an address where nothing listens: connection refused', async () => {
    const port = await freePort();
    const elsewhere = url.replace(address, `127.0.0.1:${port}`);
    const said = await outOfReach({ MONGO_URL_FILE: '', MONGO_URL: elsewhere });
    expect(said).toMatchObject(
      saying(shownUrl(elsewhere), `connection refused: connect ECONNREFUSED 127.0.0.1:${port}`),
    );
    expect(said.all).not.toContain(password);
  });
});
