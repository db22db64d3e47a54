import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** PEM files made by the openssl CLI for one test run, in a temp dir removed by remove(). */
export interface TestPki {
  dir: string;
  /** The CA that signs the server and client certificates. */
  ca: string;
  /** Server certificate and key for 127.0.0.1 and localhost, signed by the CA. */
  serverCert: string;
  serverKey: string;
  /** A client certificate and key (CN df-client), signed by the CA, and both in one file. */
  clientCert: string;
  clientKey: string;
  clientCertKey: string;
  /** A server certificate for the same names that no CA signed. */
  untrustedCert: string;
  untrustedKey: string;
  /** A server certificate signed by the CA whose validity ended before it began. */
  expiredCert: string;
  expiredKey: string;
  /** A file that is not PEM. */
  notPem: string;
  read(file: string): Buffer;
  remove(): void;
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function makeTestPki(): TestPki {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'df-pki-'));
  const at = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  fs.writeFileSync(at('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  fs.writeFileSync(at('client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl('req', '-x509', ...EC, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=df-test-ca');
  const signed = (name: string, cn: string, ext: string, days: string) => {
    openssl('req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    openssl(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-set_serial',
      String(Date.now() + name.length),
      '-days',
      days,
      '-extfile',
      ext,
      '-out',
      `${name}.pem`,
    );
  };
  signed('server', 'localhost', 'server.ext', '2');
  signed('client', 'df-client', 'client.ext', '2');
  signed('expired', 'localhost', 'server.ext', '-1');
  openssl(
    'req',
    '-x509',
    ...EC,
    '-keyout',
    'untrusted.key',
    '-out',
    'untrusted.pem',
    '-days',
    '2',
    '-subj',
    '/CN=localhost',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  );
  fs.writeFileSync(
    at('client-cert-key.pem'),
    Buffer.concat([fs.readFileSync(at('client.pem')), fs.readFileSync(at('client.key'))]),
  );
  fs.writeFileSync(at('not-pem.txt'), 'not a certificate\n');
  return {
    dir,
    ca: at('ca.pem'),
    serverCert: at('server.pem'),
    serverKey: at('server.key'),
    clientCert: at('client.pem'),
    clientKey: at('client.key'),
    clientCertKey: at('client-cert-key.pem'),
    untrustedCert: at('untrusted.pem'),
    untrustedKey: at('untrusted.key'),
    expiredCert: at('expired.pem'),
    expiredKey: at('expired.key'),
    notPem: at('not-pem.txt'),
    read: (file) => fs.readFileSync(file),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
