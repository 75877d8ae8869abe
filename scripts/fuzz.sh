#!/usr/bin/env bash
# Fuzzes the code that reads untrusted input (SECURITY.md "Fuzzing"): the cargo-fuzz targets in fuzz/ run one after
# the other for SECONDS_PER_TARGET each (default 600 = the full run; 30 is a quick look), then one summary line per
# target. Exits non-zero when any target crashed; the crashing input is kept in fuzz/artifacts/<target>/ and
# `cargo +nightly fuzz run <target> <file>` replays it.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (targets: markdown_render chat_request corpus_record)
# Toolchain: nightly when installed (libFuzzer + AddressSanitizer); otherwise the pinned stable toolchain with
# RUSTC_BOOTSTRAP=1 and no sanitizer (Rust's own checks still turn every panic and overflow into a crash).
# FUZZ_SANITIZER=none|address overrides the sanitizer. New coverage-increasing inputs go to fuzz/target/corpus/
# (git-ignored, reused by the next run); fuzz/corpus/<target>/ holds the checked-in seeds and is only read;
# fuzz/dicts/<target>.dict gives libFuzzer the tokens of each format.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_FUZZ_VERSION=0.13.1
seconds=${1:-600}
if [[ ! $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
  exit 2
fi
shift $(($# > 0 ? 1 : 0))
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(markdown_render chat_request corpus_record)
fi

say() { printf '\033[1m[fuzz]\033[0m %s\n' "$*"; }

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  say "cargo install cargo-fuzz $CARGO_FUZZ_VERSION (a few minutes, once)"
  cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
fi

if rustup run nightly rustc --version >/dev/null 2>&1; then
  fuzz=(cargo +nightly fuzz)
  sanitizer=${FUZZ_SANITIZER:-address}
else
  export RUSTC_BOOTSTRAP=1
  fuzz=(cargo fuzz)
  sanitizer=${FUZZ_SANITIZER:-none}
fi
# The fuzz crate is its own workspace with its own target dir (fuzz/target); a CARGO_TARGET_DIR meant for the main
# workspace would mix release + sanitizer builds into it.
unset CARGO_TARGET_DIR
# Release build with debug assertions and overflow checks, as the tests run the code.
flags=(--debug-assertions --sanitizer "$sanitizer")

say "building ${targets[*]} (${fuzz[*]}, sanitizer $sanitizer; the first build takes a while)"
for t in "${targets[@]}"; do
  "${fuzz[@]}" build "${flags[@]}" "$t"
done

count_artifacts() {
  if [[ ! -d fuzz/artifacts/$1 ]]; then
    echo 0
    return
  fi
  find "fuzz/artifacts/$1" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l
}

mkdir -p fuzz/target/logs
summary=()
failed=0
for t in "${targets[@]}"; do
  work="fuzz/target/corpus/$t"
  log="fuzz/target/logs/$t.log"
  mkdir -p "$work"
  before=$(count_artifacts "$t")
  say "$t: ${seconds}s (log: $log)"
  args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=4096)
  if [[ -f fuzz/dicts/$t.dict ]]; then
    args+=(-dict="fuzz/dicts/$t.dict")
  fi
  status=0
  "${fuzz[@]}" run "${flags[@]}" "$t" "$work" "fuzz/corpus/$t" -- "${args[@]}" >"$log" 2>&1 || status=$?
  crashes=$(($(count_artifacts "$t") - before))
  # libFuzzer's final stats (-print_final_stats=1); the last "#N DONE" status line when they are missing.
  execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9]*\).*/\1/p' "$log" | tail -n1)
  if [[ -z $execs ]]; then
    execs=$(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*/\1/p' "$log" | tail -n1)
    rate=$(sed -n 's/^#[0-9]*[[:space:]]*DONE.*exec\/s: *\([0-9]*\).*/\1/p' "$log" | tail -n1)
  fi
  units=$(find "$work" -type f | wc -l)
  line=$(printf '%-16s executions %12s   execs/s %8s   crashes %d   corpus %d   exit %d' \
    "$t" "${execs:-?}" "${rate:-?}" "$crashes" "$units" "$status")
  if ((status != 0 || crashes > 0)); then
    failed=1
    line+="   <- FAILED, see $log and fuzz/artifacts/$t/"
    tail -n 40 "$log" >&2
  fi
  summary+=("$line")
done

say "summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
exit "$failed"
