#!/usr/bin/env bash
# Soak test of the embedded server (BM25 + qdrant-edge, SQLite sessions, extractive answers): 200 concurrent
# readers ask the eval-set questions (half in English, half in Urdu) for a fixed time, loopback only. Pass/fail:
#   * 0 errors (any non-2xx or transport failure),
#   * p95 of /api/chat within the latency SLO (docs/slo.md: 6 s),
#   * resident memory growth < 10 % from the end of the first tenth of the run (minute 1 of the 10-minute run;
#     at least 10 s in) to the end.
# Full run (issue target): scripts/load-test.sh --seconds 600 --release
# The test command runs the 30-second version with the debug build.
#   scripts/load-test.sh [--seconds N] [--clients N] [--release] [--out FILE]
# Load comes from the workspace's `bench` binary rather than oha/wrk because the body must cycle through the eval
# questions (oha sends one fixed body) and the figures are wanted as JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=30
clients=200
profile=debug
out=
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --clients) clients=$2; shift 2 ;;
    --release) profile=release; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
((seconds >= 10 && seconds <= 3600)) || { echo "--seconds must be 10..3600" >&2; exit 2; }
((clients >= 2 && clients <= 1000)) || { echo "--clients must be 2..1000" >&2; exit 2; }
[[ -f public/rag/corpus.jsonl ]] || { echo "no corpus: run 'cargo run -p site -- build' first" >&2; exit 1; }
if [[ $profile == release ]]; then cargo build -q --release -p server -p bench; else cargo build -q -p server -p bench; fi
target=${CARGO_TARGET_DIR:-target}/$profile

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
pid='' sampler=''
cleanup() {
  if [[ -n "$sampler" ]]; then kill "$sampler" 2>/dev/null || true; fi
  if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Every reader comes from 127.0.0.1, so the per-IP limit is lifted here; rate limiting has its own tests.
PORT=$port DATA_DIR="$work/data" CORPUS_SOURCE=public/rag LOG_LEVEL=warn RATE_LIMIT_PER_IP_PER_MINUTE=100000000 \
  "$target/server" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do curl -fs "$base/ready" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fs "$base/ready" >/dev/null || { echo "server not ready" >&2; cat "$work/server.log" >&2; exit 1; }

# Resident memory once a second (kB), from /proc.
(while kill -0 "$pid" 2>/dev/null; do
  awk -v t="$(date +%s.%N)" '/VmRSS/ {print t, $2}' "/proc/$pid/status" 2>/dev/null || true
  sleep 1
done) >"$work/rss" &
sampler=$!

half=$((clients / 2))
echo "load: $clients clients for ${seconds}s against $base ($profile build)"
"$target/bench" --url "$base" --endpoint chat --concurrency "$half" --seconds "$seconds" \
  --questions eval/questions.en.jsonl --locale en >"$work/en.json" 2>"$work/en.txt" &
en=$!
"$target/bench" --url "$base" --endpoint chat --concurrency "$((clients - half))" --seconds "$seconds" \
  --questions eval/questions.ur.jsonl --locale ur >"$work/ur.json" 2>"$work/ur.txt" &
ur=$!
wait "$en" "$ur"
cat "$work/en.txt" "$work/ur.txt"
kill -0 "$pid" 2>/dev/null || { echo "FAIL: the server died under load" >&2; cat "$work/server.log" >&2; exit 1; }
kill "$sampler" 2>/dev/null || true; sampler=''

python3 - "$work" "$seconds" "$clients" "$profile" "${out:-}" <<'EOF'
import json, sys
work, seconds, clients, profile, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
runs = [json.load(open(f"{work}/{l}.json")) for l in ("en", "ur")]
rss = [tuple(map(float, l.split())) for l in open(f"{work}/rss") if l.strip()]
t0 = rss[0][0]
# "Minute 1" of a 10-minute run: the end of the first tenth of the run, after warm-up allocations settle
# (at least 10 s in, so a short run does not count the warm-up as growth).
mark_s = max(seconds / 10, min(10, seconds / 3))
mark = next((kb for t, kb in rss if t - t0 >= mark_s), rss[0][1])
end = rss[-1][1]
growth = (end - mark) / mark * 100
SLO_P95_MS = 6000
res = {
    "clients": clients, "seconds": seconds, "build": profile,
    "requests": sum(r["requests"] for r in runs), "errors": sum(r["errors"] for r in runs),
    "rps": round(sum(r["rps"] for r in runs), 1),
    "p50_ms": max(r["p50_ms"] for r in runs), "p95_ms": max(r["p95_ms"] for r in runs),
    "p99_ms": max(r["p99_ms"] for r in runs), "max_ms": max(r["max_ms"] for r in runs),
    "rss_mark_s": mark_s, "rss_mb_at_mark": round(mark / 1024, 1), "rss_mb_at_end": round(end / 1024, 1),
    "rss_mb_peak": round(max(kb for _, kb in rss) / 1024, 1), "rss_growth_percent": round(growth, 2),
    "per_locale": {"en": runs[0], "ur": runs[1]},
}
if out:
    json.dump(res, open(out, "w"), indent=2)
print(f"load: {res['requests']} requests, {res['rps']} req/s, p50 {res['p50_ms']:.1f} ms, p95 {res['p95_ms']:.1f} ms "
      f"(SLO {SLO_P95_MS} ms), p99 {res['p99_ms']:.1f} ms, errors {res['errors']}; RSS {res['rss_mb_at_mark']} (at {mark_s:.0f} s) -> "
      f"{res['rss_mb_at_end']} MB ({growth:+.1f} %, limit +10 %), peak {res['rss_mb_peak']} MB")
fails = []
if res["errors"]:
    fails.append(f"{res['errors']} errors")
if res["p95_ms"] > SLO_P95_MS:
    fails.append(f"p95 {res['p95_ms']} ms over the {SLO_P95_MS} ms SLO")
if growth >= 10:
    fails.append(f"memory grew {growth:.1f} %")
if fails:
    print("FAIL: " + "; ".join(fails))
    sys.exit(1)
print("load: PASS")
EOF
