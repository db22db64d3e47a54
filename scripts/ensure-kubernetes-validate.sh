#!/usr/bin/env bash
# kubernetes-validate from PyPI, pinned: it bundles the Kubernetes API schemas, so rendered
# manifests are checked without any download at run time. Prints the executable's path.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/python-tool.sh"
python_tool kubernetes-validate 1.37.0 kubernetes-validate
