//! Collection snapshots of a Qdrant server (self-hosted or Cloud) for disaster recovery, through its REST API
//! (the gRPC API can create snapshots but neither download nor recover them):
//! - backup: create a snapshot on the server, stream it into the backup directory while hashing it, check the hash
//!   against the one Qdrant reports, write `<file>.sha256`, then delete the server's copy (it would otherwise stay
//!   on the cluster's disk);
//! - restore: verify the `.sha256`, then upload the file to `/collections/{name}/snapshots/upload` with the checksum,
//!   which creates the collection (or replaces its contents) from the snapshot, on an empty Qdrant as well.
//!
//! The alternative kept in the runbook: rebuild the collection from the published corpus with `server ingest`.

use crate::config::QdrantConfig;
use futures::StreamExt;
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::AsyncWriteExt;

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("Qdrant snapshots need its REST URL: set QDRANT_REST_URL (QDRANT_URL {0} is not on port 6334)")]
    NoRestUrl(String),
    #[error("{what}: {source}")]
    Http { what: String, source: reqwest::Error },
    #[error("{what}: Qdrant answered HTTP {status}: {body}")]
    Status { what: String, status: u16, body: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Checksum(String),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SnapshotError + '_ {
    move |source| SnapshotError::Io { path: path.to_path_buf(), source }
}

/// What Qdrant reports for a snapshot it made.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct SnapshotDescription {
    pub name: String,
    pub size: u64,
    pub checksum: Option<String>,
}

#[derive(serde::Deserialize)]
struct Envelope<T> {
    result: T,
}

pub struct SnapshotClient {
    http: reqwest::Client,
    base: String,
    api_key: Option<SecretString>,
    pub collection: String,
}

/// The path of a file's checksum: `<file>.sha256`, in `sha256sum` format (as the session backups).
pub fn checksum_path(file: &Path) -> PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push(".sha256");
    PathBuf::from(s)
}

/// True for a file name the backup job writes for the vector store (`vectors-*.snapshot`).
pub fn is_snapshot_file(name: &str) -> bool {
    name.starts_with("vectors-") && name.ends_with(".snapshot")
}

impl SnapshotClient {
    pub fn new(cfg: &QdrantConfig) -> Result<SnapshotClient, SnapshotError> {
        let base = cfg.rest_url.clone().ok_or_else(|| SnapshotError::NoRestUrl(cfg.url.clone()))?;
        // No overall timeout: a snapshot of a large collection takes as long as it takes to write and transfer;
        // a dead connection still fails through the connect timeout and TCP keepalive.
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .tcp_keepalive(Duration::from_secs(30))
            .build()
            .map_err(|source| SnapshotError::Http { what: "building the HTTP client".into(), source })?;
        Ok(SnapshotClient { http, base, api_key: cfg.api_key.clone(), collection: cfg.collection.clone() })
    }

    fn url(&self, tail: &str) -> String {
        format!("{}/collections/{}/snapshots{tail}", self.base, self.collection)
    }

    async fn send(&self, req: reqwest::RequestBuilder, what: &str) -> Result<reqwest::Response, SnapshotError> {
        let req = match &self.api_key {
            Some(k) => req.header("api-key", k.expose_secret()),
            None => req,
        };
        let resp = req.send().await.map_err(|source| SnapshotError::Http { what: what.into(), source })?;
        if !resp.status().is_success() {
            let status = resp.status().as_u16();
            let body: String = resp.text().await.unwrap_or_default().chars().take(500).collect();
            return Err(SnapshotError::Status { what: what.into(), status, body });
        }
        Ok(resp)
    }

    /// Asks Qdrant for a new snapshot of the collection and waits until it is written.
    pub async fn create(&self) -> Result<SnapshotDescription, SnapshotError> {
        let what = format!("creating a snapshot of {}", self.collection);
        let resp = self.send(self.http.post(self.url("?wait=true")), &what).await?;
        let env: Envelope<SnapshotDescription> =
            resp.json().await.map_err(|source| SnapshotError::Http { what, source })?;
        Ok(env.result)
    }

