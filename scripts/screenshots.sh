#!/usr/bin/env bash
# Screenshots of the key screens (scripts/screenshots.mjs lists them) into SCREENSHOT_DIR (default screenshots/).
# Needs the built site with the widget (public/, as scripts/start.sh builds it) and the server binary:
#   SERVER_BIN=target/debug/server SITE_DIR=public scripts/screenshots.sh
# Look at every PNG before calling a change to the reader's screens done.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ -d widget/e2e/node_modules ]] || (cd widget/e2e && npm ci --no-audit --no-fund)
target=${CARGO_TARGET_DIR:-target}
export SERVER_BIN="${SERVER_BIN:-$target/debug/server}"
export SITE_DIR="${SITE_DIR:-public}"
[[ -x "$SERVER_BIN" ]] || { echo "screenshots.sh: no server binary at $SERVER_BIN (cargo build -p server, or set SERVER_BIN)" >&2; exit 1; }
[[ -f "$SITE_DIR/index.html" ]] || { echo "screenshots.sh: no built site in $SITE_DIR (cargo run -p site -- build)" >&2; exit 1; }
exec node scripts/screenshots.mjs
