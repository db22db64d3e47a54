#!/usr/bin/env bash
# `npm test`: build, start the local stack, then every spec. The specs that stop, restart or flood
# a shared service run alone at the end, the rest two at a time (test/support/spec-groups.js).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/build-for-tests.sh
bash scripts/ensure-chromium.sh
bash scripts/stack/stack.sh up
exec bash scripts/run-spec-groups.sh jest.config.js "$@"
