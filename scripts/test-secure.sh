#!/usr/bin/env bash
# `npm run test:secure`: the core flows on the secure profile, then a scan of every log of the run
# (the profile's services', DF's, jest's) for every credential and private key
# the profile generated. Extra arguments go to jest (e.g. a spec path).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build-for-tests.sh
bash scripts/stack/stack.sh up --profile secure
home="$(bash scripts/stack/stack.sh env --profile secure | sed -n 's/^DF_STACK_HOME=//p')"
runlogs="$home/logs/test-run"
mkdir -p "$runlogs"

# The DF processes specs start log at info into files there (DF_CHILD_LOG_DIR); the DF specs run
# in jest's own process logs at warn with jest's report, which goes to the terminal and a file.
# The specs run in their two groups (scripts/run-spec-groups.sh), as npm test runs its own.
set +e
DF_CHILD_LOG_DIR="$runlogs" bash scripts/run-spec-groups.sh jest.secure.config.js "$@" 2>&1 | tee "$runlogs/jest.log"
tests=${PIPESTATUS[0]}
set -e
node dist/test/secure/scan-logs.js "$home"
exit "$tests"
