import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leakForms, privateKeyLines, scanForSecrets } from '../support/secret-scan';

describe('the log scan of a secure run', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'df-scan-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds a password in plain text and inside a basic Authorization header, naming the secret, not its value', () => {
    const password = 'c0ffee1234567890deadbeef';
    const header = Buffer.from(`df:${password}`).toString('base64');
    fs.mkdirSync(path.join(dir, 'kafka'));
    fs.writeFileSync(path.join(dir, 'kafka', 'server.log'), `ok\nsasl password=${password}\n`);
    fs.writeFileSync(path.join(dir, 'connect.log'), `GET / Authorization: Basic ${header}\n`);
    const findings = scanForSecrets([dir], new Map([['kafka-df', leakForms('kafka-df', password, ['df'])]]));
    expect(findings).toEqual(
      expect.arrayContaining([
        { file: path.join(dir, 'kafka', 'server.log'), line: 2, secret: 'kafka-df' },
        { file: path.join(dir, 'connect.log'), line: 1, secret: 'kafka-df' },
      ]),
    );
    expect(JSON.stringify(findings)).not.toContain(password);
  });

  it('finds a line of a private key, and nothing in logs that hold none', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\nBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB\n-----END PRIVATE KEY-----\n`;
    fs.writeFileSync(path.join(dir, 'clean.log'), 'started\nready\n');
    const needles = new Map([['client.key', privateKeyLines(pem)]]);
    expect(scanForSecrets([dir], needles)).toEqual([]);
    fs.writeFileSync(path.join(dir, 'leaky.log'), `key: ${'A'.repeat(64)}\n`);
    expect(scanForSecrets([dir], needles)).toEqual([
      { file: path.join(dir, 'leaky.log'), line: 1, secret: 'client.key' },
    ]);
  });
});
