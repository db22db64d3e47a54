// The web console is static files: the build copies them beside the compiled API that serves them.
const { cpSync, rmSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const target = path.join(root, 'dist', 'src', 'console');
rmSync(target, { recursive: true, force: true });
cpSync(path.join(root, 'src', 'console'), target, { recursive: true });
