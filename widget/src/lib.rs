//! Pure logic of the chat widget, kept free of browser APIs so it is unit-tested natively:
//! the Markdown subset, SSE framing, translations, error mapping and URL rules.

#[cfg(test)]
mod cssmin;
pub mod errors;
pub mod i18n;
pub mod markdown;
pub mod math;
pub mod sse;
pub mod urls;
