#!/usr/bin/env bash
# A real Qdrant server on loopback, built once from fetched source snapshots, for the live Qdrant-mode suite, the
# Qdrant-mode load figures and the snapshot restore drill. Nothing here is needed by the test command: the live
# suite stays gated on QDRANT_URL.
#
#   scripts/qdrant-local.sh build QDRANT_GIT_DIR RAFT_RS_GIT_DIR TONIC_GIT_DIR
#   scripts/qdrant-local.sh start [STORAGE_DIR]     # REST 127.0.0.1:6333, gRPC 127.0.0.1:6334 (QDRANT_HTTP_PORT,
#                                                   # QDRANT_GRPC_PORT to run a second one beside it)
#   scripts/qdrant-local.sh stop
#   scripts/qdrant-local.sh status
#   scripts/qdrant-local.sh path                    # prints the binary's path
#
# The three *_GIT_DIR are git directories of qdrant/qdrant, tikv/raft-rs and qdrant/tonic (e.g. from the search
# tool's `fetch`). Cargo cannot reach GitHub here, so the two git dependencies Qdrant 1.19 takes are exported with
# `git archive` and patched in as path dependencies. qdrant/tonic's snapshot only has branch v0.14.5-qdrant where
# Qdrant wants v0.14.6-qdrant: that tree builds once its version says 0.14.6 and its workspace-inherited keys are
# written out (the crate is exported on its own, outside its workspace).
#
# Environment: QDRANT_CACHE (default ~/.cache/qdrant-build), QDRANT_PROFILE (default `perf`: Qdrant's own
# opt-level-3 profile without fat LTO; `release` adds fat LTO + 1 codegen unit and takes several times longer on
# 2 cores), QDRANT_JOBS (default 1, so other work on the machine keeps a core), QDRANT_TOOLCHAIN (default nightly:
# Qdrant 1.19 pins Rust 1.97), QDRANT_API_KEY (passed to the server when set).
set -euo pipefail
cache=${QDRANT_CACHE:-$HOME/.cache/qdrant-build}
profile=${QDRANT_PROFILE:-perf}
jobs=${QDRANT_JOBS:-1}
toolchain=${QDRANT_TOOLCHAIN:-nightly}
raft_rev=aafb07c7bab439c6139926a77dfafc5b10e9bc84
tonic_branch=v0.14.5-qdrant
http_port=${QDRANT_HTTP_PORT:-6333}
grpc_port=${QDRANT_GRPC_PORT:-6334}
bin=$cache/bin/qdrant
pidfile=$cache/qdrant-$grpc_port.pid
log=$cache/qdrant-$grpc_port.log

die() { echo "qdrant-local: $*" >&2; exit 1; }

# Exports only the folders a build needs: some large binaries (raft-rs media) are absent from snapshots.
export_tree() {
  local gitdir=$1 rev=$2 dest=$3 path
  shift 3
  rm -rf "$dest" && mkdir -p "$dest"
  for path in "$@"; do
    if [[ $path == . ]]; then
      git --git-dir="$gitdir" archive "$rev" | tar -x -C "$dest"
    elif [[ $(git --git-dir="$gitdir" cat-file -t "$rev:$path") == tree ]]; then
      # Archiving the subtree itself: with a pathspec, git still trips over absent blobs elsewhere in the tree.
      mkdir -p "$dest/$path"
      git --git-dir="$gitdir" archive "$rev:$path" | tar -x -C "$dest/$path"
    else
      git --git-dir="$gitdir" show "$rev:$path" >"$dest/$path"
    fi
  done
}

