#!/usr/bin/env bash
# Prints a Prometheus config that scrapes one server at TARGET (host:port) every second and evaluates the
# project's alert rules every second, for the alerting end-to-end test and the incident lab: they show changes
# within seconds, while the rules' "for:" durations stay the production ones.
# Usage: ops/prometheus-fast-config.sh 127.0.0.1:8080 > prometheus.yml
set -euo pipefail
target="${1:?usage: $0 host:port}"
rules_dir="$(cd "$(dirname "$0")/prometheus/rules" && pwd)"

cat <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
YAML
for f in "$rules_dir"/*.yml; do printf '  - %s\n' "$f"; done
cat <<YAML
scrape_configs:
  - job_name: rag-server
    static_configs:
      - targets: ["$target"]
YAML
