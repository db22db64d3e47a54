import net, { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { connectStore, plainStoreFailure } from '../../src/repository/mongo';
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
      await expect(
        connectStore(`mongodb://127.0.0.1:${port}/?directConnection=true`, 'db', {
          tls: { caFile: pki.ca, certificateKeyFile: pki.clientCertKey },
        }),
      ).rejects.toThrow();
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
    let failure: unknown;
    try {
      await connectStore(`mongodb://df:pw-Hunter2@127.0.0.1:${port}/?directConnection=true`, 'db', {
        tls: { caFile: pki.ca },
      });
    } catch (error) {
      failure = error;
    } finally {
      await new Promise((resolve) => fakeStore.close(resolve));
    }
    expect(plainStoreFailure(failure)).toBe(
      'TLS: certificate signed by an unknown authority (give its CA in MONGO_TLS_CA_FILE)',
    );
  });

  it('names the store, masked, and the cause when DF cannot use it at start', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const failure = connectStore(`mongodb://df:pw-Hunter2@127.0.0.1:${port}/?directConnection=true`, 'db');
    await expect(failure).rejects.toThrow(
      `the store mongodb://df:***@127.0.0.1:${port}/?directConnection=true cannot be used: connection refused: connect ECONNREFUSED 127.0.0.1:${port}`,
    );
  });

  it('says that a store which hangs up on a plaintext client may want TLS', async () => {
    // What a TLS store does with a client that starts no handshake: closes the connection unanswered.
    const tlsOnly = net.createServer((socket) => socket.once('data', () => socket.destroy()));
    await new Promise<void>((resolve) => tlsOnly.listen(0, '127.0.0.1', resolve));
    const { port } = tlsOnly.address() as AddressInfo;
    let failure: unknown;
    try {
      await connectStore(`mongodb://127.0.0.1:${port}/?directConnection=true`, 'db');
    } catch (error) {
      failure = error;
    } finally {
      await new Promise((resolve) => tlsOnly.close(resolve));
    }
    expect((failure as Error).message).toBe(
      `the store mongodb://127.0.0.1:${port}/?directConnection=true cannot be used: the store closed the connection without an answer (a store that wants TLS does so to a plaintext client: tls=true in MONGO_URL, or MONGO_TLS_CA_FILE)`,
    );
  });
});
