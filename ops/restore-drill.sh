#!/usr/bin/env bash
# Whole-service restore drill (embedded mode): from nothing but a session backup and the published corpus, bring
# up a working service in an empty DATA_DIR, and time it against the 15-minute recovery objective.
#   ops/restore-drill.sh BACKUP_FILE CORPUS [SESSION_ID]
#       BACKUP_FILE  a `server backup` file (sessions-*.sqlite, its .sha256 beside it), e.g. fetched from the
#                    off-site bucket with `rclone copy "$BACKUP_REMOTE/sessions-<stamp>.sqlite*" .`
#       CORPUS       the published corpus: public/rag, or the site's URL of it (https://<site>/rag/corpus.jsonl)
#       SESSION_ID   optional: a session that must come back with its messages
#   ops/restore-drill.sh --self-test   makes a service with 20 chat sessions, backs it up, wipes everything, restores
#                                      into an empty directory and checks every session (scripts/test.sh runs it)
# Steps, each timed: 1. restore the session database (checksum verified), 2. rebuild the vector index from the
# corpus (`server ingest`), 3. start the server and wait for /ready, 4. smoke test + the named session.
# Needs target/debug/server (or SERVER_BIN) and a built site in public/ for the smoke test's pages.
set -euo pipefail
cd "$(dirname "$0")/.."
server=${SERVER_BIN:-${CARGO_TARGET_DIR:-target}/debug/server}
site=${SITE_DIR:-public}
objective=900
[[ -x "$server" ]] || { echo "missing $server (cargo build -p server)" >&2; exit 1; }
# shellcheck source=ops/lib/harness.sh
source ops/lib/harness.sh

# Starts a server on DATA_DIR $1 (corpus $2), sets $base and $spid.
serve() {
  local port
  port=$(free_port)
  base="http://127.0.0.1:$port"
  PORT=$port DATA_DIR="$1" CORPUS_SOURCE="$2" LOG_LEVEL=warn RATE_LIMIT_PER_IP_PER_MINUTE=100000 \
    "$server" serve --site "$site" >>"$tmp/server.log" 2>&1 &
  spid=$!
  pids+=("$spid")
  wait_ready "$base" || { echo "server never became ready:" >&2; tail -20 "$tmp/server.log" >&2; exit 1; }
}

self_test=false
if [[ "${1:-}" == "--self-test" ]]; then
  self_test=true
  corpus=${CORPUS:-$site/rag}
  echo "self-test: a service with 20 chat sessions, backed up, then restored into an empty DATA_DIR"
  serve "$tmp/before" "$corpus"
  : >"$tmp/sessions"
  for i in $(seq 1 20); do
    curl -fsS "$base/api/chat" -H 'content-type: application/json' \
      -d "{\"query\": \"What is the zero moment point? ($i)\"}" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["session_id"])' >>"$tmp/sessions"
  done
  # The turn writer batches: every session must be readable before the server stops and the backup is taken.
  sleep 1
  while read -r id; do
    curl -fsS "$base/api/sessions/$id" >/dev/null || { echo "session $id was not stored before the backup" >&2; exit 1; }
  done <"$tmp/sessions"
  kill "$spid"; wait "$spid" 2>/dev/null || true
  DATA_DIR="$tmp/before" CORPUS_SOURCE="$corpus" "$server" backup --dir "$tmp/backups" >/dev/null
  backup=$(ls "$tmp"/backups/sessions-*.sqlite)
  rm -rf "$tmp/before"
  session=$(head -1 "$tmp/sessions")
else
  [[ $# -ge 2 ]] || { sed -n '2,15p' "$0" >&2; exit 2; }
  backup=$1
  corpus=$2
  session=${3:-}
fi

data="$tmp/restored"
mkdir -p "$data"
echo "restoring into the empty $data"
t0=$(now)
DATA_DIR="$data" CORPUS_SOURCE="$corpus" "$server" restore "$backup" >/dev/null
t1=$(now)
DATA_DIR="$data" CORPUS_SOURCE="$corpus" LOG_LEVEL=warn "$server" ingest "$corpus" >"$tmp/ingest.txt"
t2=$(now)
serve "$data" "$corpus"
t3=$(now)
"$server" smoke --api "$base" --site "$base" --locale en,ur >"$tmp/smoke.txt" || { cat "$tmp/smoke.txt" >&2; exit 1; }
if [[ -n "$session" ]]; then
  messages=$(curl -fsS "$base/api/sessions/$session" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["messages"]))')
  [[ "$messages" -ge 2 ]] || { echo "session $session came back with $messages messages" >&2; exit 1; }
fi
if $self_test; then
  restored=0
  while read -r id; do
    if curl -fsS "$base/api/sessions/$id" >/dev/null; then restored=$((restored + 1)); fi
  done <"$tmp/sessions"
  [[ $restored -eq 20 ]] || { echo "only $restored of 20 sessions came back" >&2; exit 1; }
  echo "all 20 sessions restored; session $session has its messages"
fi
t4=$(now)
total=$(elapsed "$t0" "$t4")
echo "restore drill: sessions restored in $(elapsed "$t0" "$t1") s, vector index rebuilt in $(elapsed "$t1" "$t2") s" \
  "($(tr '\n' ' ' <"$tmp/ingest.txt")), server ready in $(elapsed "$t2" "$t3") s, smoke checks in $(elapsed "$t3" "$t4") s"
echo "restore drill: total recovery time $total s (objective $objective s)"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$total" "$objective" \
  || { echo "restore drill: over the objective" >&2; exit 1; }
