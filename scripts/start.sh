#!/usr/bin/env bash
# The main job, for a newcomer: set up what is missing, build the widget and the bilingual site, and serve the
# textbook and its chat API together at http://127.0.0.1:8080 (embedded mode: no Qdrant, Postgres or LLM needed).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh

say() { printf '\033[1m[start]\033[0m %s\n' "$*"; }
say "building the chat widget (WebAssembly)"
trunk build --release --offline
say "building the site (en + ur) and the RAG corpus"
cargo run -q -p site -- build
say "building the server"
cargo build -q -p server
export CORPUS_SOURCE="${CORPUS_SOURCE:-public/rag/corpus.jsonl}"
export PORT="${PORT:-8080}"
say "open http://127.0.0.1:${PORT}/ (Ctrl+C stops)"
exec target/debug/server serve --site public
