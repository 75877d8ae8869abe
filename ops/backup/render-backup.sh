#!/usr/bin/env bash
# Daily backup job (Render cron, `backup` image target): dump the session database with a checksum, copy it to
# off-site storage with rclone, and delete remote copies older than the retention window.
# Needs DATABASE_URL and BACKUP_REMOTE (an rclone remote path such as s3:bucket/textbook, configured through
# RCLONE_CONFIG_<NAME>_* environment variables); BACKUP_RETENTION_DAYS defaults to 30.
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL is required}"
: "${BACKUP_REMOTE:?BACKUP_REMOTE is required (rclone remote path)}"
days="${BACKUP_RETENTION_DAYS:-30}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/app/server backup --dir "$work" --keep-days "$days"
rclone copy "$work" "$BACKUP_REMOTE" --include 'sessions-*'
rclone delete "$BACKUP_REMOTE" --min-age "${days}d" --include 'sessions-*'
echo "backup uploaded to $BACKUP_REMOTE; remote copies older than ${days} days removed"
