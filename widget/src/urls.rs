//! URL rules: where the site root is, how cited sections and API endpoints are addressed, which links are safe.

/// The site's base path, derived from the loader's `data-widget-base` (`/rag-chatbot/widget/` -> `/rag-chatbot/`).
/// Always ends with `/` so section URLs can be appended.
pub fn site_base(widget_base: &str) -> String {
    let trimmed = widget_base.trim();
    let without = trimmed.strip_suffix('/').unwrap_or(trimmed);
    let without = without.strip_suffix("widget").unwrap_or(without);
    let mut base = without.to_string();
    if !base.ends_with('/') {
        base.push('/');
    }
    base
}

/// A cited section's address on this site: the server gives URLs relative to the site root without its base path.
pub fn section_href(site_base: &str, url: &str) -> Option<String> {
    let url = safe_href(url)?;
    if url.starts_with('/') && !url.starts_with("//") {
        Some(format!("{}{}", site_base.trim_end_matches('/'), url))
    } else {
        Some(url.to_string())
    }
}

/// An API endpoint under `data-api-url` ("" = same origin as the page).
pub fn api_url(api_base: &str, path: &str) -> String {
    format!("{}{}", api_base.trim().trim_end_matches('/'), path)
}

/// Returns the link target if it is http(s) or relative; `javascript:`, `data:` and every other scheme are refused.
/// Browsers ignore tabs and newlines inside schemes (`java\tscript:`), so any whitespace or control character is refused.
pub fn safe_href(raw: &str) -> Option<&str> {
    let href = raw.trim();
    if href.is_empty() || href.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    // A scheme is whatever precedes the first ':' if that comes before any '/', '?' or '#'.
    let scheme_end = href.find([':', '/', '?', '#']);
    match scheme_end {
        Some(i) if href[i..].starts_with(':') => {
            let scheme = href[..i].to_ascii_lowercase();
            (scheme == "http" || scheme == "https").then_some(href)
        }
        _ => Some(href),
    }
}

/// localStorage key holding this site's session id: one conversation per site key.
pub fn session_storage_key(site_key: &str) -> String {
    format!("pai-chat:session:{site_key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_base_strips_widget_folder() {
        assert_eq!(site_base("/rag-chatbot/widget/"), "/rag-chatbot/");
        assert_eq!(site_base("/widget/"), "/");
        assert_eq!(site_base("/widget"), "/");
        assert_eq!(site_base(""), "/");
        assert_eq!(site_base("https://example.org/book/widget/"), "https://example.org/book/");
    }

    #[test]
    fn section_links_get_the_site_base() {
        assert_eq!(
            section_href("/rag-chatbot/", "/kinematics/#forward-kinematics").as_deref(),
            Some("/rag-chatbot/kinematics/#forward-kinematics")
        );
        assert_eq!(section_href("/", "/ur/balance/#zmp").as_deref(), Some("/ur/balance/#zmp"));
        assert_eq!(section_href("/", "javascript:alert(1)"), None);
    }

    #[test]
    fn only_http_and_relative_links_are_safe() {
        for ok in ["https://example.org/a", "HTTP://x.y", "/kinematics/", "#top", "../a", "page.html?x=1:2"] {
            assert_eq!(safe_href(ok), Some(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:x",
            "mailto:a@b.c",
            "",
        ] {
            assert_eq!(safe_href(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn api_urls_join_without_double_slashes() {
        assert_eq!(api_url("", "/api/feedback"), "/api/feedback");
        assert_eq!(api_url("https://api.example.org/", "/api/chat/stream"), "https://api.example.org/api/chat/stream");
    }
}
