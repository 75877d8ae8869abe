#!/usr/bin/env bash
# Every test of the project, as CI runs it (.ci/run calls this). Exits non-zero on the first failing step.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

step_passed=0
step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
ok() { step_passed=$((step_passed + 1)); }

step "format"
cargo fmt --all -- --check
ok

step "clippy (native crates, then the widget for wasm32)"
cargo clippy --workspace --exclude widget --all-targets -- -D warnings
cargo clippy -p widget --target wasm32-unknown-unknown -- -D warnings
ok

step "build the widget and the real site (en + ur), then check it"
trunk build --release --offline
widget/scripts/size-check.sh   # loader <= 5 KB, wasm + JS glue <= 150 KB gzipped (fails over budget)
python3 scripts/plots.py --check   # the committed data plots match what their script computes
python3 scripts/urdu-figures.py --check   # the Urdu figures (static/img/ur/) match the English ones, every label translated
python3 scripts/fonts.py --check   # the committed web fonts cover every character of the book, and shape every Urdu word as the full font
cargo run -q -p site -- build -v
cargo run -q -p site -- check
ok

step "PostgreSQL for the session-store tests"
eval "$(scripts/pg-test-server.sh start)"
trap 'scripts/pg-test-server.sh stop "$PG_TEST_DIR"' EXIT
ok

step "Rust tests (all crates; PostgreSQL suites and the retrieval eval on the built corpus included)"
cargo test --workspace -- --include-ignored
# cargo test only links a crate's binary when that crate has integration tests; the later steps run `bench` too.
cargo build --workspace --bins
ok

step "browser tests (headless Chromium): widget failure modes against a fake backend, then the real server and site"
widget/e2e/run.sh
SITE_DIR=public widget/e2e/run-real.sh
site/e2e/run.sh   # a Docusaurus tree imported and served: migrated page screenshot, the serve error overlay
ok

step "deployment smoke probe (server smoke) against the locally started stack"
target="${CARGO_TARGET_DIR:-target}"
smoke_dir=$(mktemp -d)
smoke_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PORT=$smoke_port DATA_DIR="$smoke_dir" CORPUS_SOURCE=public/rag LOG_LEVEL=warn "$target/debug/server" serve --site public &
smoke_pid=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$smoke_port/ready" >/dev/null && break; sleep 0.1; done
"$target/debug/server" smoke --api "http://127.0.0.1:$smoke_port" --site "http://127.0.0.1:$smoke_port" --locale en,ur
kill "$smoke_pid"; wait "$smoke_pid" || true; rm -rf "$smoke_dir"
ok

step "load: 200 concurrent readers for 30 s (eval questions, en + ur): 0 errors, p95 within the SLO, RSS growth < 10 %"
scripts/load-test.sh --seconds 30 --clients 200
ok

step "operations: promtool, amtool, dashboards, runbook links"
ops/test.sh
python3 ops/runbooks/check_runbooks.py
ok

step "alerting end to end: real Prometheus scraping the real server through an injected error burst"
ops/integration/prometheus-e2e.sh
ok

step "monitoring stack with the real binaries: heartbeat to the dead-man's switch, backup alerts, a dead server pages"
ops/integration/monitoring-stack.sh
ok

step "whole-service restore drill: sessions + vector index into an empty DATA_DIR, timed (objective 15 min)"
ops/restore-drill.sh --self-test
ok

step "deployment: workflows (actionlint, zizmor, schema), blueprint, compose, names, release logic, shell scripts"
actionlint .github/workflows/*.yml
zizmor --offline .github/workflows
check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
check-jsonschema --builtin-schema vendor.compose-spec ops/docker-compose.yml
check-jsonschema --schemafile deploy/render.schema.json render.yaml
python3 deploy/check_deploy.py
python3 deploy/names.py
python3 deploy/check_launch_links.py
deploy/test_release.sh
shellcheck -x scripts/*.sh .ci/run ops/*.sh ops/lib/*.sh ops/backup/*.sh ops/integration/*.sh ops/lab/*.sh bench/*.sh deploy/*.sh
ok

step "security scans: detect-secrets baseline, semgrep rules, cargo deny (licenses bans sources), offline"
scripts/security-scan.sh
ok

printf '\ntest.sh: %d passed, 0 failed\n' "$step_passed"
