#!/usr/bin/env bash
# observability.promtool: reel's Prometheus configurations, rules and rule unit tests
# (promtool), the Kubernetes relabelling against a real Prometheus, and that the committed
# Grafana dashboards are what deploy/grafana/generate.mjs makes. Run from anywhere:
#   tests/observability/check_prometheus.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PROM="${ROOT}/deploy/prometheus"
cd "${ROOT}"

step() { printf '\n== %s\n' "$*"; }

step "promtool check config (local cluster)"
promtool check config "${PROM}/prometheus.yml"

step "promtool check config (Kubernetes)"
# Debian's prometheus is built without Kubernetes discovery, so its promtool rejects the
# kubernetes_sd_configs block. Then everything else is checked on a copy with that block
# swapped for an empty static list, and k8s_relabel_test.mjs runs the relabelling itself.
scratch="$(mktemp -d)"
trap 'rm -rf "${scratch}"' EXIT
if ! promtool check config "${PROM}/prometheus-k8s.yml" >"${scratch}/check.log" 2>&1; then
  if grep -q 'field kubernetes_sd_configs not found' "${scratch}/check.log"; then
    echo "this promtool has no Kubernetes discovery: checking the rest of the file"
    mkdir -p "${scratch}/k8s"
    cp -r "${PROM}/rules" "${scratch}/k8s/rules"
    sed -e 's/^    kubernetes_sd_configs:$/    static_configs:/' -e 's/^      - role: pod$/      - targets: []/' \
      "${PROM}/prometheus-k8s.yml" >"${scratch}/k8s/prometheus-k8s.yml"
    grep -q '^    static_configs:$' "${scratch}/k8s/prometheus-k8s.yml" ||
      { echo "could not find the kubernetes_sd_configs block to swap" >&2; exit 1; }
    promtool check config "${scratch}/k8s/prometheus-k8s.yml"
  else
    cat "${scratch}/check.log" >&2
    exit 1
  fi
else
  cat "${scratch}/check.log"
fi

step "promtool check rules"
promtool check rules "${PROM}"/rules/*.yml

step "promtool test rules"
promtool test rules "${PROM}"/tests/*.yml

step "Kubernetes relabelling on a real Prometheus"
node "${ROOT}/tests/observability/k8s_relabel_test.mjs"

step "Grafana dashboards up to date"
node "${ROOT}/deploy/grafana/generate.mjs" --check
