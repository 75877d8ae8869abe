//! A `POST /api/chat` body from arbitrary bytes: JSON into the wire type, then the server's validation; an
//! accepted request goes on to what the pipeline does next with its text (BM25 query analysis, the prompt).
//! Nothing may panic, and an accepted request must meet every documented limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use protocol::{ChatRequest, MAX_QUERY_CHARS, MAX_SELECTED_TEXT_CHARS};
use server::answer::prompt;
use server::retrieval::analyzer::Analyzer;
use std::sync::OnceLock;

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::new().expect("the BM25 analyzers build"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(req) = serde_json::from_slice::<ChatRequest>(data) else {
        return;
    };
    match server::chat::validate(&req) {
        Ok(()) => {
            assert!(!req.query.trim().is_empty());
            assert!(req.query.chars().count() <= MAX_QUERY_CHARS);
            assert!(req.selected_text.as_ref().is_none_or(|s| s.chars().count() <= MAX_SELECTED_TEXT_CHARS));
            assert!(req.page_url.as_ref().is_none_or(|p| p.starts_with('/') && p.len() <= 500));
            let a = analyzer();
            let q = a.query(req.locale, &req.query);
            let coverage = a.coverage(req.locale, &q, req.selected_text.as_deref().unwrap_or(&req.query));
            assert!((0.0..=1.0).contains(&coverage), "coverage {coverage}");
            let msgs = prompt::build(&prompt::PromptInput {
                question: &req.query,
                selected_text: req.selected_text.as_deref(),
                hits: &[],
                reader: req.locale,
                history: &[],
            });
            // Untrusted text cannot open or close a delimiter of the prompt.
            assert_eq!(msgs[1].content.matches("</sources>").count(), 1);
        }
        Err(e) => {
            assert!(e.field.is_some(), "a validation error names its field: {e:?}");
            assert!(e.status.is_client_error());
        }
    }
});
