//! The chat pipeline shared by `POST /api/chat` and its SSE twin: validate, retrieve, decide the answer mode,
//! produce the answer as a stream of text pieces, and record it.

use crate::answer::llm::{LlmEvent, LlmStream, estimate_tokens};
use crate::answer::{citations, extractive, messages, prompt};
use crate::error::AppError;
use crate::sessions::{StoredMessage, Turn};
use crate::state::AppState;
use futures::StreamExt;
use protocol::{
    AnswerMode, ChatRequest, DoneEvent, Locale, MAX_QUERY_CHARS, MAX_SELECTED_TEXT_CHARS, Role, Source, SourcesEvent,
    Usage,
};
use std::time::Instant;

const TOP_K: usize = 4;
const HISTORY_TURNS: i64 = 4;

/// Everything known before the first answer token: what the `sources` SSE event carries.
pub struct Prepared {
    pub sources: Vec<Source>,
    pub session_id: String,
    pub message_id: String,
    pub mode: AnswerMode,
    pub grounded: bool,
    pub fallback_locale: Option<Locale>,
    pub locale: Locale,
    /// False when the session store already failed during this request: the turn is then not written.
    pub saved: bool,
    new_session: bool,
    question: StoredMessage,
    body: Body,
    started: Instant,
    extractive_text: String,
}

enum Body {
    Text(String),
    Llm { stream: LlmStream, first: Option<LlmEvent>, started: Instant },
}

pub fn validate(req: &ChatRequest) -> Result<(), AppError> {
    let q = req.query.trim();
    if q.is_empty() {
        return Err(AppError::invalid_field("query", "query must not be empty"));
    }
    if req.query.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::invalid_field("query", format!("query is longer than {MAX_QUERY_CHARS} characters")));
    }
    if let Some(s) = &req.selected_text
        && s.chars().count() > MAX_SELECTED_TEXT_CHARS
    {
        return Err(AppError::invalid_field(
            "selected_text",
            format!("selected_text is longer than {MAX_SELECTED_TEXT_CHARS} characters"),
        ));
    }
    crate::http::validate::storable_text("query", &req.query)?;
    if let Some(s) = &req.selected_text {
        crate::http::validate::storable_text("selected_text", s)?;
    }
    if let Some(id) = &req.session_id {
        crate::http::validate::issued_id("session_id", id)?;
    }
    if let Some(p) = &req.page_url
        && (p.len() > 500 || !p.starts_with('/'))
    {
        return Err(AppError::invalid_field("page_url", "page_url must be a site path starting with /"));
    }
    Ok(())
}

