#!/usr/bin/env bash
# Runs the widget's browser tests. Default: starts fake-server.mjs on a free 127.0.0.1 port (serving widget/dist, so
# build first: trunk build --release --offline). With BASE_URL set, tests that server instead and skips fake-only tests.
set -euo pipefail
cd "$(dirname "$0")"

if [[ ! -d node_modules ]]; then
  npm ci --no-audit --no-fund
fi

if [[ -n "${BASE_URL:-}" ]]; then
  FAKE=0 exec node --test --test-concurrency=1 tests/
fi

log=$(mktemp)
node fake-server.mjs 0 >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -f "$log"' EXIT

url=""
for _ in $(seq 1 50); do
  url=$(sed -n 's/^listening //p' "$log")
  [[ -n "$url" ]] && break
  sleep 0.1
done
if [[ -z "$url" ]]; then
  echo "fake server did not start:" >&2
  cat "$log" >&2
  exit 1
fi

BASE_URL="$url" FAKE=1 node --test --test-concurrency=1 tests/
