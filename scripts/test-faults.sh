#!/usr/bin/env bash
# `npm run test:faults`: the fault scenarios (test/faults) and the API fuzzing (test/fuzz) on the
# default profile of the stack. With `--profile cluster`: the fault scenarios of the cluster profile
# (test/cluster), against its engines and its own DF processes, restarted first so they run this
# build. Other arguments go to jest (e.g. a spec path).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# The scenarios run on the profile named here, whatever DF_STACK_PROFILE the shell has.
DF_STACK_PROFILE=default
source scripts/stack/profile-arg.sh
args=(${PASSED_ARGS[@]+"${PASSED_ARGS[@]}"})

bash scripts/build-for-tests.sh
case "$DF_STACK_PROFILE" in
  default)
    bash scripts/stack/stack.sh up
    exec bash scripts/run-spec-groups.sh jest.faults.config.js ${args[@]+"${args[@]}"} ;;
  cluster)
    bash scripts/stack/stack.sh down --profile cluster df
    bash scripts/stack/stack.sh up --profile cluster
    exec npx jest --runInBand --config jest.cluster.config.js ${args[@]+"${args[@]}"} ;;
  *) echo "test:faults: no fault scenarios for profile $DF_STACK_PROFILE (default or cluster)" >&2; exit 2 ;;
esac