pub async fn prepare(state: &AppState, req: ChatRequest) -> Result<Prepared, AppError> {
    let started = Instant::now();
    validate(&req).inspect_err(|_| {
        metrics::counter!("rag_query_errors_total", "reason" => "validation").increment(1);
    })?;
    let injected_latency = state.faults.latency();
    if !injected_latency.is_zero() {
        tokio::time::sleep(injected_latency).await;
    }
    if state.faults.should_fail() {
        metrics::counter!("rag_query_errors_total", "reason" => "internal").increment(1);
        return Err(AppError::unavailable("the answer service (injected fault)"));
    }
    let requested = req.session_id.as_deref().and_then(|id| crate::http::validate::issued_id("session_id", id).ok());
    // A failed history read means the store is down: answer without history and skip the save below rather
    // than wait for the store a second time.
    let mut store_up = true;
    let history = match &requested {
        Some(id) => state.sessions.recent_turns(id, HISTORY_TURNS).await.unwrap_or_else(|e| {
            tracing::error!(error = %e, "could not read the session history; answering without it");
            store_up = false;
            Vec::new()
        }),
        None => Vec::new(),
    };
    // Only sessions this server issued are continued: a session exists once its first turn is stored, so an id
    // with no stored messages (made up by the client, erased or expired) starts a new session under a fresh id.
    let continued = requested.filter(|_| !history.is_empty() || !store_up);
    let new_session = continued.is_none();
    let session_id = continued.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let text = crate::retrieval::followup::retrieval_text(&req.query, req.selected_text.as_deref(), &history);
    let mut grounding = vec![req.query.as_str()];
    if let Some(sel) = &req.selected_text {
        grounding.push(sel.as_str());
    }
    let retrieved = if state.faults.vector_store_down() {
        Err(crate::retrieval::StoreError::Unavailable("injected outage".into()))
    } else {
        state.retriever.retrieve(&text, &grounding, req.locale, req.page_url.as_deref(), TOP_K).await
    };
    let retrieved = retrieved.map_err(|e| {
        metrics::counter!("rag_query_errors_total", "reason" => "retrieval").increment(1);
        tracing::error!(error = %e, "retrieval failed");
        AppError::unavailable("the textbook search")
    })?;
    let shown = if retrieved.grounded { TOP_K } else { 3 };
    let sources: Vec<Source> = citations(&retrieved.hits, shown);
    let extractive_text =
        extractive::compose(&retrieved, &state.retriever.analyzer, &state.retriever.profiles, req.locale);

    let mut body = Body::Text(extractive_text.clone());
    let mut mode = AnswerMode::Extractive;
    if retrieved.grounded
        && let Some(llm) = &state.llm
    {
        let msgs = prompt::build(&prompt::PromptInput {
            question: &req.query,
            selected_text: req.selected_text.as_deref(),
            hits: &retrieved.hits,
            reader: req.locale,
            history: &history,
        });
        let llm_started = Instant::now();
        // Wait for the first event so a dead upstream turns into an extractive answer, not a broken stream.
        let first = match llm.stream(&msgs).await {
            Ok(mut s) => match s.next().await {
                Some(Ok(ev)) => Ok((s, ev)),
                Some(Err(e)) => Err(e),
                None => Err(crate::answer::llm::LlmError::Protocol("empty response".into())),
            },
            Err(e) => Err(e),
        };
        match first {
            Ok((stream, ev)) => {
                mode = AnswerMode::Llm;
                body = Body::Llm { stream, first: Some(ev), started: llm_started };
            }
            Err(e) => {
                metrics::counter!("rag_query_errors_total", "reason" => e.reason()).increment(1);
                tracing::warn!(error = %e, "LLM failed; answering extractively");
            }
        }
    }

    // The question is stored with its answer, as one turn, once the answer is complete (see `run`).
    let question = StoredMessage {
        id: uuid::Uuid::now_v7().to_string(),
        role: Role::User,
        content: req.query.clone(),
        selected_text: req.selected_text.clone(),
        sources: Vec::new(),
        mode: None,
        grounded: None,
        prompt_tokens: 0,
        completion_tokens: 0,
        created_at: crate::sessions::now_ms(),
    };
    tracing::debug!(query = %req.query, "chat query");
    Ok(Prepared {
        sources,
        session_id,
        message_id: uuid::Uuid::now_v7().to_string(),
        mode,
        grounded: retrieved.grounded,
        fallback_locale: retrieved.fallback_locale,
        locale: req.locale,
        saved: store_up,
        new_session,
        question,
        body,
        started,
        extractive_text,
    })
}

impl Prepared {
    pub fn sources_event(&self) -> SourcesEvent {
        SourcesEvent {
            sources: self.sources.clone(),
            session_id: self.session_id.clone(),
            message_id: self.message_id.clone(),
            mode: self.mode,
            grounded: self.grounded,
            fallback_locale: self.fallback_locale,
        }
    }

