import { AddressInfo } from 'node:net';
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
});
