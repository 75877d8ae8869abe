//! Endpoint handlers. Each is documented in the OpenAPI document (`GET /openapi.json`).

use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::guard::check_admin;
use crate::chat;
use crate::error::{AppError, DependencyContext};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use protocol::{
    ChatRequest, ChatResponse, DeltaEvent, DoneEvent, EventPayload, FeedbackRequest, Locale, SearchResponse,
    SourcesEvent,
};
use secrecy::ExposeSecret;
use serde::Deserialize;
use serde_json::json;
use std::convert::Infallible;
use tokio_stream_shim::ReceiverStream;

/// A tiny adapter instead of pulling in tokio-stream for one type.
mod tokio_stream_shim {
    use futures::Stream;
    use std::pin::Pin;
    use std::task::{Context, Poll};
    pub struct ReceiverStream<T>(pub tokio::sync::mpsc::UnboundedReceiver<T>);
    impl<T> Stream for ReceiverStream<T> {
        type Item = T;
        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
            self.0.poll_recv(cx)
        }
    }
}

#[utoipa::path(get, path = "/health", responses((status = 200, description = "Process is alive; names its build")))]
pub async fn health() -> Json<serde_json::Value> {
    Json(json!({"status": "healthy", "version": crate::build_info::VERSION, "git_sha": crate::build_info::git_sha()}))
}

#[utoipa::path(get, path = "/ready", responses(
    (status = 200, description = "Vector store and session DB reachable, index loaded"),
    (status = 503, description = "A required dependency is down")))]
pub async fn ready(State(state): State<AppState>) -> Response {
    let (vs_ok, vs_detail) = match state.retriever.store.count().await {
        Ok(0) => (false, "empty index".to_string()),
        Ok(n) => (true, format!("{n} chunks")),
        Err(e) => (false, e.to_string()),
    };
    let (db_ok, db_detail) = match state.sessions.ping().await {
        Ok(()) => (true, "ok".to_string()),
        Err(e) => (false, e.to_string()),
    };
    let llm = match &state.llm {
        Some(l) => json!({"configured": true, "model": l.cfg.model}),
        None => json!({"configured": false, "mode": "extractive"}),
    };
    let ok = vs_ok && db_ok;
    let body = json!({
        "status": if ok { "ready" } else { "not_ready" },
        "checks": {
            "vector_store": {"ok": vs_ok, "backend": state.retriever.store.backend_name(), "detail": vs_detail},
            "session_db": {"ok": db_ok, "backend": if state.sessions.is_postgres { "postgres" } else { "sqlite" }, "detail": db_detail},
            "llm": llm,
        }
    });
    let status = if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(body)).into_response()
}

pub async fn render_metrics(state: &AppState) -> String {
    if let Ok(n) = state.sessions.active_sessions(std::time::Duration::from_secs(1800)).await {
        metrics::gauge!("rag_active_sessions").set(n as f64);
    }
    crate::metrics::sample_runtime(&state.config.data_dir, Some(state.sessions.pool_stats()));
    state.limiters.housekeeping();
    state.metrics.render()
}

#[utoipa::path(get, path = "/metrics", responses((status = 200, description = "Prometheus text format")))]
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.config.metrics_token {
        let presented =
            headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        if !presented.is_some_and(|p| super::guard::secret_matches(p, token.expose_secret())) {
            return AppError::new(
                StatusCode::UNAUTHORIZED,
                protocol::ErrorCode::Unauthorized,
                "metrics token required",
            )
            .into_response();
        }
    }
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], render_metrics(&state).await).into_response()
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(super::openapi::document())
}

#[utoipa::path(post, path = "/api/chat", request_body = ChatRequest, responses(
    (status = 200, body = ChatResponse), (status = 400, body = protocol::ApiError), (status = 429, body = protocol::ApiError),
    (status = 503, body = protocol::ApiError)))]
pub async fn chat(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<ChatRequest>,
) -> Result<Json<ChatResponse>, AppError> {
    let prepared = chat::prepare(&state, req).await?;
    let SourcesEvent { sources, grounded, fallback_locale, .. } = prepared.sources_event();
    let chat::Answered { text: answer, done } = prepared.run(&state, |_| true).await;
    let DoneEvent { usage, session_id, message_id, mode, saved } = done;
    Ok(Json(ChatResponse { answer, sources, session_id, message_id, mode, grounded, usage, fallback_locale, saved }))
}

/// The payload's JSON is the `data:` line: written directly, not cut out of the tagged `StreamEvent`.
fn sse_event<T: EventPayload>(data: &T) -> Event {
    Event::default().event(T::NAME).data(serde_json::to_string(data).unwrap_or_else(|_| "{}".into()))
}

#[utoipa::path(post, path = "/api/chat/stream", request_body = ChatRequest, responses(
    (status = 200, description = "text/event-stream: sources, delta…, done | error"),
    (status = 400, body = protocol::ApiError), (status = 429, body = protocol::ApiError)))]
