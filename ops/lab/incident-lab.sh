#!/usr/bin/env bash
# Incident lab: rehearse the RAG service's failure modes on this machine, on loopback only.
#
# Starts the real server (embedded qdrant-edge index + SQLite in a throw-away DATA_DIR, fault injection on) and,
# when `prometheus` is on PATH, a Prometheus that scrapes it every second with the repository's recording and
# alert rules (the same set-up as ops/integration/prometheus-e2e.sh). Each scenario then breaks one thing and
# prints what to watch: metrics, alerts, runbook section. See docs/operator-guide.md, "Incident lab".
#
#   ops/lab/incident-lab.sh start                 start the server (+ Prometheus)
#   ops/lab/incident-lab.sh status                processes, /ready, pending and firing alerts
#   ops/lab/incident-lab.sh load [MINUTES]        steady background chat traffic (default 15, at most 30 min)
#   ops/lab/incident-lab.sh llm-down              restart with LLM_BASE_URL on a closed port (127.0.0.1:9)
#   ops/lab/incident-lab.sh llm-slow [MS]         injected latency on every chat request (default 9000 ms)
#   ops/lab/incident-lab.sh vector-store-down     injected vector store outage
#   ops/lab/incident-lab.sh db-down               restart with DATABASE_URL on a closed PostgreSQL port
#   ops/lab/incident-lab.sh error-burst [RATE]    share of chat requests answered 503 (default 0.3)
#   ops/lab/incident-lab.sh traffic-spike [SECONDS] [WORKERS]   concurrent POST /api/chat (at most 60 s)
#   ops/lab/incident-lab.sh clear                 remove every fault (restarts the server in its normal mode)
#   ops/lab/incident-lab.sh stop                  stop everything the lab started and delete its files
#
# Environment: SERVER_BIN (default $CARGO_TARGET_DIR/debug/server; read by `start`, kept until `stop`), CORPUS (default
# public/rag), LAB_PORT / LAB_PROM_PORT (default: free ports), LAB_ADMIN_KEY (default lab-admin-key),
# LAB_RATE_LIMIT (per-IP requests per minute, default 1000000; set 30 to see rate limiting), LAB_LOG_LEVEL
# (default warn), LAB_READY_TIMEOUT (seconds, default 60), LAB_NO_PROMETHEUS=1 (skip Prometheus), LAB_STATE_DIR
# (default /tmp/incident-lab). The server never reads a plain admin key: it gets ADMIN_KEY_SHA256 of LAB_ADMIN_KEY.
# Never point this at production: the server it starts gets a clean environment with no remote URLs or keys.
set -euo pipefail

self=$(cd "$(dirname "$0")" && pwd)/$(basename "$0")
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

