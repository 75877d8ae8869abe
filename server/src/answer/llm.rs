//! OpenAI-compatible chat completions with streaming (OpenAI, Ollama, vLLM, gateways: anything at `LLM_BASE_URL`).

use super::prompt::ChatMessage;
use crate::config::LlmConfig;
use eventsource_stream::Eventsource;
use futures::{Stream, StreamExt};
use protocol::Usage;
use secrecy::ExposeSecret;
use serde::Deserialize;
use std::pin::Pin;

#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("LLM upstream timed out")]
    Timeout,
    #[error("LLM upstream answered HTTP {0}")]
    Status(u16),
    #[error("LLM upstream unreachable: {0}")]
    Transport(String),
    #[error("LLM upstream sent an unreadable response: {0}")]
    Protocol(String),
}

impl LlmError {
    /// The `reason` label of `rag_query_errors_total`.
    pub fn reason(&self) -> &'static str {
        match self {
            LlmError::Timeout => "llm_timeout",
            _ => "llm_upstream",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum LlmEvent {
    Delta(String),
    Usage(Usage),
}

pub type LlmStream = Pin<Box<dyn Stream<Item = Result<LlmEvent, LlmError>> + Send>>;

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<Choice>,
    usage: Option<ApiUsage>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    delta: Delta,
}

#[derive(Deserialize, Default)]
struct Delta {
    content: Option<String>,
}

#[derive(Deserialize)]
struct ApiUsage {
    prompt_tokens: u32,
    completion_tokens: u32,
}

#[derive(Clone)]
pub struct LlmClient {
    http: reqwest::Client,
    pub cfg: LlmConfig,
}

impl LlmClient {
    pub fn new(cfg: LlmConfig) -> LlmClient {
        let http = reqwest::Client::builder()
            .connect_timeout(std::time::Duration::from_secs(5))
            .build()
            .unwrap_or_else(|_| reqwest::Client::new());
        LlmClient { http, cfg }
    }

    /// Starts a streamed completion. Resolves once the upstream accepted the request; each item is then bounded
    /// by the configured timeout, so a stalled upstream ends in `LlmError::Timeout` rather than a hung stream.
    #[tracing::instrument(name = "llm.generate", skip_all, fields(model = %self.cfg.model))]
    pub async fn stream(&self, messages: &[ChatMessage]) -> Result<LlmStream, LlmError> {
        let body = serde_json::json!({
            "model": self.cfg.model,
            "messages": messages,
            "stream": true,
            "stream_options": {"include_usage": true},
            "max_tokens": self.cfg.max_tokens,
            "temperature": 0.2,
        });
        let mut req = self.http.post(format!("{}/chat/completions", self.cfg.base_url)).json(&body);
        if let Some(key) = &self.cfg.api_key {
            req = req.bearer_auth(key.expose_secret());
        }
        let timeout = self.cfg.timeout;
        let resp = tokio::time::timeout(timeout, req.send())
            .await
            .map_err(|_| LlmError::Timeout)?
            .map_err(|e| if e.is_timeout() { LlmError::Timeout } else { LlmError::Transport(e.to_string()) })?;
        if !resp.status().is_success() {
            return Err(LlmError::Status(resp.status().as_u16()));
        }
        let mut events = resp.bytes_stream().eventsource();
        let stream = async_stream::stream! {
            loop {
                let next = match tokio::time::timeout(timeout, events.next()).await {
                    Err(_) => { yield Err(LlmError::Timeout); break; }
                    Ok(None) => break,
                    Ok(Some(Err(e))) => { yield Err(LlmError::Protocol(e.to_string())); break; }
                    Ok(Some(Ok(ev))) => ev,
                };
                if next.data.trim() == "[DONE]" {
                    break;
                }
                let chunk: Chunk = match serde_json::from_str(&next.data) {
                    Ok(c) => c,
                    Err(e) => { yield Err(LlmError::Protocol(e.to_string())); break; }
                };
                if let Some(u) = chunk.usage {
                    yield Ok(LlmEvent::Usage(Usage { prompt_tokens: u.prompt_tokens, completion_tokens: u.completion_tokens }));
                }
                for c in chunk.choices {
                    if let Some(text) = c.delta.content.filter(|t| !t.is_empty()) {
                        yield Ok(LlmEvent::Delta(text));
                    }
                }
            }
        };
        Ok(Box::pin(stream))
    }

    pub fn cost_usd(&self, usage: Usage) -> f64 {
        (usage.prompt_tokens as f64 * self.cfg.price_prompt_per_m
            + usage.completion_tokens as f64 * self.cfg.price_completion_per_m)
            / 1_000_000.0
    }
}

/// Rough token estimate (~4 characters per token) for upstreams that do not report usage.
pub fn estimate_tokens(text: &str) -> u32 {
    (text.chars().count() as u32).div_ceil(4)
}
