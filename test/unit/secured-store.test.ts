import net, { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { connectStore, Store } from '../../src/repository/mongo';
import { makeTestPki, TestPki } from '../support/test-pki';

describe("the store client's TLS files", () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makeTestPki();
  });
  afterAll(() => pki.remove());

  it('trusts the CA file and shows the client certificate to a store that asks for one', async () => {
    // A fake store: a TLS server that takes only clients whose certificate the CA signed, and then hangs up.
    const handshakes: { authorized: boolean; client: string }[] = [];
    const fakeStore = tls.createServer(
      { cert: pki.read(pki.serverCert), key: pki.read(pki.serverKey), ca: pki.read(pki.ca), requestCert: true },
      (socket) => {
        handshakes.push({ authorized: socket.authorized, client: String(socket.getPeerCertificate().subject?.CN) });
        socket.destroy();
      },
    );
    await new Promise<void>((resolve) => fakeStore.listen(0, '127.0.0.1', resolve));
    const { port } = fakeStore.address() as AddressInfo;
    try {
      const store = await connectStore(`mongodb://127.0.0.1:${port}/?directConnection=true`, 'db', {
        tls: { caFile: pki.ca, certificateKeyFile: pki.clientCertKey },
      });
      await store.close();
    } finally {
      await new Promise((resolve) => fakeStore.close(resolve));
    }
    expect(handshakes.length).toBeGreaterThan(0);
    expect(handshakes[0]).toEqual({ authorized: true, client: 'df-client' });
  });

  it('says in plain words that a store whose certificate no trusted CA signed is out of reach, without the password', async () => {
    const fakeStore = tls.createServer(
      { cert: pki.read(pki.untrustedCert), key: pki.read(pki.untrustedKey) },
      (socket) => socket.destroy(),
    );
    await new Promise<void>((resolve) => fakeStore.listen(0, '127.0.0.1', resolve));
    const { port } = fakeStore.address() as AddressInfo;
    const said: string[] = [];
    let store: Store | undefined;
    try {
      store = await connectStore(`mongodb://df:pw-Hunter2@127.0.0.1:${port}/?directConnection=true`, 'db', {
        tls: { caFile: pki.ca },
        onAway: (cause) => said.push(cause),
      });
    } finally {
      await store?.close();
      await new Promise((resolve) => fakeStore.close(resolve));
    }
    expect(said).toEqual(['TLS: certificate signed by an unknown authority (give its CA in MONGO_TLS_CA_FILE)']);
  });

  it('hands out its store although nothing answers there, and every call fails at once as the store being away, with the cause', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const said: string[] = [];
    const store = await connectStore(`mongodb://df:pw-Hunter2@127.0.0.1:${port}/?directConnection=true`, 'db', {
      onAway: (cause) => said.push(cause),
    });
    try {
      const refused = `connection refused: connect ECONNREFUSED 127.0.0.1:${port}`;
      expect(said).toEqual([refused]);
      expect(store.awayCause()).toBe(refused);
      const failure = await store.db
        .collection('tasks')
        .insertOne({ _id: 'a' } as never)
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      const answer = store.unavailable(failure);
      expect(answer).toMatchObject({ code: 'STORE_ERROR', message: `the store does not answer: ${refused}` });
      expect(JSON.stringify([said, answer?.message])).not.toContain('pw-Hunter2');
    } finally {
      await store.close();
    }
  });

  it('says that a store which hangs up on a plaintext client may want TLS', async () => {
    // What a TLS store does with a client that starts no handshake: closes the connection unanswered.
    const tlsOnly = net.createServer((socket) => socket.once('data', () => socket.destroy()));
    await new Promise<void>((resolve) => tlsOnly.listen(0, '127.0.0.1', resolve));
    const { port } = tlsOnly.address() as AddressInfo;
    let store: Store | undefined;
    try {
      store = await connectStore(`mongodb://127.0.0.1:${port}/?directConnection=true`, 'db');
    } finally {
      await store?.close();
      await new Promise((resolve) => tlsOnly.close(resolve));
    }
    expect(store?.awayCause()).toBe(
      'the store closed the connection without an answer (a store that wants TLS does so to a plaintext client: tls=true in MONGO_URL, or MONGO_TLS_CA_FILE)',
    );
  });
});
