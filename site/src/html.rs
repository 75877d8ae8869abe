//! HTML escaping, the one place for it: page templates (Tera's escape function), the Markdown renderer, code
//! highlighting, citations, navigation, search records, the sitemap and the error overlay.

/// Escapes text for HTML content and quoted attributes. Unlike Tera's default it leaves `/` alone,
/// so URLs in the output stay readable (and greppable by the base-URL tests).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}
