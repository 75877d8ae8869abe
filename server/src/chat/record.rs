//! The `record` step: the answer's metrics, the stored turn (question and answer together) and the log line.

use super::{Outcome, Prepared};
use crate::answer::llm::estimate_tokens;
use crate::sessions::{StoredMessage, Turn};
use crate::state::AppState;
use crate::telemetry::hash_id;
use protocol::{DoneEvent, Role};

pub(super) async fn record(state: &AppState, p: Prepared, outcome: &Outcome) -> DoneEvent {
    let mut usage = outcome.usage;
    if let (Some(llm), Some(started)) = (&state.llm, outcome.llm_started) {
        if usage == protocol::Usage::default() {
            usage.completion_tokens = estimate_tokens(&outcome.text);
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
    let mode = p.mode.as_str();
    metrics::counter!("rag_answers_total", "mode" => mode, "grounded" => if p.grounded { "true" } else { "false" })
        .increment(1);
    metrics::histogram!("rag_query_duration_seconds", "mode" => mode, "locale" => p.locale.as_str())
        .record(p.started.elapsed().as_secs_f64());
    if outcome.cancelled {
        tracing::info!(session = %hash_id(&p.session_id), "client cancelled the answer");
    }
    let saved = p.saved
        && store(
            state,
            Turn {
                session_id: p.session_id.clone(),
                locale: p.locale,
                new_session: p.new_session,
                question: p.question,
                answer: StoredMessage {
                    id: p.message_id.clone(),
                    role: Role::Assistant,
                    content: outcome.text.clone(),
                    selected_text: None,
                    sources: p.sources,
                    mode: Some(p.mode),
                    grounded: Some(p.grounded),
                    prompt_tokens: usage.prompt_tokens,
                    completion_tokens: usage.completion_tokens,
                    created_at: crate::sessions::now_ms(),
                },
            },
        )
        .await;
    tracing::info!(
        session = %hash_id(&p.session_id),
        locale = p.locale.as_str(),
        mode,
        grounded = p.grounded,
        saved,
        latency_ms = p.started.elapsed().as_millis() as u64,
        "chat answered"
    );
    DoneEvent { usage, session_id: p.session_id, message_id: p.message_id, mode: p.mode, saved }
}

/// Writes the question and the answer as one turn; false when the store failed (counted and logged).
async fn store(state: &AppState, turn: Turn) -> bool {
    match state.turns.record(turn).await {
        Ok(()) => true,
        Err(e) => {
            metrics::counter!("rag_query_errors_total", "reason" => "session_store").increment(1);
            tracing::error!(error = %e, "could not save the question and answer");
            false
        }
    }
}
