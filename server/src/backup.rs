//! Session-database backups with checksums and retention, and verified restores.
//! - PostgreSQL: `pg_dump --format=custom` (the client must be at least the server's major version), restored
//!   with `pg_restore --clean --if-exists`.
//! - SQLite: `VACUUM INTO`, a consistent online copy even while the server writes (never a raw file copy).
//!
//! The vector index: in embedded mode it is rebuilt from the corpus by `server ingest` (timed in the runbook); with
//! a Qdrant server (`QDRANT_URL`) the backup job also takes a collection snapshot (`retrieval::snapshot`) into the
//! same directory, `vectors-<collection>-<stamp>.snapshot`, pruned with the session backups.

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, SystemTime};

pub fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let mut f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h).with_context(|| format!("reading {}", path.display()))?;
    Ok(hex::encode(h.finalize()))
}

fn checksum_path(file: &Path) -> PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push(".sha256");
    PathBuf::from(s)
}

fn sqlite_path(url: &str) -> anyhow::Result<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).context("not a sqlite URL")?;
    Ok(PathBuf::from(rest.split('?').next().unwrap_or(rest)))
}

fn run(cmd: &mut Command, what: &str) -> anyhow::Result<()> {
    let out = cmd.output().with_context(|| format!("starting {what} (is the PostgreSQL client installed?)"))?;
    if !out.status.success() {
        bail!("{what} failed: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    Ok(())
}

/// The UTC time stamp in backup file names, shared by the session backup and the vector snapshot of one run.
pub fn stamp_now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::macros::format_description!("[year][month][day]T[hour][minute][second]Z"))
        .unwrap_or_else(|_| "backup".into())
}

/// Writes one backup into `dir` and its `.sha256` beside it; returns the backup's path.
pub async fn backup(database_url: &str, dir: &Path) -> anyhow::Result<PathBuf> {
    backup_at(database_url, dir, &stamp_now()).await
}

/// [`backup`] with the file name's time stamp given.
pub async fn backup_at(database_url: &str, dir: &Path, stamp: &str) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let file = if database_url.starts_with("postgres") {
        let file = dir.join(format!("sessions-{stamp}.dump"));
        run(
            Command::new("pg_dump").args(["--format=custom", "--no-owner", "--file"]).arg(&file).arg(database_url),
            "pg_dump",
        )?;
        file
    } else {
        let file = dir.join(format!("sessions-{stamp}.sqlite"));
        let store = crate::sessions::SessionStore::connect(database_url, 1).await?;
        store.vacuum_into(&file).await?;
        file
    };
    let sum = sha256_file(&file)?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    std::fs::write(checksum_path(&file), format!("{sum}  {name}\n"))?;
    Ok(file)
}

/// Deletes backups (and their checksums) in `dir` older than `keep`; returns how many backups went.
pub fn prune(dir: &Path, keep: Duration) -> anyhow::Result<usize> {
    let now = SystemTime::now();
    let mut removed = 0;
    for entry in std::fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let is_backup = (name.starts_with("sessions-") && (name.ends_with(".dump") || name.ends_with(".sqlite")))
            || crate::retrieval::snapshot::is_snapshot_file(&name);
        if !is_backup {
            // Checksum files go with their backup below; the listing may still name ones already removed.
            continue;
        }
        let age = std::fs::metadata(&path)?.modified().ok().and_then(|m| now.duration_since(m).ok());
        if age.is_some_and(|a| a > keep) {
            std::fs::remove_file(&path)?;
            let _ = std::fs::remove_file(checksum_path(&path));
            removed += 1;
        }
    }
    Ok(removed)
}

/// Verifies the checksum, then restores `file` into the database at `database_url`, replacing its contents.
pub async fn restore(database_url: &str, file: &Path) -> anyhow::Result<()> {
    let expected = std::fs::read_to_string(checksum_path(file))
        .with_context(|| format!("{}.sha256 is missing; refusing to restore an unverified backup", file.display()))?;
    let expected = expected.split_whitespace().next().unwrap_or("");
    let actual = sha256_file(file)?;
    if expected != actual {
        bail!("{}: checksum mismatch (expected {expected}, got {actual}); the backup is damaged", file.display());
    }
    if database_url.starts_with("postgres") {
        run(
            Command::new("pg_restore")
                .args(["--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname"])
                .arg(database_url)
                .arg(file),
            "pg_restore",
        )?;
    } else {
        // The server must be stopped: the database file is replaced whole (with its WAL side files removed).
        let target = sqlite_path(database_url)?;
        for side in ["-wal", "-shm"] {
            let mut p = target.as_os_str().to_owned();
            p.push(side);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
        std::fs::copy(file, &target).with_context(|| format!("writing {}", target.display()))?;
    }
    Ok(())
}