pub async fn chat_stream(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<ChatRequest>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, AppError> {
    let prepared = chat::prepare(&state, req).await?;
    // Unbounded is fine here: an answer is bounded by LLM_MAX_TOKENS, and a send only fails once the client
    // has gone, which is exactly the signal that stops generation (and drops the upstream request).
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel::<Event>();
    tokio::spawn(async move {
        if tx.send(sse_event(&prepared.sources_event())).is_err() {
            return;
        }
        let answered = prepared.run(&state, |text| tx.send(sse_event(&DeltaEvent { text })).is_ok()).await;
        let _ = tx.send(sse_event(&answered.done));
    });
    let stream = futures::StreamExt::map(ReceiverStream(rx), Ok::<_, Infallible>);
    Ok(Sse::new(stream).keep_alive(KeepAlive::default()))
}

#[utoipa::path(get, path = "/api/sessions/{id}", params(("id" = String, Path)), responses(
    (status = 200, body = protocol::SessionHistory), (status = 404, body = protocol::ApiError)))]
pub async fn get_session(State(state): State<AppState>, ApiPath(id): ApiPath<String>) -> Result<Response, AppError> {
    let id = super::validate::issued_id("id", &id)?;
    match state.sessions.history(&id).await.dependency("chat history")? {
        Some(h) => Ok(Json(h).into_response()),
        None => Err(AppError::not_found("session")),
    }
}

#[utoipa::path(delete, path = "/api/sessions/{id}", params(("id" = String, Path)), responses(
    (status = 204, description = "Erased"), (status = 404, body = protocol::ApiError)))]
pub async fn delete_session(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<StatusCode, AppError> {
    let id = super::validate::issued_id("id", &id)?;
    if state.sessions.delete_session(&id).await.dependency("chat history")? {
        tracing::info!(audit = true, session = %crate::telemetry::hash_id(&id), "session erased on request");
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::not_found("session"))
    }
}

#[utoipa::path(post, path = "/api/feedback", request_body = FeedbackRequest, responses(
    (status = 204, description = "Recorded"), (status = 404, body = protocol::ApiError)))]
pub async fn feedback(
    State(state): State<AppState>,
    ApiJson(mut f): ApiJson<FeedbackRequest>,
) -> Result<StatusCode, AppError> {
    f.session_id = super::validate::issued_id("session_id", &f.session_id)?;
    f.message_id = super::validate::issued_id("message_id", &f.message_id)?;
    if let Some(c) = &f.comment {
        super::validate::storable_text("comment", c)?;
    }
    if f.comment.as_ref().is_some_and(|c| c.chars().count() > protocol::MAX_COMMENT_CHARS) {
        return Err(AppError::invalid_field(
            "comment",
            format!("comment is longer than {} characters", protocol::MAX_COMMENT_CHARS),
        ));
    }
    if !state.sessions.feedback(&f).await.dependency("feedback storage")? {
        return Err(AppError::not_found("message"));
    }
    metrics::counter!("rag_feedback_total", "rating" => f.rating.as_str()).increment(1);
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SearchParams {
    q: String,
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
}

#[utoipa::path(get, path = "/api/search", params(SearchParams), responses((status = 200, body = SearchResponse)))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<Json<SearchResponse>, AppError> {
    if p.q.trim().is_empty() || p.q.chars().count() > protocol::MAX_QUERY_CHARS {
        return Err(AppError::invalid_field("q", format!("q must be 1 to {} characters", protocol::MAX_QUERY_CHARS)));
    }
    let locale = match p.locale.as_deref() {
        None => Locale::En,
        Some(l) => Locale::parse(l).ok_or_else(|| AppError::invalid_field("locale", "locale must be en or ur"))?,
    };
    let limit = p.limit.unwrap_or(5);
    if !(1..=20).contains(&limit) {
        return Err(AppError::invalid_field("limit", "limit must be between 1 and 20"));
    }
    let r = state.retriever.retrieve(&p.q, &[], locale, None, limit).await.dependency("the textbook search")?;
    Ok(Json(SearchResponse { results: crate::answer::citations(&r.hits, limit) }))
}

#[utoipa::path(post, path = "/api/admin/faults", request_body = crate::faults::FaultSettings, responses(
    (status = 200, body = crate::faults::FaultSettings), (status = 404, body = protocol::ApiError)))]
pub async fn faults(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(settings): ApiJson<crate::faults::FaultSettings>,
) -> Result<Json<crate::faults::FaultSettings>, AppError> {
    if !state.config.enable_fault_injection {
        return Err(AppError::not_found("route"));
    }
    check_admin(&state, &headers)?;
    tracing::warn!(audit = true, ?settings, "fault injection changed");
    state.faults.set(&settings);
    Ok(Json(state.faults.get()))
}

#[utoipa::path(post, path = "/api/admin/reindex", responses(
    (status = 200, description = "Ingest report"), (status = 401, body = protocol::ApiError), (status = 403, body = protocol::ApiError)))]
pub async fn reindex(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<serde_json::Value>, AppError> {
    check_admin(&state, &headers)?;
    tracing::info!(audit = true, "admin reindex requested");
    let report = state.ingest(None, false).await.map_err(|e| {
        tracing::error!(error = %format!("{e:#}"), "reindex failed");
        AppError::unavailable("the corpus or the vector store")
    })?;
    Ok(Json(json!({
        "upserted": report.upserted, "deleted": report.deleted, "kept": report.kept, "skipped": report.skipped,
        "seconds": report.elapsed.as_secs_f64(),
    })))
}
