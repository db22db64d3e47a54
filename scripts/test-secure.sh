#!/usr/bin/env bash
# `npm run test:secure`: the core flows on the secure profile, then a scan of every log of the run
# (the profile's services, DF's own output at info, jest's) for every credential and private key
# the profile generated. Extra arguments go to jest (e.g. a spec path).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

npx tsc -p tsconfig.json
node scripts/copy-console.js
node scripts/bundle-workflows.js
bash scripts/stack/stack.sh up --profile secure
home="$(bash scripts/stack/stack.sh env --profile secure | sed -n 's/^DF_STACK_HOME=//p')"
runlogs="$home/logs/test-run"
mkdir -p "$runlogs"

# DF's log lines (stdout, at info so the scan sees what production would log) go to a file; jest's
# report (stderr) to the terminal and a file.
set +e
DF_LOG_LEVEL="${DF_LOG_LEVEL:-info}" npx jest --runInBand --config jest.secure.config.js "$@" \
  2>&1 >"$runlogs/df.log" | tee "$runlogs/jest.log"
tests=${PIPESTATUS[0]}
set -e
echo "DF's log of this run: $runlogs/df.log"
node dist/test/secure/scan-logs.js "$home"
exit "$tests"
