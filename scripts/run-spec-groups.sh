#!/usr/bin/env bash
# Runs a jest config's specs in its two groups (test/support/spec-groups.js): the shared ones two
# at a time, then the exclusive ones alone. Usage: run-spec-groups.sh <jest config> [jest args].
set -euo pipefail
config="$1"
shift
DF_TEST_GROUP=shared npx jest --config "$config" --maxWorkers=2 --passWithNoTests "$@"
DF_TEST_GROUP=exclusive npx jest --config "$config" --runInBand --passWithNoTests "$@"
