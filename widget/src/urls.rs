//! URL rules: where the site root is, how cited sections and API endpoints are addressed, which links are safe.

/// A cited section's address on this site: the server gives URLs relative to the site root without its base path,
/// and `site_base` is the page's `data-site-base` (`/rag-chatbot/`, with or without the trailing `/`).
pub fn section_href(site_base: &str, url: &str) -> Option<String> {
    let url = safe_href(url)?;
    // `safe_href` has refused `//…` and `/\…`, so a leading `/` here is a path on this site.
    if url.starts_with('/') {
        Some(format!("{}{}", site_base.trim_end_matches('/'), url))
    } else {
        Some(url.to_string())
    }
}

/// An API endpoint under `data-api-url` ("" = same origin as the page).
pub fn api_url(api_base: &str, path: &str) -> String {
    format!("{}{}", api_base.trim().trim_end_matches('/'), path)
}

/// Returns the link target if a browser would resolve it, against this page, to this site or to an explicitly
/// written `http(s)://host` address; `None` for everything else.
///
/// The cases are decided the way a browser's URL parser decides them (WHATWG URL, for the special schemes):
/// * no scheme and not starting with two slashes (`/a`, `a/b`, `../a`, `?q`, `#f`): resolved against the page it
///   stays on this origin — allowed;
/// * no scheme but starting with two slashes, where `\` counts as `/` (`//evil.example/x`, `/\evil.example`,
///   `\\evil.example`): a network-path reference to *another host* that reads like a site path — refused;
/// * `http:` / `https:` followed by exactly `//` and a host with no `\` in it: an off-site link that shows as one —
///   allowed. Other spellings the parser repairs into some host (`https:evil.example`, `https:/\evil.example`,
///   `https:///evil.example`) are refused, and so is every other scheme (`javascript:`, `data:`, `mailto:` …).
///
/// Browsers ignore tabs and newlines inside URLs (`java\tscript:`), so any whitespace or control character is
/// refused outright.
pub fn safe_href(raw: &str) -> Option<&str> {
    let href = raw.trim();
    if href.is_empty() || href.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return None;
    }
    let slash = |c: char| c == '/' || c == '\\';
    // A scheme is whatever precedes the first ':' if that comes before any '/', '\\', '?' or '#'.
    let scheme_end = href.find([':', '/', '\\', '?', '#']);
    match scheme_end {
        Some(i) if href[i..].starts_with(':') => {
            let scheme = href[..i].to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return None;
            }
            let rest = href[i + 1..].strip_prefix("//")?;
            let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let authority = &rest[..authority_end];
            let host = authority.rsplit('@').next().unwrap_or(authority);
            let well_formed = !host.is_empty() && !host.starts_with(':') && !authority.contains(slash);
            well_formed.then_some(href)
        }
        _ => {
            let mut chars = href.chars();
            let network_path = chars.next().is_some_and(slash) && chars.next().is_some_and(slash);
            (!network_path).then_some(href)
        }
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
    fn section_links_get_the_site_base() {
        assert_eq!(
            section_href("/rag-chatbot/", "/kinematics/#forward-kinematics").as_deref(),
            Some("/rag-chatbot/kinematics/#forward-kinematics")
        );
        assert_eq!(section_href("/", "/ur/balance/#zmp").as_deref(), Some("/ur/balance/#zmp"));
        assert_eq!(section_href("/book", "/ur/balance/").as_deref(), Some("/book/ur/balance/"));
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
    fn links_that_leave_the_site_while_looking_internal_are_refused() {
        for bad in [
            "//evil.example/x",
            "/\\evil.example",
            "\\/evil.example",
            "\\\\evil.example/x",
            "https:evil.example",
            "https:/evil.example",
            "https:/\\evil.example",
            "https:\\\\evil.example",
            "https:///evil.example",
            "https://\\evil.example",
            "https://evil.example\\@book.example/",
            "https://:443/x",
        ] {
            assert_eq!(safe_href(bad), None, "{bad:?}");
            assert_eq!(section_href("/", bad), None, "{bad:?}");
            assert_eq!(section_href("/book/", bad), None, "{bad:?}");
        }
        // Same-origin references keep working, including ones a parser might mistake for a scheme.
        for ok in ["/locomotion/#zmp", "kinematics/", "./a", "?q=1", "#zmp", "a/b:c", "/a//b"] {
            assert_eq!(safe_href(ok), Some(ok), "{ok}");
        }
        assert_eq!(section_href("/", "/ur/locomotion/").as_deref(), Some("/ur/locomotion/"));
        assert_eq!(safe_href("https://user@ros.org/x"), Some("https://user@ros.org/x"));
    }

    #[test]
    fn api_urls_join_without_double_slashes() {
        assert_eq!(api_url("", "/api/feedback"), "/api/feedback");
        assert_eq!(api_url("https://api.example.org/", "/api/chat/stream"), "https://api.example.org/api/chat/stream");
    }
}
