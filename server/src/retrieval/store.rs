//! The vector store the retriever searches: the configured backend behind the fault-injection switch, so an
//! injected outage fails exactly where a real one would (searches and the readiness count), not in each caller.

use super::analyzer::Sparse;
use super::{Chunk, Hit, StoreError, edge, qdrant};
use crate::faults::Faults;
use protocol::Locale;
use std::collections::HashSet;
use std::sync::Arc;

/// The backend and the fault switches (see `crate::faults`; all off unless an admin sets them).
#[derive(Clone)]
pub struct Store {
    pub backend: Backend,
    faults: Arc<Faults>,
}

impl Store {
    pub fn new(backend: Backend, faults: Arc<Faults>) -> Store {
        Store { backend, faults }
    }

    /// An injected outage answers like an unreachable store. Ingest (`chunk_ids`, `apply`) is not affected, so
    /// an admin can still reindex during an incident drill.
    fn check_faults(&self) -> Result<(), StoreError> {
        if self.faults.vector_store_down() {
            return Err(StoreError::Unavailable("injected outage".into()));
        }
        Ok(())
    }

    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    pub async fn search(
        &self,
        q: &Sparse,
        dense: Option<&[f32]>,
        locale: Locale,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        self.check_faults()?;
        self.backend.search(q, dense, locale, limit).await
    }

    pub async fn count(&self) -> Result<usize, StoreError> {
        self.check_faults()?;
        self.backend.count().await
    }

    pub async fn chunk_ids(&self) -> Result<HashSet<String>, StoreError> {
        self.backend.chunk_ids().await
    }

    pub async fn apply(&self, upserts: Vec<Chunk>, deletes: Vec<String>) -> Result<(), StoreError> {
        self.backend.apply(upserts, deletes).await
    }
}

/// The configured backend. An enum rather than a trait object: two variants, no boxing of async calls.
#[derive(Clone)]
pub enum Backend {
    Edge(edge::EdgeStore),
    Qdrant(qdrant::QdrantStore),
}

impl Backend {
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Edge(_) => "qdrant-edge",
            Backend::Qdrant(_) => "qdrant",
        }
    }

    pub async fn search(
        &self,
        q: &Sparse,
        dense: Option<&[f32]>,
        locale: Locale,
        limit: usize,
    ) -> Result<Vec<Hit>, StoreError> {
        match self {
            Backend::Edge(s) => s.search(q, dense, locale, limit),
            Backend::Qdrant(s) => s.search(q, dense, locale, limit).await,
        }
    }

    pub async fn count(&self) -> Result<usize, StoreError> {
        match self {
            Backend::Edge(s) => s.count(),
            Backend::Qdrant(s) => s.count().await,
        }
    }

    pub async fn chunk_ids(&self) -> Result<HashSet<String>, StoreError> {
        match self {
            Backend::Edge(s) => {
                let s = s.clone();
                tokio::task::spawn_blocking(move || s.chunk_ids())
                    .await
                    .map_err(|e| StoreError::Backend(e.to_string()))?
            }
            Backend::Qdrant(s) => s.chunk_ids().await,
        }
    }

    pub async fn apply(&self, upserts: Vec<Chunk>, deletes: Vec<String>) -> Result<(), StoreError> {
        match self {
            Backend::Edge(s) => {
                let s = s.clone();
                tokio::task::spawn_blocking(move || {
                    for batch in upserts.chunks(256) {
                        s.upsert(batch)?;
                    }
                    s.delete(&deletes)?;
                    s.commit()
                })
                .await
                .map_err(|e| StoreError::Backend(e.to_string()))?
            }
            Backend::Qdrant(s) => {
                for batch in upserts.chunks(256) {
                    s.upsert(batch).await?;
                }
                s.delete(&deletes).await
            }
        }
    }
}
