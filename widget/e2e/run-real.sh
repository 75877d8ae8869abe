#!/usr/bin/env bash
# Browser tests against the real stack: the real server binary serving the real built site (public/).
# Needs: target/debug/server (or SERVER_BIN), public/ from `site build`, widget/dist from trunk.
set -euo pipefail
cd "$(dirname "$0")"
[[ -d node_modules ]] || npm ci --no-audit --no-fund
repo=$(cd ../.. && pwd)
target=${CARGO_TARGET_DIR:-$repo/target}
export SERVER_BIN="${SERVER_BIN:-$target/debug/server}"
exec node --test --test-concurrency=1 real/
