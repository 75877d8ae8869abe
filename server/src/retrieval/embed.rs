//! Optional dense embeddings from an OpenAI-compatible `/embeddings` endpoint. When configured, every chunk also
//! gets a dense vector and queries fuse BM25 and dense results with Qdrant's reciprocal rank fusion.

use crate::config::EmbeddingsConfig;
use secrecy::ExposeSecret;
use serde::Deserialize;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error("embeddings endpoint: {0}")]
    Upstream(String),
    #[error("embeddings endpoint returned {got} vectors for {want} inputs")]
    Count { got: usize, want: usize },
}

#[derive(Deserialize)]
struct Response {
    data: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    index: usize,
    embedding: Vec<f32>,
}

#[derive(Clone)]
pub struct Embedder {
    http: reqwest::Client,
    cfg: EmbeddingsConfig,
    pub dim: usize,
}

const BATCH: usize = 64;

impl Embedder {
    /// Connects and learns the vector size from one probe request (the collection schema needs it).
    pub async fn connect(cfg: EmbeddingsConfig) -> Result<Embedder, EmbedError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| EmbedError::Upstream(e.to_string()))?;
        let mut e = Embedder { http, cfg, dim: 0 };
        let probe = e.embed(&["dimension probe".to_string()]).await?;
        e.dim = probe.first().map(Vec::len).unwrap_or(0);
        if e.dim == 0 {
            return Err(EmbedError::Upstream("empty embedding".into()));
        }
        Ok(e)
    }

    pub async fn embed(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, EmbedError> {
        let mut out = Vec::with_capacity(texts.len());
        for batch in texts.chunks(BATCH) {
            let mut req = self
                .http
                .post(format!("{}/embeddings", self.cfg.base_url))
                .json(&serde_json::json!({"model": self.cfg.model, "input": batch}));
            if let Some(k) = &self.cfg.api_key {
                req = req.bearer_auth(k.expose_secret());
            }
            let resp = req.send().await.map_err(|e| EmbedError::Upstream(e.to_string()))?;
            if !resp.status().is_success() {
                return Err(EmbedError::Upstream(format!("HTTP {}", resp.status())));
            }
            let mut body: Response = resp.json().await.map_err(|e| EmbedError::Upstream(e.to_string()))?;
            if body.data.len() != batch.len() {
                return Err(EmbedError::Count { got: body.data.len(), want: batch.len() });
            }
            body.data.sort_by_key(|i| i.index);
            out.extend(body.data.into_iter().map(|i| i.embedding));
        }
        Ok(out)
    }
}
