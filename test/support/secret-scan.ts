import fs from 'node:fs';
import path from 'node:path';

/** A place a secret was found: the file, the line, and which secret (by its name, never its value). */
export interface SecretFinding {
  file: string;
  line: number;
  secret: string;
}

/**
 * The forms a credential can leak in: the value itself, and the value inside an HTTP basic
 * Authorization header for each user name it may be paired with.
 */
export function leakForms(name: string, value: string, users: string[]): string[] {
  const forms = [value];
  for (const user of users) forms.push(Buffer.from(`${user}:${value}`, 'utf8').toString('base64'));
  return forms;
}

/** The base64 lines of a PEM private key: any one of them in a log is the key leaking. */
export function privateKeyLines(pem: string): string[] {
  return pem
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 40 && !l.startsWith('-----'));
}

function filesUnder(target: string): string[] {
  if (!fs.existsSync(target)) return [];
  const stat = fs.statSync(target);
  if (stat.isFile()) return [target];
  return fs.readdirSync(target).flatMap((entry) => filesUnder(path.join(target, entry)));
}

/** Every occurrence of any needle (by name) in the text files under the targets. */
export function scanForSecrets(targets: string[], needles: Map<string, string[]>): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const file of targets.flatMap(filesUnder)) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      for (const [secret, forms] of needles) {
        if (forms.some((form) => form.length >= 8 && text.includes(form))) findings.push({ file, line: i + 1, secret });
      }
    });
  }
  return findings;
}
