//! The `answer` step: the prepared body (extractive text or the model's stream) as pieces of text for `emit`.

use super::{Body, Outcome};
use crate::answer::llm::LlmEvent;
use crate::answer::messages;
use futures::StreamExt;
use protocol::{Locale, Usage};

/// Sends the answer through `emit` until it ends or `emit` returns false (the client has gone). A model stream
/// that breaks off is finished with `extractive_text` (nothing sent yet) or a note that the answer was cut.
pub(super) async fn produce(
    body: Body,
    extractive_text: &str,
    locale: Locale,
    mut emit: impl FnMut(String) -> bool,
) -> Outcome {
    let mut out = Outcome { text: String::new(), usage: Usage::default(), cancelled: false, llm_started: None };
    match body {
        Body::Text(text) => {
            // Sent in word groups so the widget renders progressively, as it does for a model.
            for piece in text.split_inclusive(' ').collect::<Vec<_>>().chunks(4) {
                let piece = piece.concat();
                out.text.push_str(&piece);
                if !emit(piece) {
                    out.cancelled = true;
                    break;
                }
            }
        }
        Body::Llm { mut stream, first, started } => {
            out.llm_started = Some(started);
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
                        out.text.push_str(&t);
                        if !emit(t) {
                            // Dropping the stream closes the upstream connection: generation stops there too.
                            out.cancelled = true;
                            break;
                        }
                    }
                    Ok(LlmEvent::Usage(u)) => out.usage = u,
                    Err(e) => {
                        metrics::counter!("rag_query_errors_total", "reason" => e.reason()).increment(1);
                        tracing::warn!(error = %e, "LLM stream broke off");
                        let note = if out.text.is_empty() {
                            extractive_text.to_string()
                        } else {
                            format!("\n\n{}", messages::interrupted(locale))
                        };
                        out.text.push_str(&note);
                        emit(note);
                        break;
                    }
                }
            }
        }
    }
    out
}
