//! `POST /api/client-errors`: what the widget reports about its own failures in a reader's browser. Only a kind
//! from a fixed list and a short technical message travel; never the question, the answer, a session id or a URL
//! with its query string, so a report carries no personal data.

use serde::{Deserialize, Serialize};

/// Longest message the server keeps (characters); longer ones are cut, not refused.
pub const CLIENT_ERROR_MESSAGE_MAX: usize = 200;

/// The kinds a report may name; anything else is counted as `other`. Kept short because each is a metric label.
pub const CLIENT_ERROR_KINDS: &[&str] = &["panic", "network", "http", "stream", "render", "storage", "other"];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientErrorReport {
    /// One of [`CLIENT_ERROR_KINDS`].
    pub kind: String,
    /// A short technical message (error class, HTTP status); no reader text.
    pub message: String,
}

/// The metric label for a reported kind: itself when known, else `other`.
pub fn client_error_kind(kind: &str) -> &'static str {
    CLIENT_ERROR_KINDS.iter().find(|k| **k == kind).copied().unwrap_or("other")
}

/// Cuts a message to [`CLIENT_ERROR_MESSAGE_MAX`] characters after removing what could identify a reader: query
/// strings and fragments of URLs, id-like path segments (session ids), e-mail-like words and long digit runs.
pub fn scrub_client_error_message(message: &str) -> String {
    let words = message.split_whitespace().map(|w| {
        if w.contains('@') {
            "[email]".to_string()
        } else if w.chars().filter(char::is_ascii_digit).count() >= 6 && !w.contains("://") {
            "[number]".to_string()
        } else {
            let path = w.split(['?', '#']).next().unwrap_or_default();
            path.split('/').map(|seg| if looks_like_id(seg) { "[id]" } else { seg }).collect::<Vec<_>>().join("/")
        }
    });
    let joined = words.collect::<Vec<_>>().join(" ");
    joined.chars().take(CLIENT_ERROR_MESSAGE_MAX).collect()
}

/// Session ids are UUIDs; other ids are long hex strings.
fn looks_like_id(segment: &str) -> bool {
    segment.len() >= 8 && segment.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_kinds_become_other() {
        assert_eq!(client_error_kind("panic"), "panic");
        assert_eq!(client_error_kind("network"), "network");
        assert_eq!(client_error_kind("Panic"), "other");
        assert_eq!(client_error_kind("x\"}injected"), "other");
    }

    #[test]
    fn scrubbing_drops_queries_emails_numbers_and_length() {
        let m = scrub_client_error_message(
            "fetch https://api.example.org/api/sessions/0191e0a2-7c3b-7d44-9a51-1f2e3d4c5b6a?id=42#x failed for me@example.org call 03001234567",
        );
        assert_eq!(m, "fetch https://api.example.org/api/sessions/[id] failed for [email] call [number]");
        let long = "x".repeat(1000);
        assert_eq!(scrub_client_error_message(&long).chars().count(), CLIENT_ERROR_MESSAGE_MAX);
        assert_eq!(scrub_client_error_message("  HTTP   502  "), "HTTP 502");
    }
}
