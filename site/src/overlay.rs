//! The `site serve` error overlay: what failed in the last rebuild, drawn over the last good page the way the Vite
//! and Next.js dev servers do, each error naming `file:line:col` so the author can jump there.

use crate::error::SiteError;
use crate::html::escape;
use serde::Serialize;

/// One error as the overlay and `/__site_errors` show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverlayItem {
    /// Repository-relative path; empty for errors not tied to a file (e.g. a template error).
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
    /// `file:line:col`, as editors and terminals link it.
    pub location: String,
}

/// The errors of a failed build: one item per content diagnostic, or one for any other failure.
pub fn overlay_items(e: &SiteError) -> Vec<OverlayItem> {
    match e {
        SiteError::Content(diags) => diags
            .iter()
            .map(|d| OverlayItem {
                file: d.file.display().to_string(),
                line: d.line,
                col: d.col,
                message: d.message.clone(),
                location: format!("{}:{}:{}", d.file.display(), d.line, d.col),
            })
            .collect(),
        other => vec![OverlayItem {
            file: String::new(),
            line: 0,
            col: 0,
            message: other.to_string(),
            location: String::new(),
        }],
    }
}

/// `{"errors": [...]}`; an empty list when the last build succeeded.
pub fn payload_json(items: &[OverlayItem]) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "errors": items })).unwrap_or_else(|_| b"{\"errors\":[]}".to_vec())
}

/// The overlay markup, appended to the page's `<body>`. Inline styles keep it independent of the site's CSS
/// (which may itself be what broke); `dir="ltr"` because paths and messages are English even on Urdu pages.
pub fn overlay_html(items: &[OverlayItem]) -> String {
    let mut list = String::new();
    for i in items {
        let loc = if i.location.is_empty() {
            String::new()
        } else {
            format!(
                "<code class=\"site-error-location\" style=\"color:#ffb3b3;font-weight:700\">{}</code> ",
                escape(&i.location)
            )
        };
        list.push_str(&format!(
            "<li style=\"margin:0 0 .75rem\">{loc}<span class=\"site-error-message\">{}</span></li>",
            escape(&i.message)
        ));
    }
    let count = if items.len() == 1 { "1 error".to_string() } else { format!("{} errors", items.len()) };
    format!(
        "<div id=\"site-error-overlay\" role=\"alertdialog\" aria-modal=\"true\" aria-labelledby=\"site-error-title\" \
         dir=\"ltr\" lang=\"en\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;\
         background:rgba(20,0,0,.92);color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem\">\
         <h2 id=\"site-error-title\" style=\"color:#ff6b6b;margin:0 0 1rem;font-size:1.3rem\">Build failed: {count}</h2>\
         <ol style=\"padding-inline-start:1.5rem;white-space:pre-wrap\">{list}</ol>\
         <p style=\"color:#ccc\">Fix the file and save: the page reloads by itself. The page below is the last \
         successful build.</p>\
         <button type=\"button\" onclick=\"this.parentNode.remove()\" style=\"font:inherit;padding:.3rem .8rem\">\
         Dismiss</button></div>"
    )
}

/// The page served when no build has succeeded yet (the overlay is appended to it like to any page).
pub fn standalone_page() -> String {
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body></body></html>"
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;

    #[test]
    fn payload_names_file_line_col_for_each_error() {
        let e = SiteError::Content(vec![
            Diagnostic::new("content/en/a.md", 7, 5, "broken link `b.md`: no page `b.md`"),
            Diagnostic::new("content/en/c.md", 3, 1, "front matter: invalid type"),
        ]);
        let items = overlay_items(&e);
        let json: serde_json::Value = serde_json::from_slice(&payload_json(&items)).expect("json");
        assert_eq!(json["errors"][0]["location"], "content/en/a.md:7:5");
        assert_eq!(json["errors"][0]["line"], 7);
        assert_eq!(json["errors"][1]["file"], "content/en/c.md");
        let html = overlay_html(&items);
        assert!(html.contains("Build failed: 2 errors"), "{html}");
        assert!(html.contains(">content/en/a.md:7:5</code>"), "{html}");
        assert!(html.contains("broken link `b.md`"), "{html}");
    }

    #[test]
    fn messages_are_escaped_and_other_errors_have_no_location() {
        let items = overlay_items(&SiteError::Template("<script>x</script>".into()));
        assert_eq!(items.len(), 1);
        assert!(items[0].location.is_empty());
        let html = overlay_html(&items);
        assert!(!html.contains("<script>x"), "{html}");
        assert!(html.contains("&lt;script&gt;x"), "{html}");
    }
}
