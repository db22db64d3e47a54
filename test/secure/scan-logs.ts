/**
 * After a secure run: every log of the secure profile's services and of the run itself is read
 * for every credential the profile generated and every private key it made. Any hit fails the run,
 * naming the file, the line and the secret (never its value).
 *
 *   node dist/test/secure/scan-logs.js <stack home> <more log files or folders...>
 */
import fs from 'node:fs';
import path from 'node:path';
import { leakForms, privateKeyLines, scanForSecrets } from '../support/secret-scan';

const [home, ...extra] = process.argv.slice(2);
if (!home) {
  console.error('usage: scan-logs <secure stack home> [log files or folders...]');
  process.exit(2);
}
const USERS = ['df', 'admin', 'temporal'];
const needles = new Map<string, string[]>();
const secrets = path.join(home, 'secrets');
for (const name of fs.readdirSync(secrets)) {
  const value = fs.readFileSync(path.join(secrets, name), 'utf8').trim();
  if (value) needles.set(name, leakForms(name, value, USERS));
}
const pki = path.join(home, 'pki');
for (const name of fs.readdirSync(pki).filter((n) => n.endsWith('.key'))) {
  needles.set(name, privateKeyLines(fs.readFileSync(path.join(pki, name), 'utf8')));
}
const targets = [path.join(home, 'logs'), ...extra];
const findings = scanForSecrets(targets, needles);
for (const f of findings) console.error(`secret ${f.secret} found in ${f.file}:${f.line}`);
console.log(`log scan: ${needles.size} secrets and keys looked for in ${targets.join(', ')}: ${findings.length} found`);
process.exit(findings.length > 0 ? 1 : 0);