    /// Streams the snapshot `name` into `dest`; returns the file's SHA-256 (hex).
    pub async fn download(&self, name: &str, dest: &Path) -> Result<String, SnapshotError> {
        let what = format!("downloading snapshot {name}");
        let resp = self.send(self.http.get(self.url(&format!("/{name}"))), &what).await?;
        let mut file = tokio::fs::File::create(dest).await.map_err(io(dest))?;
        let mut hash = Sha256::new();
        let mut body = resp.bytes_stream();
        while let Some(chunk) = body.next().await {
            let chunk = chunk.map_err(|source| SnapshotError::Http { what: what.clone(), source })?;
            hash.update(&chunk);
            file.write_all(&chunk).await.map_err(io(dest))?;
        }
        file.sync_all().await.map_err(io(dest))?;
        Ok(hex::encode(hash.finalize()))
    }

    pub async fn delete(&self, name: &str) -> Result<(), SnapshotError> {
        let what = format!("deleting snapshot {name} from Qdrant");
        self.send(self.http.delete(self.url(&format!("/{name}?wait=true"))), &what).await?;
        Ok(())
    }

    /// Takes a snapshot into `dir` as `vectors-<collection>-<stamp>.snapshot` with its `.sha256`; returns the path.
    pub async fn backup(&self, dir: &Path, stamp: &str) -> Result<PathBuf, SnapshotError> {
        tokio::fs::create_dir_all(dir).await.map_err(io(dir))?;
        let snap = self.create().await?;
        let file = dir.join(format!("vectors-{}-{stamp}.snapshot", self.collection));
        let downloaded = self.download(&snap.name, &file).await;
        // The server's copy goes whatever happened: a failed run must not leave snapshots filling the cluster.
        let deleted = self.delete(&snap.name).await;
        let sum = downloaded?;
        if let Some(expected) = snap.checksum.as_deref()
            && !expected.eq_ignore_ascii_case(&sum)
        {
            let _ = tokio::fs::remove_file(&file).await;
            return Err(SnapshotError::Checksum(format!(
                "snapshot {}: Qdrant reported SHA-256 {expected}, the download has {sum}",
                snap.name
            )));
        }
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let sums = checksum_path(&file);
        tokio::fs::write(&sums, format!("{sum}  {name}\n")).await.map_err(io(&sums))?;
        deleted?;
        Ok(file)
    }

    /// Verifies `file` against its `.sha256`, then recovers the collection from it (created if absent, its
    /// contents replaced if present). Qdrant checks the same checksum on its side before recovering.
    pub async fn restore(&self, file: &Path) -> Result<(), SnapshotError> {
        let sums = checksum_path(file);
        let expected = tokio::fs::read_to_string(&sums).await.map_err(|_| {
            SnapshotError::Checksum(format!(
                "{} is missing; refusing to restore an unverified snapshot",
                sums.display()
            ))
        })?;
        let expected = expected.split_whitespace().next().unwrap_or("").to_string();
        let actual = crate::backup::sha256_file(file).map_err(|e| SnapshotError::Checksum(format!("{e:#}")))?;
        if expected != actual {
            return Err(SnapshotError::Checksum(format!(
                "{}: checksum mismatch (expected {expected}, got {actual}); the snapshot is damaged",
                file.display()
            )));
        }
        let f = tokio::fs::File::open(file).await.map_err(io(file))?;
        let len = f.metadata().await.map_err(io(file))?.len();
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let part = reqwest::multipart::Part::stream_with_length(reqwest::Body::from(f), len).file_name(name);
        let form = reqwest::multipart::Form::new().part("snapshot", part);
        // priority=snapshot: the snapshot's data wins over whatever the collection holds (this is a restore).
        let url = self.url(&format!("/upload?wait=true&priority=snapshot&checksum={actual}"));
        let what = format!("recovering {} from {}", self.collection, file.display());
        self.send(self.http.post(url).multipart(form), &what).await?;
        Ok(())
    }
}
