//! The chat pipeline shared by `POST /api/chat` and its SSE twin, in three steps: `prepare` (validate, retrieve,
//! decide the answer mode), `answer` (produce the text as a stream of pieces, `chat/answer.rs`) and `record`
//! (metrics, the stored turn, the log line, `chat/record.rs`).

mod answer;
mod record;

use crate::answer::llm::{LlmEvent, LlmStream};
use crate::answer::{citations, extractive, prompt};
use crate::error::AppError;
use crate::retrieval::Retrieved;
use crate::sessions::StoredMessage;
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

/// What the `answer` step produced; `record` stores and measures it.
struct Outcome {
    text: String,
    usage: Usage,
    /// The client went away before the end.
    cancelled: bool,
    /// When the model was asked, for an LLM answer (generation latency and token metrics).
    llm_started: Option<Instant>,
}

/// A finished turn: the full text (the JSON endpoint returns it) and the `done` event (the SSE endpoint sends it).
pub struct Answered {
    pub text: String,
    pub done: DoneEvent,
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
    if state.faults.chat_request_fails().await {
        metrics::counter!("rag_query_errors_total", "reason" => "internal").increment(1);
        return Err(AppError::unavailable("the answer service (injected fault)"));
    }
    let requested = req.session_id.as_deref().and_then(|id| crate::http::validate::issued_id("session_id", id).ok());
    let (history, store_up) = session_history(state, requested.as_deref()).await;
    // Only sessions this server issued are continued: a session exists once its first turn is stored, so an id
    // with no stored messages (made up by the client, erased or expired) starts a new session under a fresh id.
    let continued = requested.filter(|_| !history.is_empty() || !store_up);
    let new_session = continued.is_none();
    let session_id = continued.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let retrieved = retrieve(state, &req, &history).await?;
    let shown = if retrieved.grounded { TOP_K } else { 3 };
    let sources: Vec<Source> = citations(&retrieved.hits, shown);
    let extractive_text =
        extractive::compose(&retrieved, &state.retriever.analyzer, &state.retriever.profiles, req.locale);
    let (mode, body) = match probe_llm(state, &req, &retrieved, &history).await {
        Some(body) => (AnswerMode::Llm, body),
        None => (AnswerMode::Extractive, Body::Text(extractive_text.clone())),
    };

    // The question is stored with its answer, as one turn, once the answer is complete (see `record`).
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

/// The last turns of a continued session, and whether the store answered. A failed read means the store is down:
/// the answer goes ahead without history and skips the save rather than wait for the store a second time.
async fn session_history(state: &AppState, requested: Option<&str>) -> (Vec<(Role, String)>, bool) {
    let Some(id) = requested else {
        return (Vec::new(), true);
    };
    match state.sessions.recent_turns(id, HISTORY_TURNS).await {
        Ok(history) => (history, true),
        Err(e) => {
            tracing::error!(error = %e, "could not read the session history; answering without it");
            (Vec::new(), false)
        }
    }
}

async fn retrieve(state: &AppState, req: &ChatRequest, history: &[(Role, String)]) -> Result<Retrieved, AppError> {
    let text = crate::retrieval::followup::retrieval_text(&req.query, req.selected_text.as_deref(), history);
    let mut grounding = vec![req.query.as_str()];
    if let Some(sel) = &req.selected_text {
        grounding.push(sel.as_str());
    }
    state.retriever.retrieve(&text, &grounding, req.locale, req.page_url.as_deref(), TOP_K).await.map_err(|e| {
        metrics::counter!("rag_query_errors_total", "reason" => "retrieval").increment(1);
        tracing::error!(error = %e, "retrieval failed");
        AppError::unavailable("the textbook search")
    })
}

/// Starts the model's answer when one is configured and the question is covered. Waits for the first event so a
/// dead upstream turns into an extractive answer (`None`), not a broken stream.
async fn probe_llm(
    state: &AppState,
    req: &ChatRequest,
    retrieved: &Retrieved,
    history: &[(Role, String)],
) -> Option<Body> {
    let llm = state.llm.as_ref().filter(|_| retrieved.grounded)?;
    let msgs = prompt::build(&prompt::PromptInput {
        question: &req.query,
        selected_text: req.selected_text.as_deref(),
        hits: &retrieved.hits,
        reader: req.locale,
        history,
    });
    let started = Instant::now();
    let first = match llm.stream(&msgs).await {
        Ok(mut s) => match s.next().await {
            Some(Ok(ev)) => Ok((s, ev)),
            Some(Err(e)) => Err(e),
            None => Err(crate::answer::llm::LlmError::Protocol("empty response".into())),
        },
        Err(e) => Err(e),
    };
    match first {
        Ok((stream, ev)) => Some(Body::Llm { stream, first: Some(ev), started }),
        Err(e) => {
            metrics::counter!("rag_query_errors_total", "reason" => e.reason()).increment(1);
            tracing::warn!(error = %e, "LLM failed; answering extractively");
            None
        }
    }
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

    /// Produces the answer piece by piece through `emit` (stopping early when it returns false: client gone), then
    /// records it and its metrics.
    pub async fn run(mut self, state: &AppState, emit: impl FnMut(String) -> bool) -> Answered {
        let body = std::mem::replace(&mut self.body, Body::Text(String::new()));
        let outcome = answer::produce(body, &self.extractive_text, self.locale, emit).await;
        let done = record::record(state, self, &outcome).await;
        Answered { text: outcome.text, done }
    }
}
