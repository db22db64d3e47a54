#!/usr/bin/env bash
# Checks the Helm chart deploy/helm/datafibers: `helm lint --strict`, then `helm template`, then the
# rendered manifests against the Kubernetes API schemas in strict mode (an unknown field fails),
# for the oldest Kubernetes the chart supports and the newest the schemas know. Helm is built from
# the Go module proxy and kubernetes-validate (which bundles the schemas) installed from PyPI, both
# into the per-user cache on first use: nothing is downloaded at check time after that.
#
#   scripts/check-helm.sh                 default values, then every deploy/helm/datafibers/ci/*-values.yaml
#   scripts/check-helm.sh HELM_ARGS...    one variant: e.g. --set worker.probePort=x, -f my-values.yaml
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
chart="$root/deploy/helm/datafibers"
kube_versions=(1.25.0 1.37.0)

helm="$(bash "$root/scripts/ensure-helm.sh")"
validate="$(bash "$root/scripts/ensure-kubernetes-validate.sh")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Helm keeps no state of its own here: no repositories, no registry login, no cache in $HOME.
export HELM_CONFIG_HOME="$work/helm-config" HELM_CACHE_HOME="$work/helm-cache" HELM_DATA_HOME="$work/helm-data"

# check_variant NAME HELM_ARGS...: lint, render, validate; prints what fails and returns 1.
check_variant() {
  local name="$1" failed=0
  shift
  echo "[check-helm] $name"
  if ! "$helm" lint --strict "$chart" "$@" >"$work/lint.log" 2>&1; then
    sed 's/^/  /' "$work/lint.log"
    echo "[check-helm] FAILED $name: helm lint"
    return 1
  fi
  if ! "$helm" template datafibers "$chart" --namespace datafibers "$@" >"$work/manifests.yaml" 2>"$work/template.log"; then
    sed 's/^/  /' "$work/template.log"
    echo "[check-helm] FAILED $name: helm template"
    return 1
  fi
  for version in "${kube_versions[@]}"; do
    if ! "$validate" --strict --quiet -k "$version" "$work/manifests.yaml" >"$work/validate.log" 2>&1; then
      sed "s|$work/manifests.yaml|the rendered manifests|; s/^/  /" "$work/validate.log"
      echo "[check-helm] FAILED $name: Kubernetes $version schemas"
      failed=1
    fi
  done
  ((failed == 0)) && echo "[check-helm] ok $name: $(grep -c '^kind:' "$work/manifests.yaml") manifests valid for Kubernetes ${kube_versions[*]}"
  return "$failed"
}

if (($# > 0)); then
  check_variant "values: $*" "$@"
  exit
fi
status=0
check_variant "default values" || status=1
for values in "$chart"/ci/*-values.yaml; do
  check_variant "values: ${values#"$root"/}" -f "$values" || status=1
done
exit "$status"
