#!/usr/bin/env bash
# Server figures in embedded mode with extractive answers, at 1, 10, 50 and 200 clients, next to a bare axum hello (issue targets: /api/chat at 50 clients p95 < 50 ms and
# >= 500 req/s; retrieval p95 < 5 ms; RSS < 200 MB with the textbook indexed; start to ready < 2 s with an index).
# Release build, loopback only, bounded. Writes bench/results/server.json (or --out) and prints a summary.
#   bench/server.sh [--seconds N] [--corpus public/rag] [--levels "1 10 50"] [--qdrant GRPC_URL] [--out FILE]
# --qdrant runs the server in Qdrant-server mode against that Qdrant (e.g. scripts/qdrant-local.sh start:
# http://127.0.0.1:6334), in a fresh collection that is deleted afterwards; QDRANT_API_KEY is passed through.
# --no-build uses the binaries already in $CARGO_TARGET_DIR/release.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=10
corpus=public/rag
levels=(1 10 50 200)
qdrant=
out=bench/results/server.json
build=true
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --levels) read -r -a levels <<<"$2"; shift 2 ;;
    --qdrant) qdrant=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --no-build) build=false; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[[ -f "$corpus/corpus.jsonl" ]] || { echo "no corpus at $corpus: run 'cargo run -p site -- build' first" >&2; exit 1; }
if $build; then cargo build -q --release -p server -p bench; fi
target=${CARGO_TARGET_DIR:-target}
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export PORT=$port DATA_DIR=$data CORPUS_SOURCE=$corpus RATE_LIMIT_PER_IP_PER_MINUTE=100000000 LOG_LEVEL=warn
collection=
backend=embedded
if [[ -n $qdrant ]]; then
  backend=qdrant
  collection=bench_$(date +%s)_$$
  export QDRANT_URL=$qdrant QDRANT_COLLECTION=$collection
fi
base="http://127.0.0.1:$port"
pid=
cleanup() {
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$data"
  if [[ -n $collection ]]; then
    # The REST port beside gRPC (6334 -> 6333), as the server derives it for snapshots.
    curl -fsS -X DELETE ${QDRANT_API_KEY:+-H "api-key: $QDRANT_API_KEY"} \
      "${QDRANT_REST_URL:-${qdrant/%:6334/:6333}}/collections/$collection" >/dev/null || true
  fi
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

mkdir -p "$(dirname "$out")"
load() { "$target/release/bench" --url "$1" --endpoint "$2" --concurrency "$3" --seconds "$seconds" ${4:+--questions "$4"}; }
q=eval/questions.en.jsonl; [[ -f $q ]] || q=
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
cat > "$out" <<JSON
{"backend": "$backend", "start_to_ready_s": $ready_s, "rss_mb": $((rss_kb / 1024)), "retrieval_p95_ms_upper_bucket": "$search_p95",
 "seconds_per_level": $seconds,
 "chat": $(join "${chat[@]}"), "search": $(join "${search[@]}"), "hello": $(join "${hello[@]}")}
JSON
OUT=$out python3 - <<'PY'
import json, os
r = json.load(open(os.environ["OUT"]))
print(f"{'endpoint':<8} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
for name in ("chat", "search", "hello"):
    for x in r[name]:
        print(f"{name:<8} {x['concurrency']:>7} {x['rps']:>9.0f} {x['p50_ms']:>8.1f} {x['p95_ms']:>8.1f} {x['p99_ms']:>8.1f} {x['errors']:>6}")
PY
echo "start to ready (existing index): ${ready_s}s (target < 2 s)"
echo "resident memory after load: $((rss_kb / 1024)) MB (target < 200 MB)"
echo "retrieval p95 <= ${search_p95} ms (histogram bucket bound; target < 5 ms)"
echo "results: $out"
