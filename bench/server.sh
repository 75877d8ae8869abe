#!/usr/bin/env bash
# Server figures in embedded mode with extractive answers, at 1, 10, 50 and 200 clients, next to a bare axum hello (issue targets: /api/chat at 50 clients p95 < 50 ms and
# >= 500 req/s; retrieval p95 < 5 ms; RSS < 200 MB with the textbook indexed; start to ready < 2 s with an index).
# Release build, loopback only, bounded. Writes bench/results/server.json and prints a summary.
#   bench/server.sh [--seconds N] [--corpus public/rag]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10
corpus=public/rag
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -f "$corpus/corpus.jsonl" ]] || { echo "no corpus at $corpus: run 'cargo run -p site -- build' first" >&2; exit 1; }
cargo build -q --release -p server -p bench
target=${CARGO_TARGET_DIR:-target}
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export PORT=$port DATA_DIR=$data CORPUS_SOURCE=$corpus RATE_LIMIT_PER_IP_PER_MINUTE=100000000 LOG_LEVEL=warn
base="http://127.0.0.1:$port"
pid=
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

wait_ready() {
  for _ in $(seq 1 600); do
    curl -fs "$base/ready" >/dev/null 2>&1 && return 0
    sleep 0.01
  done
  echo "server not ready" >&2; return 1
}

# First start ingests the corpus; the timed start reuses the index.
"$target/release/server" serve >/dev/null 2>&1 & pid=$!
wait_ready; kill "$pid"; wait "$pid" || true
t0=$(date +%s.%N)
"$target/release/server" serve >/dev/null 2>&1 & pid=$!
wait_ready
ready_s=$(python3 -c "print(round($(date +%s.%N) - $t0, 3))")

mkdir -p bench/results
load() { "$target/release/bench" --url "$1" --endpoint "$2" --concurrency "$3" --seconds "$seconds" ${4:+--questions "$4"}; }
q=eval/questions.en.jsonl; [[ -f $q ]] || q=
levels=(1 10 50 200)
chat=() search=()
for c in "${levels[@]}"; do
  chat+=("$(load "$base" chat "$c" "$q")")
  search+=("$(load "$base" search "$c" "$q")")
done
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
search_p95=$(curl -fs "$base/metrics" | python3 -c '
import sys
b = {}
for l in sys.stdin:
    if l.startswith("rag_vector_search_latency_ms_bucket"):
        le = l.split("le=\"")[1].split("\"")[0]; b[float("inf") if le == "+Inf" else float(le)] = float(l.split()[-1])
total = b.get(float("inf"), 0)
print(next((le for le in sorted(b) if total and b[le] >= 0.95 * total), "n/a"))')

# The machine's ceiling: a bare axum "hello" on the same runtime, loaded the same way.
hello_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$target/release/bench" --serve-hello "$hello_port" --seconds $(( ${#levels[@]} * ${seconds%.*} + 30 )) & hello_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$hello_port/health" >/dev/null 2>&1 && break; sleep 0.05; done
hello=()
for c in "${levels[@]}"; do hello+=("$(load "http://127.0.0.1:$hello_port" health "$c")"); done
kill "$hello_pid" 2>/dev/null || true; wait "$hello_pid" 2>/dev/null || true

join() { local IFS=,; echo "[$*]"; }
cat > bench/results/server.json <<JSON
{"start_to_ready_s": $ready_s, "rss_mb": $((rss_kb / 1024)), "retrieval_p95_ms_upper_bucket": "$search_p95",
 "seconds_per_level": $seconds,
 "chat": $(join "${chat[@]}"), "search": $(join "${search[@]}"), "hello": $(join "${hello[@]}")}
JSON
python3 - <<'PY'
import json
r = json.load(open("bench/results/server.json"))
print(f"{'endpoint':<8} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
for name in ("chat", "search", "hello"):
    for x in r[name]:
        print(f"{name:<8} {x['concurrency']:>7} {x['rps']:>9.0f} {x['p50_ms']:>8.1f} {x['p95_ms']:>8.1f} {x['p99_ms']:>8.1f} {x['errors']:>6}")
PY
echo "start to ready (existing index): ${ready_s}s (target < 2 s)"
echo "resident memory after load: $((rss_kb / 1024)) MB (target < 200 MB)"
echo "retrieval p95 <= ${search_p95} ms (histogram bucket bound; target < 5 ms)"
echo "results: bench/results/server.json"
