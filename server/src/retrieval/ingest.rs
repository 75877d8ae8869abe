//! Idempotent ingest: upsert chunks that are new, delete chunks that disappeared, skip everything when the corpus
//! hash matches the last successful ingest. Chunk ids are content hashes, so an existing id never needs rewriting.

use super::analyzer::Analyzer;
use super::embed::Embedder;
use super::{Chunk, Store, StoreError};
use crate::corpus::Corpus;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("embedding chunks: {0}")]
    Embeddings(String),
    #[error("index state file {path}: {message}")]
    State { path: String, message: String },
}

/// Bumped when what is stored per chunk changes for the same corpus (the analyzers' terms, the payload fields),
/// so an index built by an older server is rewritten even though the corpus hash matches.
/// 2: section kind and glossary pointer in the payload; Urdu function words dropped by the English analyzer.
/// 3: Urdu normalised and suffix-folded, question words ("mean", "happens") dropped.
pub const INDEX_SCHEMA: u32 = 3;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct IndexState {
    corpus_hash: String,
    backend: String,
    records: usize,
    /// Absent in state files written before the schema was recorded.
    #[serde(default)]
    schema: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct IngestReport {
    pub upserted: usize,
    pub deleted: usize,
    pub kept: usize,
    /// True when the manifest hash matched and nothing was touched.
    pub skipped: bool,
    pub elapsed: Duration,
}

impl std::fmt::Display for IngestReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.skipped {
            write!(f, "index up to date ({} chunks), nothing to do", self.kept)
        } else {
            write!(
                f,
                "upserted {}, deleted {}, kept {} chunks in {:.2}s",
                self.upserted,
                self.deleted,
                self.kept,
                self.elapsed.as_secs_f64()
            )
        }
    }
}

fn read_state(path: &Path) -> Option<IndexState> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

/// Whether the store already holds exactly this corpus, judged by the state file and the point count.
pub async fn is_current(store: &Store, corpus_hash: &str, state_path: &Path) -> Result<bool, StoreError> {
    match read_state(state_path) {
        Some(s) if s.corpus_hash == corpus_hash && s.backend == store.backend_name() && s.schema == INDEX_SCHEMA => {
            Ok(store.count().await? == s.records)
        }
        _ => Ok(false),
    }
}

pub async fn ingest(
    store: &Store,
    analyzer: &Analyzer,
    corpus: &Corpus,
    embedder: Option<&Embedder>,
    state_path: &Path,
    force: bool,
) -> Result<IngestReport, IngestError> {
    let started = Instant::now();
    if !force && is_current(store, &corpus.manifest.corpus_hash, state_path).await? {
        return Ok(IngestReport {
            upserted: 0,
            deleted: 0,
            kept: corpus.records.len(),
            skipped: true,
            elapsed: started.elapsed(),
        });
    }
    let existing = store.chunk_ids().await?;
    let wanted: HashSet<&str> = corpus.records.iter().map(|r| r.id.as_str()).collect();
    // Points written under an older schema carry other terms or payload fields: rewrite them all.
    let same_schema = read_state(state_path).is_some_and(|s| s.schema == INDEX_SCHEMA);
    let mut upserts: Vec<Chunk> = corpus
        .records
        .iter()
        .filter(|r| !(same_schema && existing.contains(&r.id)))
        .map(|r| Chunk { sparse: analyzer.document(r.locale, &r.text), record: r.clone(), dense: None })
        .collect();
    if let Some(e) = embedder {
        let texts: Vec<String> = upserts.iter().map(|c| format!("{}\n{}", c.record.title, c.record.text)).collect();
        let vectors = e.embed(&texts).await.map_err(|err| IngestError::Embeddings(err.to_string()))?;
        for (c, v) in upserts.iter_mut().zip(vectors) {
            c.dense = Some(v);
        }
    }
    let deletes: Vec<String> = existing.iter().filter(|id| !wanted.contains(id.as_str())).cloned().collect();
    let (upserted, deleted) = (upserts.len(), deletes.len());
    store.apply(upserts, deletes).await?;

    let state = IndexState {
        corpus_hash: corpus.manifest.corpus_hash.clone(),
        backend: store.backend_name().to_string(),
        records: corpus.records.len(),
        schema: INDEX_SCHEMA,
    };
    let state_err = |message: String| IngestError::State { path: state_path.display().to_string(), message };
    if let Some(dir) = state_path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| state_err(e.to_string()))?;
    }
    let body = serde_json::to_string_pretty(&state).map_err(|e| state_err(e.to_string()))?;
    // Write-then-rename so a crash never leaves a half-written state that claims a finished ingest.
    let tmp = state_path.with_extension("tmp");
    std::fs::write(&tmp, body).map_err(|e| state_err(e.to_string()))?;
    std::fs::rename(&tmp, state_path).map_err(|e| state_err(e.to_string()))?;
    Ok(IngestReport {
        upserted,
        deleted,
        kept: corpus.records.len() - upserted,
        skipped: false,
        elapsed: started.elapsed(),
    })
}
