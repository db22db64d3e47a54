#!/usr/bin/env bash
# The build every test and benchmark run starts from: the TypeScript output, the console's files
# beside it and the workflow bundle the workers load.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

npx tsc -p tsconfig.json
node scripts/copy-console.js
node scripts/bundle-workflows.js
