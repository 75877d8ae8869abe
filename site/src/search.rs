//! Client-side search index: one compact JSON file per locale, fetched by `search.js` when the search
//! box is first focused. Chosen over the `pagefind` crate because pagefind 1.6 always depends on
//! actix-web, tokio, lol_html and icu_segmenter (its CLI and dev server are not optional features):
//! far more compile time than the shared 2-core build can afford for a few hundred pages.
//! The first characters of every section are small enough to search by substring in the browser, which
//! also works for Urdu (no stemmer needed).

use serde::Serialize;

/// Longest text stored per section: enough for matching and a snippet, keeps the index small.
const MAX_TEXT_CHARS: usize = 600;

#[derive(Debug, Serialize)]
pub struct SearchDoc {
    /// Page title.
    pub t: String,
    /// Section heading (empty for the page intro).
    pub h: String,
    /// Link target with base (`/rag-chatbot/kinematics/#frames`).
    pub u: String,
    /// Plain text.
    pub x: String,
}

pub fn doc(title: &str, heading: &str, href: &str, text: &str) -> SearchDoc {
    SearchDoc {
        t: title.to_string(),
        h: heading.to_string(),
        u: href.to_string(),
        x: text.chars().take(MAX_TEXT_CHARS).collect(),
    }
}
