#!/usr/bin/env bash
# The monitoring stack of ops/docker-compose.yml, run with the real binaries instead of containers (no engine runs
# on CI machines): the server, Prometheus with the repository's rules, Alertmanager with the repository's routing,
# the Pushgateway, the blackbox exporter, the backup script, and a recording HTTP sink standing in for PagerDuty,
# Slack and the dead-man's switch. Each config is the committed one with only the addresses changed (and `for:`
# set to 0 s so the run takes a minute; the promtool tests cover the real durations). Asserts:
#   1. the Watchdog heartbeat reaches the dead-man's switch, with the GenieKey header from the secret file;
#   2. a backup run reports success to the Pushgateway, a failing run raises RagBackupFailed -> Slack (ticket);
#   3. the probe sees the running server (probe_success 1) and, once the server is killed, RagProbeFailing and
#      RagServiceDown page through the PagerDuty receiver; prints how long that took.
#   ops/integration/monitoring-stack.sh   (needs target/debug/server, public/rag, prometheus, alertmanager,
#                                         prometheus-pushgateway, prometheus-blackbox-exporter)
set -euo pipefail
cd "$(dirname "$0")/../.."
target=${CARGO_TARGET_DIR:-target}
server="$target/debug/server"
corpus=${CORPUS:-public/rag}
for f in "$server" "$corpus/corpus.jsonl"; do
  [[ -e "$f" ]] || { echo "missing $f (build the server and the site first)" >&2; exit 1; }
done
server=$(realpath "$server")
# shellcheck source=ops/lib/harness.sh
source ops/lib/harness.sh
S=$(free_port); P=$(free_port); A=$(free_port); G=$(free_port); B=$(free_port); W=$(free_port)

# The sink: records every POST as one JSON line (path, authorization header, body).
python3 - "$W" "$tmp/sink.jsonl" <<'PY' &
import http.server, json, sys
port, out = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
        with open(out, "a") as f:
            f.write(json.dumps({"path": self.path, "auth": self.headers.get("authorization"), "body": body}) + "\n")
        self.send_response(200); self.end_headers(); self.wfile.write(b"{}")
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY
pids+=($!)
touch "$tmp/sink.jsonl"

PORT=$S DATA_DIR="$tmp/data" CORPUS_SOURCE="$corpus" LOG_LEVEL=warn "$server" serve >"$tmp/server.log" 2>&1 &
server_pid=$!
pids+=("$server_pid")
prometheus-pushgateway --web.listen-address="127.0.0.1:$G" --persistence.file="$tmp/pushgateway.db" >"$tmp/pg.log" 2>&1 &
pids+=($!)
prometheus-blackbox-exporter --config.file=ops/blackbox/blackbox.yml --web.listen-address="127.0.0.1:$B" \
  >"$tmp/bb.log" 2>&1 &
pids+=($!)

# Alertmanager: the committed config; secrets from copies of the placeholders, the Slack webhook and PagerDuty
# endpoint pointed at the sink, the heartbeat URL too; shorter group timers.
mkdir -p "$tmp/secrets"
cp ops/alertmanager/secrets.example/* "$tmp/secrets/"
echo "http://127.0.0.1:$W/slack" >"$tmp/secrets/slack_webhook_url"
python3 - "$tmp" "$W" <<'PY'
import sys, yaml
tmp, w = sys.argv[1], sys.argv[2]
text = open("ops/alertmanager/alertmanager.yml").read().replace("/etc/alertmanager/secrets/", tmp + "/secrets/")
am = yaml.safe_load(text)
am["route"].update(group_wait="1s", group_interval="2s")
for r in am["route"]["routes"]:
    r["group_wait"] = "1s"
    r["group_interval"] = "2s"
for rc in am["receivers"]:
    for p in rc.get("pagerduty_configs", []):
        p["url"] = f"http://127.0.0.1:{w}/pagerduty"
    for h in rc.get("webhook_configs", []):
        h["url"] = f"http://127.0.0.1:{w}/heartbeat"
yaml.safe_dump(am, open(tmp + "/alertmanager.yml", "w"))
PY
prometheus-alertmanager --config.file="$tmp/alertmanager.yml" --storage.path="$tmp/am" --web.listen-address="127.0.0.1:$A" \
  --cluster.listen-address= >"$tmp/am.log" 2>&1 &
pids+=($!)

# Prometheus: the committed local config and rules, addresses moved to loopback, 1 s scrapes, `for:` 0 s.
mkdir -p "$tmp/rules"
for f in ops/prometheus/rules/*.yml; do sed -E 's/^( +)for: .*/\1for: 0s/' "$f" >"$tmp/rules/$(basename "$f")"; done
sed -e "s#server:8080#127.0.0.1:$S#g" -e "s#pushgateway:9091#127.0.0.1:$G#g" -e "s#blackbox:9115#127.0.0.1:$B#g" \
  -e "s#alertmanager:9093#127.0.0.1:$A#g" -e "s#localhost:9090#127.0.0.1:$P#g" -e "s#- rules/#- $tmp/rules/#g" \
  -e "s#scrape_interval: 15s#scrape_interval: 1s#" -e "s#scrape_timeout: 10s#scrape_timeout: 1s#" -e "s#evaluation_interval: 15s#evaluation_interval: 1s#" \
  ops/prometheus/prometheus.yml >"$tmp/prometheus.yml"
