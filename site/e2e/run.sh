#!/usr/bin/env bash
# Browser test of `site` against a Docusaurus tree: imports tests/fixtures/docusaurus, serves the result with
# `site serve`, screenshots a migrated page, then writes a broken link and checks the error overlay.
# Uses playwright-core from widget/e2e (installed there by npm ci) and /usr/bin/chromium (or $CHROMIUM).
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ ! -d widget/e2e/node_modules ]]; then
  (cd widget/e2e && npm ci --no-audit --no-fund)
fi
target="${CARGO_TARGET_DIR:-target}"
export SITE_BIN="${SITE_BIN:-$target/debug/site}"
if [[ ! -x "$SITE_BIN" ]]; then
  cargo build -q -p site
fi
export SCREENSHOT_DIR="${SCREENSHOT_DIR:-$target/site-screenshots}"
node --test --test-concurrency=1 site/e2e/docusaurus.test.mjs
