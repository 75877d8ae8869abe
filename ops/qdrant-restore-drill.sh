#!/usr/bin/env bash
# Vector-store restore drill (Qdrant-server mode): the backup job's collection snapshot, restored into an empty
# Qdrant, must serve the same retrieval as the collection it was taken from; each step is timed. Two local Qdrants
# from scripts/qdrant-local.sh run side by side on ports of their own (gRPC 16334 / REST 16333 the source,
# 26334 / 26333 the empty target), so a Qdrant already on 6333/6334 is not touched.
#   ops/qdrant-restore-drill.sh [CORPUS]     CORPUS defaults to public/rag
# Needs the Qdrant binary (scripts/qdrant-local.sh build ...) and the server binary (SERVER_BIN, default
# $CARGO_TARGET_DIR/release/server, else the debug one). Steps: 1. ingest the corpus into the source, 2. `server
# backup` (session database + `vectors-*.snapshot`), 3. `server restore` of the snapshot into the empty Qdrant,
# 4. the server on the restored collection: /ready, the chunk count, and the same top 5 sources for every eval question
# as on the source.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${1:-public/rag}
target=${CARGO_TARGET_DIR:-target}
server=${SERVER_BIN:-$target/release/server}
[[ -x $server ]] || server=$target/debug/server
[[ -x $server ]] || { echo "no server binary (SERVER_BIN or cargo build -p server)" >&2; exit 1; }
[[ -x $(scripts/qdrant-local.sh path) ]] || { echo "no Qdrant binary: scripts/qdrant-local.sh build ..." >&2; exit 1; }
[[ -f $corpus/corpus.jsonl ]] || { echo "no corpus at $corpus: cargo run -p site -- build" >&2; exit 1; }
# shellcheck source=ops/lib/harness.sh
source ops/lib/harness.sh
spid=
qd() { QDRANT_HTTP_PORT=$1 QDRANT_GRPC_PORT=$2 scripts/qdrant-local.sh "${@:3}"; }
on_exit() {
  if [[ -n $spid ]]; then kill "$spid" 2>/dev/null || true; wait "$spid" 2>/dev/null || true; fi
  qd 16333 16334 stop >/dev/null || true
  qd 26333 26334 stop >/dev/null || true
}
# Runs the server binary against the Qdrant on gRPC port $1 (REST $1 - 1), with its own data folder.
srv() {
  local grpc=$1
  shift
  DATA_DIR=$tmp/data-$grpc CORPUS_SOURCE=$corpus LOG_LEVEL=warn QDRANT_URL=http://127.0.0.1:$grpc \
    QDRANT_REST_URL=http://127.0.0.1:$((grpc - 1)) QDRANT_COLLECTION=textbook "$server" "$@"
}
# The top 5 source URLs per eval question (English and Urdu), one line each, from the server on gRPC port $1.
top_sources() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  PORT=$port RATE_LIMIT_PER_IP_PER_MINUTE=100000 srv "$1" serve >>"$tmp/server.log" 2>&1 &
  spid=$!
  for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null && break; sleep 0.1; done
  curl -fsS "http://127.0.0.1:$port/ready" | python3 -c 'import json,sys; print(json.load(sys.stdin)["checks"]["vector_store"]["detail"])'
  python3 - "$port" <<'PY'
import json, sys, urllib.parse, urllib.request
port = sys.argv[1]
for path in ("eval/questions.en.jsonl", "eval/questions.ur.jsonl"):
    for line in open(path, encoding="utf-8"):
        q = json.loads(line)
        query = urllib.parse.urlencode({"q": q["question"], "locale": q["locale"], "limit": 5})
        hits = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?{query}"))["results"]
        print(" ".join(h["url"] for h in hits) or "-")
PY
  kill "$spid"; wait "$spid" 2>/dev/null || true
  spid=
}

qd 16333 16334 start "$tmp/source" >/dev/null
qd 26333 26334 start "$tmp/target" >/dev/null
t0=$(now)
srv 16334 ingest "$corpus" >"$tmp/ingest.txt"
t1=$(now)
srv 16334 backup --dir "$tmp/backups" >"$tmp/backup.txt"
t2=$(now)
snap=$(ls "$tmp"/backups/vectors-textbook-*.snapshot)
before=$(curl -fsS http://127.0.0.1:26333/collections | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["result"]["collections"]))')
[[ $before == 0 ]] || { echo "the target Qdrant is not empty" >&2; exit 1; }
t3=$(now)
srv 26334 restore "$snap" >"$tmp/restore.txt"
t4=$(now)
# What the snapshot brought back, before any server touches the collection: points and the payload index.
restored=$(curl -fsS http://127.0.0.1:26333/collections/textbook | python3 -c '
import json, sys
r = json.load(sys.stdin)["result"]
points, indexes = r["points_count"], sorted(r["payload_schema"])
print(f"{points} points, payload indexes {indexes}")')
# The API's DATA_DIR survives in this scenario (only the vector store was lost): its index state says the corpus is
# in, so the server serves the restored points rather than re-upserting the corpus over them.
mkdir -p "$tmp/data-26334"
cp "$tmp/data-16334/index-state.json" "$tmp/data-26334/"
top_sources 16334 >"$tmp/source.txt"
t5=$(now)
top_sources 26334 >"$tmp/restored.txt"
t6=$(now)
diff "$tmp/source.txt" "$tmp/restored.txt" >&2 || { echo "restored collection answers differently" >&2; exit 1; }
echo "qdrant $("$(scripts/qdrant-local.sh path)" --version 2>/dev/null | head -1), server $("$server" --version)"
echo "ingest into the source: $(elapsed "$t0" "$t1") s ($(tr '\n' ' ' <"$tmp/ingest.txt"))"
echo "backup (sessions + snapshot): $(elapsed "$t1" "$t2") s; snapshot $(du -k "$snap" | cut -f1) KB"
echo "restore into the empty Qdrant: $(elapsed "$t3" "$t4") s; restored collection: $restored"
echo "server ready on the restored collection and $(($(wc -l <"$tmp/restored.txt") - 1)) eval questions checked" \
  "in $(elapsed "$t5" "$t6") s: top 5 sources identical to the source collection's"
