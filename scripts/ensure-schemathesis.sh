#!/usr/bin/env bash
# The API fuzz test (test/fuzz/api.fuzz.ts, in npm run test:faults) runs Schemathesis from PyPI,
# pinned. Prints the `st` executable's path.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/python-tool.sh"
python_tool schemathesis 4.32.5 st