prometheus --config.file="$tmp/prometheus.yml" --storage.tsdb.path="$tmp/tsdb" --web.listen-address="127.0.0.1:$P" \
  >"$tmp/prometheus.log" 2>&1 &
pids+=($!)
for u in "http://127.0.0.1:$S/ready" "http://127.0.0.1:$G/-/ready" "http://127.0.0.1:$B/-/healthy" \
  "http://127.0.0.1:$A/-/ready" "http://127.0.0.1:$P/-/ready"; do wait_url "$u"; done

# Backups: one good run (rclone replaced by `true`), then one whose upload fails (`false`).
run_backup() {
  DATABASE_URL="sqlite://$tmp/data/sessions.db" BACKUP_REMOTE="$tmp/remote" SERVER_BIN="$server" RCLONE=$1 \
    PUSHGATEWAY_URL="http://127.0.0.1:$G" ops/backup/render-backup.sh >>"$tmp/backup.log" 2>&1
}
run_backup true || { echo "the good backup run failed:" >&2; cat "$tmp/backup.log" >&2; exit 1; }
sleep 3
run_backup false && { echo "the failing backup run exited 0" >&2; exit 1; }
sleep 3
killed_at=$(date +%s.%N)
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true

python3 - "$P" "$tmp/sink.jsonl" "$killed_at" <<'PY'
import json, sys, time, urllib.parse, urllib.request
port, sink, killed_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
passed = failed = 0
def check(name, ok, detail=""):
    global passed, failed
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else f"  {detail}"))
    passed, failed = passed + ok, failed + (not ok)
def query(q):
    url = f"http://127.0.0.1:{port}/api/v1/query?query=" + urllib.parse.quote(q)
    return json.load(urllib.request.urlopen(url, timeout=5))["data"]["result"]
def events():
    return [json.loads(l) for l in open(sink) if l.strip()]
def wait_for(pred, timeout=60):
    end = time.time() + timeout
    while time.time() < end:
        found = [e for e in events() if pred(e)]
        if found:
            return found[0], time.time()
        time.sleep(0.25)
    return None, time.time()

beat, _ = wait_for(lambda e: e["path"] == "/heartbeat" and "Watchdog" in e["body"])
check("Watchdog heartbeat reaches the dead-man's switch", beat is not None)
check("heartbeat authenticates with the GenieKey from the secret file",
      beat is not None and beat["auth"] == "GenieKey placeholder-opsgenie-heartbeat-api-key", str(beat and beat["auth"]))
ok = query('rag_backup_last_success_timestamp_seconds{job="rag-backup"}')
check("the successful backup run reported its time", bool(ok) and float(ok[0]["value"][1]) > 1e9, str(ok))
slack, _ = wait_for(lambda e: e["path"] == "/slack" and "RagBackupFailed" in e["body"])
check("the failed backup run opens a ticket in Slack", slack is not None)
page, at = wait_for(lambda e: e["path"] == "/pagerduty" and "RagProbeFailing" in e["body"])
check("killing the server pages: RagProbeFailing through the PagerDuty receiver", page is not None)
if page:
    print(f"monitoring-stack: RagProbeFailing reached PagerDuty {at - killed_at:.1f} s after the server died "
          "(for: 0 s here; production adds for: 2m and 15 s scrapes)")
down, _ = wait_for(lambda e: e["path"] == "/pagerduty" and "RagServiceDown" in e["body"], timeout=20)
check("RagServiceDown pages too", down is not None)
check("no heartbeat was sent to PagerDuty", not any(e["path"] == "/pagerduty" and "Watchdog" in e["body"] for e in events()))
print(f"monitoring-stack: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
