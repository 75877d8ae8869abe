#!/usr/bin/env bash
# Validates everything under ops/: Prometheus configs (local and Render) and rules (+ unit tests and the measured
# alert timings), Alertmanager config and routing, the blackbox exporter modules, Grafana dashboards,
# docker-compose. Needs promtool, amtool, prometheus-blackbox-exporter, python3 with PyYAML.
#   ops/test.sh
set -euo pipefail
cd "$(dirname "$0")"

passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {
  local name=$1
  shift
  if "$@" >"$tmp/out" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
    sed 's/^/     /' "$tmp/out"
  fi
}

check "promtool check config" promtool check config prometheus/prometheus.yml
# Production config: a copy whose secret file and rule paths point into the repository.
sed -e "s#/etc/secrets/#$PWD/prometheus/secrets.example/#g" -e "s#- rules/#- $PWD/prometheus/rules/#g" \
  prometheus/prometheus.render.yml >"$tmp/prometheus.render.yml"
check "promtool check config (Render)" promtool check config "$tmp/prometheus.render.yml"
check "blackbox exporter modules" prometheus-blackbox-exporter --config.check --config.file=blackbox/blackbox.yml
check "promtool check rules" promtool check rules prometheus/rules/recording.yml prometheus/rules/alerts.yml
for t in prometheus/tests/*.yml; do
  check "promtool test rules $t" promtool test rules "$t"
done

# Alertmanager: validate a copy whose secret files point at the committed placeholders.
sed "s#/etc/alertmanager/secrets/#$PWD/alertmanager/secrets.example/#g" alertmanager/alertmanager.yml >"$tmp/alertmanager.yml"
check "amtool check-config" amtool check-config "$tmp/alertmanager.yml"
if grep -Eq '(routing_key|api_key|api_url|auth_password|service_key):' alertmanager/alertmanager.yml; then
  failed=$((failed + 1))
  echo "FAIL alertmanager.yml contains an inline secret (use the *_file form)"
else
  passed=$((passed + 1))
  echo "ok   alertmanager.yml has no inline secrets"
fi

while IFS='|' read -r expected labels; do
  [[ -z "${expected// /}" || "$expected" == \#* ]] && continue
  expected=${expected// /}
  read -r -a label_args <<<"$labels"
  check "amtool route ${labels# } -> $expected" \
    amtool config routes test --config.file="$tmp/alertmanager.yml" --verify.receivers="$expected" "${label_args[@]}"
done <alertmanager/tests.txt

check "alert timings of a total outage" python3 tests/alert_timings.py
check "check_ops.py" python3 tests/check_ops.py
if command -v shellcheck >/dev/null; then
  check "shellcheck test.sh" shellcheck test.sh
fi

echo "ops: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