build() {
  local qdrant_git=${1:?qdrant git dir} raft_git=${2:?raft-rs git dir} tonic_git=${3:?tonic git dir}
  command -v protoc >/dev/null || die "protoc missing: apt-get install -y protobuf-compiler"
  local src=$cache/src deps=$cache/deps
  export_tree "$qdrant_git" HEAD "$src" .
  export_tree "$raft_git" "$raft_rev" "$deps/raft-rs" Cargo.toml src proto harness datadriven benches examples
  export_tree "$tonic_git" "$tonic_branch" "$deps/tonic-ws" tonic
  rm -rf "$deps/tonic" && mv "$deps/tonic-ws/tonic" "$deps/tonic" && rm -rf "$deps/tonic-ws"
  sed -i -e 's/^version = "0\.14\.5"/version = "0.14.6"/' \
    -e 's/^rust-version = {workspace = true}/rust-version = "1.75"/' "$deps/tonic/Cargo.toml"
  # `[lints] workspace = true` has no workspace to inherit from once exported alone.
  sed -i -e '/^\[lints\]/,/^workspace = true/d' "$deps/tonic/Cargo.toml"
  grep -q 'workspace = true' "$deps/tonic/Cargo.toml" && die "tonic manifest still inherits workspace keys"
  sed -i -e "s|git = \"https://github.com/tikv/raft-rs\", rev = \"$raft_rev\"|path = \"$deps/raft-rs\"|" \
    -e "s|raft-proto = { path = \"$deps/raft-rs\"|raft-proto = { path = \"$deps/raft-rs/proto\"|" \
    -e "s|tonic = { git = \"https://github.com/qdrant/tonic\", branch = \"v0.14.6-qdrant\" }|tonic = { path = \"$deps/tonic\" }|" \
    "$src/Cargo.toml"
  grep -q 'git = "' "$src/Cargo.toml" && die "Qdrant manifest still has a git dependency"
  (cd "$src" && nice -n 15 cargo "+$toolchain" build --profile "$profile" -j "$jobs" --bin qdrant)
  mkdir -p "$cache/bin"
  cp "$src/target/$profile/qdrant" "$bin"
  "$bin" --version
}

running() { [[ -f $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

start() {
  [[ -x $bin ]] || die "no binary at $bin: run '$0 build ...' first"
  running && die "already running (pid $(cat "$pidfile"))"
  local storage=${1:-$cache/storage-$grpc_port}
  mkdir -p "$storage/snapshots"
  # Started from the cache so Qdrant's relative defaults (./config, ./snapshots) never land in the caller's folder.
  (cd "$cache" && QDRANT__STORAGE__STORAGE_PATH=$storage QDRANT__STORAGE__SNAPSHOTS_PATH=$storage/snapshots \
    QDRANT__SERVICE__HOST=127.0.0.1 QDRANT__SERVICE__HTTP_PORT=$http_port QDRANT__SERVICE__GRPC_PORT=$grpc_port \
    QDRANT__TELEMETRY_DISABLED=true ${QDRANT_API_KEY:+QDRANT__SERVICE__API_KEY=$QDRANT_API_KEY} \
    nohup "$bin" >"$log" 2>&1 & echo $! >"$pidfile")
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$http_port/readyz" >/dev/null 2>&1; then
      echo "qdrant up: QDRANT_URL=http://127.0.0.1:$grpc_port QDRANT_REST_URL=http://127.0.0.1:$http_port," \
        "storage $storage, log $log"
      return 0
    fi
    running || die "qdrant exited; see $log"
    sleep 0.2
  done
  die "qdrant not ready after 20 s; see $log"
}

stop() {
  running || { echo "qdrant not running"; rm -f "$pidfile"; return 0; }
  local pid
  pid=$(cat "$pidfile")
  kill "$pid"
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  rm -f "$pidfile"
  echo "qdrant stopped"
}

case ${1:-} in
  build) shift; build "$@" ;;
  start) shift; start "$@" ;;
  stop) stop ;;
  status) if running; then echo "running (pid $(cat "$pidfile"))"; else echo "not running"; exit 1; fi ;;
  path) echo "$bin" ;;
  *) sed -n '2,22p' "$0" >&2; exit 2 ;;
esac
