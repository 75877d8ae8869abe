#!/usr/bin/env bash
# A real Prometheus (Debian package) scrapes the real server on loopback with the repository's rules. Healthy
# traffic first, then an injected error burst (admin-only fault endpoint). Asserts through the Prometheus HTTP API
# that the recording rules produce values and that the error-rate alerts become pending or firing.
#   ops/integration/prometheus-e2e.sh   (needs target/debug/server and target/debug/bench, and public/rag)
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
server="$target/debug/server"
bench="$target/debug/bench"
corpus=${CORPUS:-public/rag}
for f in "$server" "$bench" "$corpus/corpus.jsonl"; do
  [[ -e "$f" ]] || { echo "missing $f (build the workspace and the site first)" >&2; exit 1; }
done
# shellcheck source=ops/lib/harness.sh
source ops/lib/harness.sh
sport=$(free_port); pport=$(free_port)
admin_key="lab-$(date +%s)"
digest=$(printf %s "$admin_key" | sha256sum | cut -d' ' -f1)

PORT=$sport DATA_DIR="$tmp/data" CORPUS_SOURCE="$corpus" ENABLE_FAULT_INJECTION=true ADMIN_KEY_SHA256="$digest" \
  RATE_LIMIT_PER_IP_PER_MINUTE=1000000 LOG_LEVEL=warn "$server" serve >"$tmp/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$sport/ready" >/dev/null && break; sleep 0.1; done

ops/prometheus-fast-config.sh "127.0.0.1:$sport" >"$tmp/prometheus.yml"
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" \
  --web.listen-address="127.0.0.1:$pport" >"$tmp/prometheus.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$pport/-/ready" >/dev/null && break; sleep 0.1; done
api="http://127.0.0.1:$pport/api/v1"

echo "healthy traffic (8 s)"
"$bench" --url "http://127.0.0.1:$sport" --endpoint chat --concurrency 4 --seconds 8 >/dev/null
echo "error burst: 50% of chat requests fail (12 s)"
curl -fsS -X POST "http://127.0.0.1:$sport/api/admin/faults" -H "x-admin-key: $admin_key" \
  -H 'content-type: application/json' -d '{"error_rate": 0.5}' >/dev/null
"$bench" --url "http://127.0.0.1:$sport" --endpoint chat --concurrency 4 --seconds 12 >/dev/null || true
sleep 4

python3 - "$api" <<'PY'
import json, sys, urllib.request, urllib.parse
api = sys.argv[1]
def get(path):
    with urllib.request.urlopen(api + path, timeout=10) as r:
        return json.load(r)["data"]
groups = get("/rules")["groups"]
recording = [r["name"] for g in groups for r in g["rules"] if r["type"] == "recording"]
alerts = [r for g in groups for r in g["rules"] if r["type"] == "alerting"]
passed = failed = 0
def check(name, ok, detail=""):
    global passed, failed
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f" {detail}"))
    passed, failed = passed + ok, failed + (not ok)
check("rules loaded", len(recording) > 0 and len(alerts) > 0, f"{len(recording)} recording, {len(alerts)} alerting")
with_values = []
for name in recording:
    res = get("/query?query=" + urllib.parse.quote(name))["result"]
    if res:
        with_values.append(name)
check("recording rules produce values", len(with_values) >= max(3, len(recording) // 3),
      f"{len(with_values)}/{len(recording)} have values: {with_values}")
err5m = [n for n in with_values if "error" in n and "5m" in n]
check("5m error-ratio recording rule is above 1%",
      any(float(r["value"][1]) > 0.01 for n in err5m for r in get("/query?query=" + urllib.parse.quote(n))["result"]),
      str(err5m))
active = [a for a in get("/alerts")["alerts"] if a["state"] in ("pending", "firing")]
names = sorted({a["labels"]["alertname"] for a in active})
check("an error-rate alert is pending or firing",
      any("rror" in n or "Burn" in n or "Budget" in n for n in names), f"active: {names}")
check("no latency alert on fast extractive answers", not any("Latency" in n and "Retrieval" not in n for n in names), str(names))
print(f"prometheus-e2e: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
