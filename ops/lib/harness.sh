# shellcheck shell=bash
# Sourced (not run) by the ops scripts that start real processes on loopback: the restore drills and the
# monitoring integration runs. It gives them one temporary folder ($tmp), one list of processes to stop on exit
# ($pids), free ports and timing helpers, so each script says only what it starts and checks.
#   source ops/lib/harness.sh        (from the repository root)
# A script with more to undo on exit (a Qdrant started through scripts/qdrant-local.sh) defines `on_exit`; it
# runs first. KEEP_TMP=1 keeps the folder for a post-mortem.
tmp=$(mktemp -d)
pids=()
on_exit() { :; }
harness_cleanup() {
  on_exit || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [[ -n "${KEEP_TMP:-}" ]] || rm -rf "$tmp"
}
trap harness_cleanup EXIT
# A port the kernel has just handed out on loopback: free unless something grabs it in between.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# Waits up to 15 s for URL $1 to answer 2xx.
wait_url() { for _ in $(seq 1 150); do curl -fs "$1" >/dev/null && return 0; sleep 0.1; done; echo "never up: $1" >&2; return 1; }
# Waits up to 60 s for the server at base URL $1 to report ready.
wait_ready() { for _ in $(seq 1 600); do curl -fs "$1/ready" >/dev/null && return 0; sleep 0.1; done; return 1; }
now() { date +%s.%N; }
# Seconds from timestamp $1 to $2, two decimals.
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$1" "$2"; }
