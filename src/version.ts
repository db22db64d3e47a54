import fs from 'node:fs';
import path from 'node:path';

/** DF's version from package.json, found from here whether running from src/ (ts) or dist/src/ (built). */
function readVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return '0.0.0';
}

export const DF_VERSION = readVersion();
