#!/usr/bin/env bash
# Daily backup job (Render cron, `backup` image target): dump the session database with a checksum, copy it to
# off-site storage with rclone, and delete remote copies older than the retention window. At the end of every run,
# success or failure, the outcome goes to the Pushgateway (PUSHGATEWAY_URL, optional) so that Prometheus alerts on
# a failed run (RagBackupFailed) or on no success for 26 h (RagBackupMissing).
# With QDRANT_URL (and QDRANT_API_KEY) set, `server backup` also writes a snapshot of the Qdrant collection
# (vectors-<collection>-<stamp>.snapshot + .sha256), which goes off-site beside the dump.
# Needs DATABASE_URL and BACKUP_REMOTE (an rclone remote path such as s3:bucket/textbook, configured through
# RCLONE_CONFIG_<NAME>_* environment variables); BACKUP_RETENTION_DAYS defaults to 30.
set -euo pipefail
started=$(date +%s)
work=$(mktemp -d)
size=0

# Pushes the run's outcome; the last success time is only sent on success, so the Pushgateway keeps the previous
# one after a failure (a PUT would replace the whole group; POST replaces only these metric names).
report() {
  local ok=$1
  [[ -n "${PUSHGATEWAY_URL:-}" ]] || return 0
  local now
  now=$(date +%s)
  {
    echo "# TYPE rag_backup_last_run_success gauge"
    echo "rag_backup_last_run_success $ok"
    echo "# TYPE rag_backup_last_run_timestamp_seconds gauge"
    echo "rag_backup_last_run_timestamp_seconds $now"
    echo "# TYPE rag_backup_duration_seconds gauge"
    echo "rag_backup_duration_seconds $((now - started))"
    if [[ "$ok" == 1 ]]; then
      echo "# TYPE rag_backup_last_success_timestamp_seconds gauge"
      echo "rag_backup_last_success_timestamp_seconds $now"
      echo "# TYPE rag_backup_size_bytes gauge"
      echo "rag_backup_size_bytes $size"
    fi
  } | curl -fsS --max-time 10 --data-binary @- "${PUSHGATEWAY_URL%/}/metrics/job/rag-backup" \
    || echo "warning: could not report to $PUSHGATEWAY_URL" >&2
}

finish() {
  local status=$?
  if [[ $status -eq 0 ]]; then report 1; else report 0; fi
  rm -rf "$work"
  exit "$status"
}
trap finish EXIT

: "${DATABASE_URL:?DATABASE_URL is required}"
: "${BACKUP_REMOTE:?BACKUP_REMOTE is required (rclone remote path)}"
days="${BACKUP_RETENTION_DAYS:-30}"
"${SERVER_BIN:-/app/server}" backup --dir "$work" --keep-days "$days"
size=$(find "$work" \( -name 'sessions-*' -o -name 'vectors-*' \) -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
"${RCLONE:-rclone}" copy "$work" "$BACKUP_REMOTE" --include 'sessions-*' --include 'vectors-*'
"${RCLONE:-rclone}" delete "$BACKUP_REMOTE" --min-age "${days}d" --include 'sessions-*' --include 'vectors-*'
echo "backup uploaded to $BACKUP_REMOTE ($size bytes); remote copies older than ${days} days removed"
