#!/usr/bin/env bash
# The loop before every commit, without the stack: unit and replay specs beside the linters, one
# core each (jest runs these in one worker on two cores anyway), so it costs the longer of the two.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

lint_log=$(mktemp)
trap 'rm -f "$lint_log"' EXIT
npm run --silent lint >"$lint_log" 2>&1 &
lint_pid=$!
DF_TEST_UNIT_ONLY=1 npx jest test/unit test/replay
tests=$?
wait "$lint_pid"
linted=$?
cat "$lint_log"
[ "$linted" -eq 0 ] && echo "lint: clean" || echo "lint: FAILED"
exit $((tests != 0 || linted != 0))