state=${LAB_STATE_DIR:-/tmp/incident-lab}
target=${CARGO_TARGET_DIR:-target}
server_bin=${SERVER_BIN:-$target/debug/server}
[[ "$server_bin" == /* ]] || server_bin="$root/$server_bin"
corpus=${CORPUS:-public/rag}
site_dir=public
admin_key=${LAB_ADMIN_KEY:-lab-admin-key}
ready_timeout=${LAB_READY_TIMEOUT:-60}
questions_en=(
  "How do I get the position of a robot hand from its joint angles?"
  "What is a homogeneous transform and why is it 4 by 4?"
  "Which four numbers does the DH convention use for each link?"
)
question_ur="جوڑوں کے زاویوں سے روبوٹ کے ہاتھ کی پوزیشن کیسے معلوم کریں؟"

# ---------------------------------------------------------------------------------------------------- helpers
say() { printf '\033[1m[lab]\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m[lab]\033[0m %s\n' "$*" >&2; }
die() {
  printf '\033[1;31m[lab]\033[0m %s\n' "$*" >&2
  exit 1
}

get() { cat "$state/$1" 2>/dev/null || true; }
put() { printf '%s\n' "$2" >"$state/$1"; }

# The command line of a process, or nothing.
cmdline_of() {
  if [[ -r "/proc/$1/cmdline" ]]; then
    tr '\0' ' ' <"/proc/$1/cmdline"
  else
    ps -ww -o args= -p "$1" 2>/dev/null || true
  fi
}

# True when the pid in state file $1 is alive and its command line contains $2 (so a recycled pid is never ours).
owned() {
  local pid
  pid=$(get "$1")
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ "$(cmdline_of "$pid")" == *"$2"* ]]
}

# Stops the process recorded in state file $1 (only if it is ours), TERM first, KILL after 10 s.
stop_recorded() {
  local file=$1 marker=$2 pid
  if owned "$file" "$marker"; then
    pid=$(get "$file")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      owned "$file" "$marker" || break
      sleep 0.1
    done
    if owned "$file" "$marker"; then
      warn "pid $pid did not stop after 10 s; sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$state/$file"
}

# True when $1 is a whole number from $2 to $3 (leading zeros allowed).
int_in() { [[ "$1" =~ ^[0-9]{1,7}$ ]] && ((10#$1 >= $2 && 10#$1 <= $3)); }

free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
  else
    printf '%s\n' "$1"
  fi
}

sha256_hex() {
  if command -v sha256sum >/dev/null; then
    printf %s "$1" | sha256sum | cut -d' ' -f1
  else
    printf %s "$1" | shasum -a 256 | cut -d' ' -f1
  fi
}

# A running lab keeps the binary it was started with: restarts and `stop` must recognise its process even when
# SERVER_BIN changed in between, or the old server would be left running beside a new one.
requested_bin=$server_bin
if [[ -n "$(get server_bin)" ]]; then
  server_bin=$(get server_bin)
  if [[ -n "${SERVER_BIN:-}" && "$requested_bin" != "$server_bin" ]]; then
    warn "the lab runs $server_bin; SERVER_BIN takes effect at the next '$0 start' after '$0 stop'"
  fi
fi

server_marker() { printf '%s serve' "$server_bin"; }
prom_marker() { printf -- '--config.file=%s/prometheus.yml' "$(get workdir)"; }
load_marker() { printf '%s _load' "$self"; }

server_alive() { owned server.pid "$(server_marker)"; }
prom_alive() { owned prometheus.pid "$(prom_marker)"; }
api() { printf 'http://127.0.0.1:%s' "$(get port)"; }
prom_url() { printf 'http://127.0.0.1:%s' "$(get prom_port)"; }

require_lab() {
  [[ -n "$(get workdir)" && -d "$(get workdir)" ]] || die "the lab is not running: run '$0 start' first"
}

# ----------------------------------------------------------------------------------------------- the server
# Starts the server in mode $1: normal | llm-down | db-down. The environment is built from scratch (env -i) so
# nothing from the caller's shell (a production DATABASE_URL, QDRANT_URL, LLM key...) can leak into the lab.
start_server() {
  local mode=$1 work port digest
  work=$(get workdir)
  port=$(get port)
  digest=$(sha256_hex "$admin_key")
  local -a envs=(
    "PATH=$PATH" "HOME=${HOME:-/tmp}"
    "HOST=127.0.0.1" "PORT=$port" "APP_ENV=development"
    "DATA_DIR=$work/data" "CORPUS_SOURCE=$corpus"
    "ENABLE_FAULT_INJECTION=true" "ADMIN_KEY_SHA256=$digest"
    "RATE_LIMIT_PER_IP_PER_MINUTE=$(get rate_limit)"
    "LOG_LEVEL=${LAB_LOG_LEVEL:-warn}" "LOG_FORMAT=json" "SHUTDOWN_GRACE_SECS=2"
  )
  case "$mode" in
    normal) ;;
    llm-down)
      envs+=("LLM_BASE_URL=http://127.0.0.1:9/v1" "LLM_MODEL=lab-model" "LLM_TIMEOUT_SECS=5")
      ;;
    db-down)
      envs+=("DATABASE_URL=postgres://lab:lab@127.0.0.1:$(get closed_db_port)/lab")
      ;;
    *) die "unknown server mode $mode" ;;
  esac
  local -a args=(serve)
  if [[ -f "$site_dir/index.html" ]]; then
    args+=(--site "$site_dir")
  fi
  printf '\n==== %s: server start, mode %s ====\n' "$(date -u +%FT%TZ)" "$mode" >>"$work/server.log"
  nohup env -i "${envs[@]}" "$server_bin" "${args[@]}" >>"$work/server.log" 2>&1 </dev/null &
  put server.pid "$!"
  put mode "$mode"
}

# 0 = ready, 1 = the process exited, 2 = alive but not ready in time.
wait_ready() {
  local url i
  url="$(api)/ready"
  for ((i = 0; i < ready_timeout * 5; i++)); do
    server_alive || return 1
    if curl -fs -o /dev/null --max-time 2 "$url"; then
      return 0
    fi
    sleep 0.2
  done
  return 2
}

restart_server() {
  local mode=$1 rc=0
  stop_recorded server.pid "$(server_marker)"
  say "starting the server (mode: $mode) on $(api)"
  start_server "$mode"
  wait_ready || rc=$?
  case $rc in
    0) say "server ready: $(api)/ready" ;;
    1)
      warn "the server exited during start-up; last lines of $(get workdir)/server.log:"
      tail -n 5 "$(get workdir)/server.log" >&2 || true
      ;;
    *) warn "the server runs but /ready is not 200 after ${ready_timeout} s: curl -s $(api)/ready" ;;
  esac
  return "$rc"
}

# Scenarios that use the fault endpoint need the server up in its normal configuration.
ensure_normal() {
  require_lab
  if [[ "$(get mode)" != normal ]] || ! server_alive; then
    say "restarting the server in its normal configuration first (was: $(get mode))"
    restart_server normal || die "the server did not become ready; see $(get workdir)/server.log"
  fi
}

# POST /api/admin/faults. The endpoint replaces all three settings at once: fields left out go back to zero.
set_faults() {
  local body=$1 out
  out=$(curl -sS --max-time 10 -X POST "$(api)/api/admin/faults" -H "x-admin-key: $admin_key" \
    -H 'content-type: application/json' -w '\n%{http_code}' --data-binary "$body") || die "could not reach $(api)"
  local code=${out##*$'\n'}
  case "$code" in
    200) say "faults now: ${out%$'\n'*}" ;;
    404) die "POST /api/admin/faults answered 404: ENABLE_FAULT_INJECTION is off in this server" ;;
    401 | 403) die "POST /api/admin/faults answered $code: the x-admin-key header was not accepted" ;;
    *) die "POST /api/admin/faults answered $code: ${out%$'\n'*}" ;;
  esac
}

# ----------------------------------------------------------------------------------------------- prometheus
start_prometheus() {
  local work
  work=$(get workdir)
  "$root/ops/prometheus-fast-config.sh" "127.0.0.1:$(get port)" >"$work/prometheus.yml"
  nohup prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --storage.tsdb.retention.time=2d --web.listen-address="127.0.0.1:$(get prom_port)" \
    >"$work/prometheus.log" 2>&1 </dev/null &
  put prometheus.pid "$!"
  for _ in $(seq 1 100); do
    curl -fs -o /dev/null --max-time 2 "$(prom_url)/-/ready" && return 0
    prom_alive || break
    sleep 0.1
  done
  warn "Prometheus did not become ready; see $work/prometheus.log"
}

# ------------------------------------------------------------------------------------------------- traffic
chat_body() {
  local n=$1 q locale=en
  if ((n % 4 == 3)); then
    q=$question_ur
    locale=ur
  else
    q=${questions_en[n % 3]}
  fi
  printf '{"query": "%s", "locale": "%s"}' "$q" "$locale"
}

now() { date +%s; }

# One client: POST /api/chat until the deadline; writes one HTTP status per line (000 = no answer).
chat_client() {
  local deadline=$1 out=$2 n=$3 left code
  while :; do
    left=$((deadline - $(now)))
    ((left > 0)) || break
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time "$left" -H 'content-type: application/json' \
      --data-binary "$(chat_body "$n")" "$(api)/api/chat" || true)
    printf '%s\n' "${code:-000}" >>"$out"
    n=$((n + 1))
    if [[ -n "${4:-}" ]]; then sleep "$4"; fi
  done
}

# ------------------------------------------------------------------------------------- what to watch, per case
# shellcheck source=ops/lab/watch.sh
source "$(dirname "$self")/watch.sh"

# ---------------------------------------------------------------------------------------------- subcommands
cmd_start() {
  mkdir -p "$state"
  [[ -O "$state" ]] || die "$state belongs to another user; set LAB_STATE_DIR"
  chmod 700 "$state"
  if lab_running; then
    say "the lab is already running ('$0 clear' restarts a stopped server, '$0 stop' ends the lab)"
    cmd_status
    return 0
  fi
  stop_all
  cleanup_files
  server_bin=$requested_bin
  put server_bin "$server_bin"
  [[ -x "$server_bin" ]] || die "no server binary at $server_bin: build it (cargo build -p server) or set SERVER_BIN"
  command -v curl >/dev/null || die "curl is required"
  if [[ ! -e "$corpus/corpus.jsonl" && ! -f "$corpus" ]]; then
    warn "no corpus at $corpus: build the site first (cargo run -p site -- build) or set CORPUS;"
    warn "without it /ready stays 503 and chat has nothing to cite"
  fi
  local work
  work=$(mktemp -d "$state/run.XXXXXX")
  put workdir "$work"
  put port "${LAB_PORT:-$(free_port 18080)}"
  put prom_port "${LAB_PROM_PORT:-$(free_port 19090)}"
  put closed_db_port "$(free_port 15432)"
  put rate_limit "${LAB_RATE_LIMIT:-1000000}"
  restart_server normal || die "the server did not become ready; see $work/server.log"
  if [[ "${LAB_NO_PROMETHEUS:-0}" != 1 ]] && command -v prometheus >/dev/null; then
    say "starting Prometheus with ops/prometheus/rules on $(prom_url)"
    start_prometheus
  else
    warn "Prometheus not started (not on PATH, or LAB_NO_PROMETHEUS=1): alerts cannot be observed, metrics can"
  fi
  cat <<EOF

  API          $(api)   (site: $([[ -f "$site_dir/index.html" ]] && echo "$(api)/" || echo "not served, no $site_dir/index.html"))
  metrics      $(api)/metrics
  Prometheus   $(prom_alive && prom_url || echo "not running")
  admin key    header x-admin-key: $admin_key   (lab only)
  files        $work   (server.log, prometheus.log, data/)

Next: '$0 load' for steady traffic, wait a minute for a healthy baseline, then pick a scenario.
EOF
}

cmd_status() {
  require_lab
  if server_alive; then
    say "server: pid $(get server.pid), mode $(get mode), $(api)"
    curl -s --max-time 5 "$(api)/ready" || true
    echo
  else
    say "server: not running (mode $(get mode)); '$0 clear' starts it again"
  fi
  if owned load.pid "$(load_marker)"; then say "background load: pid $(get load.pid)"; else say "background load: off"; fi
  if prom_alive; then
    say "Prometheus: $(prom_url); pending and firing alerts:"
    local json
    json=$(curl -s --max-time 5 "$(prom_url)/api/v1/alerts" || true)
    if command -v python3 >/dev/null; then
      printf '%s' "$json" | python3 -c '
import json, sys
try:
    alerts = json.load(sys.stdin)["data"]["alerts"]
except Exception:
    alerts = []
for a in sorted(alerts, key=lambda a: (a["state"], a["labels"]["alertname"])):
    labels = a["labels"]
    extra = " ".join(k + "=" + labels[k] for k in ("window", "instance") if k in labels)
    since = a.get("activeAt", "?")[:19]
    print("  %-8s %s %s (active since %s)" % (a["state"], labels["alertname"], extra, since))
if not alerts:
    print("  none")'
    else
      printf '  %s\n' "$json"
    fi
  else
    say "Prometheus: not running"
  fi
}

cmd_load() {
  require_lab
  local minutes=${1:-15}
  int_in "$minutes" 1 30 || die "load: MINUTES must be 1 to 30"
  minutes=$((10#$minutes))
  if owned load.pid "$(load_marker)"; then
    say "background load already running (pid $(get load.pid))"
    return 0
  fi
  nohup bash "$self" _load "$((minutes * 60))" >"$(get workdir)/load.log" 2>&1 </dev/null &
  put load.pid "$!"
  say "background load: about 2 chat requests per second for $minutes min (pid $!); '$0 stop' ends it"
}

# Internal: the background load loop (started by cmd_load).
cmd__load() {
  local seconds=$1
  chat_client "$(($(now) + seconds))" "$(get workdir)/load.codes" 0 0.5
}

cmd_llm_down() {
  require_lab
  if (: <>/dev/tcp/127.0.0.1/9) 2>/dev/null; then
    warn "something listens on 127.0.0.1:9, so the model is not really 'down' in this scenario"
  fi
  restart_server llm-down || die "the server did not become ready; see $(get workdir)/server.log"
  watch_llm_down
  watch_common
}

cmd_llm_slow() {
  local ms=${1:-9000}
  int_in "$ms" 0 120000 || die "llm-slow: MS must be 0 to 120000"
  ms=$((10#$ms))
  ensure_normal
  set_faults "{\"latency_ms\": $ms}"
  watch_llm_slow "$ms"
  watch_common
}

cmd_vector_store_down() {
  ensure_normal
  set_faults '{"vector_store_down": true}'
  watch_vector_store
  watch_common
}

cmd_db_down() {
  require_lab
  local rc=0
  restart_server db-down || rc=$?
  if ((rc == 0)); then
    warn "unexpected: the server became ready without its database"
  else
    rm -f "$state/server.pid"
  fi
  watch_db_down
  watch_common
}

cmd_error_burst() {
  local rate=${1:-0.3}
  [[ "$rate" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || die "error-burst: RATE must be a number from 0 to 1, e.g. 0.3"
  ensure_normal
  set_faults "{\"error_rate\": $rate}"
  watch_error_burst "$rate"
  watch_common
}

cmd_traffic_spike() {
  require_lab
  server_alive || die "the server is not running ('$0 clear' starts it)"
  local seconds=${1:-60} workers=${2:-20}
  int_in "$seconds" 1 60 || die "traffic-spike: SECONDS must be 1 to 60"
  int_in "$workers" 1 64 || die "traffic-spike: WORKERS must be 1 to 64"
  seconds=$((10#$seconds))
  workers=$((10#$workers))
  watch_spike
  local spike deadline i pids=()
  spike=$(mktemp -d "$(get workdir)/spike.XXXXXX")
  deadline=$(($(now) + seconds))
  say "traffic spike: $workers concurrent clients on POST $(api)/api/chat for $seconds s"
  for ((i = 0; i < workers; i++)); do
    chat_client "$deadline" "$spike/$i.codes" "$i" &
    pids+=("$!")
  done
  trap 'kill "${pids[@]}" 2>/dev/null || true' INT TERM
  wait "${pids[@]}" || true
  trap - INT TERM
  local total
  total=$(cat "$spike"/*.codes 2>/dev/null | wc -l)
  say "done: $total requests in $seconds s (about $((total / seconds)) per second); HTTP status counts:"
  cat "$spike"/*.codes 2>/dev/null | sort | uniq -c | sed 's/^/  /'
  rm -rf "$spike"
}

cmd_clear() {
  require_lab
  if [[ "$(get mode)" != normal ]] || ! server_alive; then
    restart_server normal || die "the server did not become ready; see $(get workdir)/server.log"
  else
    set_faults '{"error_rate": 0, "latency_ms": 0, "vector_store_down": false}'
  fi
  cat <<EOF
All faults removed. Recovery to watch (this is your time to restore; the lab's MTTR target is 15 min):
  slo:sli_error:ratio_rate5m back under 1 %; RagErrorBudgetBurn{window="1h"} resolves within minutes thanks to its
  5 m short window, RagHighErrorRate once the 5 m ratio is under 1 %, RagHighLatencyP95 once the 5 m p95 is under 8 s.
  The 30-day figures (availability, budget) keep the damage: that is the point of a budget.
EOF
}

# Deletes the lab's working directories (only directories this script created under the state dir).
cleanup_files() {
  local d
  for d in "$state"/run.*; do
    [[ -d "$d" ]] && rm -rf -- "$d"
  done
  rm -f "$state"/{workdir,port,prom_port,closed_db_port,rate_limit,mode,server.pid,prometheus.pid,load.pid,server_bin}
}

lab_running() {
  [[ -n "$(get workdir)" && -d "$(get workdir)" ]] || return 1
  server_alive || prom_alive || owned load.pid "$(load_marker)"
}

stop_all() {
  stop_recorded load.pid "$(load_marker)"
  if [[ -n "$(get workdir)" ]]; then
    stop_recorded prometheus.pid "$(prom_marker)"
  fi
  stop_recorded server.pid "$(server_marker)"
}

cmd_stop() {
  if [[ ! -d "$state" ]]; then
    say "nothing to stop"
    return 0
  fi
  stop_all
  cleanup_files
  rmdir "$state" 2>/dev/null || true
  say "stopped; lab files removed"
}

usage() {
  sed -n '2,/^set -euo/p' "$self" | sed '$d' | sed 's/^# \{0,1\}//'
}

cmd=${1:-help}
shift || true
case "$cmd" in
  start) cmd_start ;;
  status) cmd_status ;;
  load) cmd_load "$@" ;;
  _load) cmd__load "$@" ;;
  llm-down) cmd_llm_down ;;
  llm-slow) cmd_llm_slow "$@" ;;
  vector-store-down) cmd_vector_store_down ;;
  db-down) cmd_db_down ;;
  error-burst) cmd_error_burst "$@" ;;
  traffic-spike) cmd_traffic_spike "$@" ;;
  clear) cmd_clear ;;
  stop) cmd_stop ;;
  help | -h | --help) usage ;;
  *)
    usage >&2
    exit 2
    ;;
esac
