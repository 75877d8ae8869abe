//! Everything a request handler needs, built once at start-up.

use crate::answer::llm::LlmClient;
use crate::config::Config;
use crate::corpus;
use crate::faults::Faults;
use crate::http::ratelimit::RateLimiters;
use crate::retrieval::analyzer::Analyzer;
use crate::retrieval::edge::EdgeStore;
use crate::retrieval::embed::Embedder;
use crate::retrieval::ingest::{self, IngestReport};
use crate::retrieval::qdrant::QdrantStore;
use crate::retrieval::{Backend, Retriever, Store};
use crate::sessions::{SessionStore, TurnWriter};
use anyhow::Context;
use metrics_exporter_prometheus::PrometheusHandle;
use secrecy::ExposeSecret;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::Mutex;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub retriever: Arc<Retriever>,
    pub sessions: SessionStore,
    /// Stores answered turns in batches (group commit); see `sessions::writer`.
    pub turns: TurnWriter,
    pub llm: Option<LlmClient>,
    pub limiters: Arc<RateLimiters>,
    pub metrics: PrometheusHandle,
    /// Serialises ingests (start-up, admin reindex) so two never interleave.
    pub ingest_lock: Arc<Mutex<()>>,
    pub faults: Arc<Faults>,
}

pub async fn open_store(config: &Config, dense_dim: Option<usize>, faults: Arc<Faults>) -> anyhow::Result<Store> {
    let backend = match &config.qdrant {
        Some(q) => Backend::Qdrant(
            QdrantStore::connect(q, dense_dim).await.with_context(|| format!("connecting to {}", q.url))?,
        ),
        None => Backend::Edge(
            EdgeStore::open(&config.data_dir, dense_dim)
                .with_context(|| format!("opening the embedded index under {}", config.data_dir.display()))?,
        ),
    };
    Ok(Store::new(backend, faults))
}

impl AppState {
    pub async fn build(config: Config) -> anyhow::Result<AppState> {
        std::fs::create_dir_all(&config.data_dir)
            .with_context(|| format!("creating DATA_DIR {}", config.data_dir.display()))?;
        let embedder = match &config.embeddings {
            Some(e) => Some(
                Embedder::connect(e.clone())
                    .await
                    .with_context(|| format!("EMBEDDINGS_BASE_URL {} did not answer a probe", e.base_url))?,
            ),
            None => None,
        };
        let faults = Arc::new(Faults::default());
        let store = open_store(&config, embedder.as_ref().map(|e| e.dim), faults.clone()).await?;
        let analyzer = Arc::new(Analyzer::new()?);
        let sessions = SessionStore::connect(config.database_url.expose_secret(), 10)
            .await
            .context("connecting to DATABASE_URL")?;
        sessions.migrate().await?;
        let llm = config.llm.clone().map(LlmClient::new);
        let limiters = Arc::new(RateLimiters::new(
            config.rate_per_ip_per_min,
            config.rate_per_key_per_min,
            config.admin_rate_per_min,
        ));
        let retriever = Arc::new(Retriever {
            store,
            analyzer,
            threshold: config.relevance_threshold,
            embedder,
            profiles: Default::default(),
        });
        Ok(AppState {
            config: Arc::new(config),
            retriever,
            turns: TurnWriter::spawn(sessions.clone()),
            sessions,
            llm,
            limiters,
            metrics: crate::metrics::install(),
            ingest_lock: Arc::new(Mutex::new(())),
            faults,
        })
    }

    pub fn index_state_path(&self) -> PathBuf {
        self.config.data_dir.join("index-state.json")
    }

    /// Loads the corpus from `source` (or the configured one) and brings the index up to date.
    pub async fn ingest(&self, source: Option<&str>, force: bool) -> anyhow::Result<IngestReport> {
        let _guard = self.ingest_lock.lock().await;
        let source = source.unwrap_or(&self.config.corpus_source);
        let corpus = corpus::load(source).await.with_context(|| format!("loading the corpus from {source}"))?;
        let report = ingest::ingest(
            &self.retriever.store,
            &self.retriever.analyzer,
            &corpus,
            self.retriever.embedder.as_ref(),
            &self.index_state_path(),
            force,
        )
        .await?;
        // Ranking and grounding read per-chunk analysis and corpus statistics: computed here, once per corpus.
        self.retriever.profiles.load(&self.retriever.analyzer, &corpus.records);
        Ok(report)
    }
}
