#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (Debian's package) on 127.0.0.1 for the tests and prints its URL.
#   eval "$(scripts/pg-test-server.sh start)"   -> exports TEST_DATABASE_URL and PG_TEST_DIR
#   scripts/pg-test-server.sh stop "$PG_TEST_DIR"
#   scripts/pg-test-server.sh pause|resume "$PG_TEST_DIR"   (outage tests: stop and restart, keeping the data)
set -euo pipefail
bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -1)
[[ -n "$bin" ]] || { echo "PostgreSQL is not installed (scripts/setup.sh --test installs it)" >&2; exit 1; }

as_pg() {
  # initdb refuses to run as root; run the cluster as the postgres system user then.
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    dir=$(mktemp -d /tmp/pg-test.XXXXXX)
    [[ $(id -u) -eq 0 ]] && chown postgres "$dir"
    port=${PG_TEST_PORT:-55432}
    as_pg "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >"$dir/initdb.log" 2>&1
    opts="-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off"
    echo "$opts" >"$dir/opts"
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$opts" start >/dev/null
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres textbook_test
    echo "export PG_TEST_DIR=$dir"
    echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$port/textbook_test"
    ;;
  stop)
    dir=${2:?usage: stop DIR}
    as_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    ;;
  pause)
    dir=${2:?usage: pause DIR}
    as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null
    ;;
  resume)
    dir=${2:?usage: resume DIR}
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o "$(cat "$dir/opts")" start >/dev/null
    ;;
  *) echo "usage: $0 start | stop DIR | pause DIR | resume DIR" >&2; exit 2 ;;
esac