    /// Produces the answer piece by piece through `emit`; stops early when `emit` returns false (client gone).
    /// Returns the final `done` event after recording the answer and its metrics.
    pub async fn run(mut self, state: &AppState, mut emit: impl FnMut(String) -> bool) -> DoneEvent {
        let mut answer = String::new();
        let mut usage = Usage::default();
        let mut cancelled = false;
        match std::mem::replace(&mut self.body, Body::Text(String::new())) {
            Body::Text(text) => {
                // Sent in word groups so the widget renders progressively, as it does for a model.
                for piece in text.split_inclusive(' ').collect::<Vec<_>>().chunks(4) {
                    let piece = piece.concat();
                    answer.push_str(&piece);
                    if !emit(piece) {
                        cancelled = true;
                        break;
                    }
                }
            }
            Body::Llm { mut stream, first, started } => {
                let mut next = first.map(Ok);
                loop {
                    let ev = match next.take() {
                        Some(ev) => ev,
                        None => match stream.next().await {
                            Some(ev) => ev,
                            None => break,
                        },
                    };
                    match ev {
                        Ok(LlmEvent::Delta(t)) => {
                            answer.push_str(&t);
                            if !emit(t) {
                                // Dropping the stream closes the upstream connection: generation stops there too.
                                cancelled = true;
                                break;
                            }
                        }
                        Ok(LlmEvent::Usage(u)) => usage = u,
                        Err(e) => {
                            metrics::counter!("rag_query_errors_total", "reason" => e.reason()).increment(1);
                            tracing::warn!(error = %e, "LLM stream broke off");
                            let note = if answer.is_empty() {
                                self.extractive_text.clone()
                            } else {
                                format!("\n\n{}", messages::interrupted(self.locale))
                            };
                            answer.push_str(&note);
                            emit(note);
                            break;
                        }
                    }
                }
                if let Some(llm) = &state.llm {
                    if usage == Usage::default() {
                        usage.completion_tokens = estimate_tokens(&answer);
                    }
                    let model = llm.cfg.model.clone();
                    metrics::histogram!("rag_llm_generation_latency_ms", "model" => model.clone())
                        .record(started.elapsed().as_secs_f64() * 1000.0);
                    metrics::counter!("rag_tokens_used_total", "kind" => "prompt", "model" => model.clone())
                        .increment(usage.prompt_tokens.into());
                    metrics::counter!("rag_tokens_used_total", "kind" => "completion", "model" => model.clone())
                        .increment(usage.completion_tokens.into());
                    // The metrics crate's counters are integers; a monotonically increasing gauge keeps fractional dollars.
                    metrics::gauge!("rag_cost_usd_total", "model" => model).increment(llm.cost_usd(usage));
                }
            }
        }
        let mode = self.mode.as_str();
        metrics::counter!("rag_answers_total", "mode" => mode, "grounded" => if self.grounded { "true" } else { "false" })
            .increment(1);
        metrics::histogram!("rag_query_duration_seconds", "mode" => mode, "locale" => self.locale.as_str())
            .record(self.started.elapsed().as_secs_f64());
        if cancelled {
            tracing::info!(session = %crate::http::hash_id(&self.session_id), "client cancelled the answer");
        }
        let mut saved = self.saved;
        if saved {
            let turn = Turn {
                session_id: self.session_id.clone(),
                locale: self.locale,
                new_session: self.new_session,
                question: self.question,
                answer: StoredMessage {
                    id: self.message_id.clone(),
                    role: Role::Assistant,
                    content: answer,
                    selected_text: None,
                    sources: self.sources,
                    mode: Some(self.mode),
                    grounded: Some(self.grounded),
                    prompt_tokens: usage.prompt_tokens,
                    completion_tokens: usage.completion_tokens,
                    created_at: crate::sessions::now_ms(),
                },
            };
            let stored = state.turns.record(turn).await;
            if let Err(e) = stored {
                saved = false;
                metrics::counter!("rag_query_errors_total", "reason" => "session_store").increment(1);
                tracing::error!(error = %e, "could not save the question and answer");
            }
        }
        tracing::info!(
            session = %crate::http::hash_id(&self.session_id),
            locale = self.locale.as_str(),
            mode,
            grounded = self.grounded,
            saved,
            latency_ms = self.started.elapsed().as_millis() as u64,
            "chat answered"
        );
        DoneEvent {
            usage,
            session_id: self.session_id.clone(),
            message_id: self.message_id.clone(),
            mode: self.mode,
            saved,
        }
    }
}
