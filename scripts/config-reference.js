// Writes docs/configuration-reference.md from the settings table (`npm run docs:config` builds first).
const fs = require('node:fs');
const path = require('node:path');
const { configurationReference, CONFIG_REFERENCE_PATH } = require('../dist/src/config-reference');

const target = path.resolve(__dirname, '..', CONFIG_REFERENCE_PATH);
fs.writeFileSync(target, configurationReference());
process.stdout.write(`wrote ${CONFIG_REFERENCE_PATH}\n`);
