//! Link and image targets: resolving relative `.md` links to page URLs, putting root-relative paths under the
//! base path (`SiteUrls`), and checking that every internal link (and every corpus URL) lands on an anchor.

use crate::error::Diagnostic;
use crate::urls::SiteUrls;
use pulldown_cmark::LinkType;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The page a link is written on, and the pages it may point to.
pub struct LinkScope<'a> {
    /// Path shown in diagnostics.
    pub file: &'a Path,
    /// Content-relative key of the page, e.g. `03-kinematics/index.md`.
    pub page_key: &'a str,
    /// Page URL without base, e.g. `/ur/kinematics/`.
    pub page_url: &'a str,
    pub urls: &'a SiteUrls,
    /// Key -> URL for every page of the locale.
    pub pages: &'a BTreeMap<String, String>,
    pub static_dir: &'a Path,
}

/// An internal link found while rendering; verified once every page's ids are known.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PendingLink {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    /// What the author wrote, for the error message.
    pub written: String,
    /// Target page URL without base.
    pub page_url: String,
    pub anchor: String,
}

pub enum LinkTarget {
    External(String),
    Internal(String),
    Other(String),
}

impl LinkTarget {
    pub fn href(&self) -> &str {
        match self {
            LinkTarget::External(s) | LinkTarget::Internal(s) | LinkTarget::Other(s) => s,
        }
    }
}

fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !scheme.contains('/')
        }
        None => false,
    }
}

/// Resolves `rel` (a path relative to the directory of `from_key`) to a normalised content key.
pub fn resolve_key(from_key: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_key.split('/').collect();
    parts.pop();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// Link schemes a page may point to; `javascript:`, `data:`, `vbscript:` and the like are build errors.
const SAFE_SCHEMES: [&str; 5] = ["http", "https", "mailto", "tel", "ftp"];

/// Where a link goes: in-site links are resolved and put under the base path, and those to check later are added
/// to `links`; broken or unsafe ones add to `errors`.
pub fn classify(
    input: &LinkScope,
    link_type: LinkType,
    dest: &str,
    at: (usize, usize),
    links: &mut Vec<PendingLink>,
    errors: &mut Vec<Diagnostic>,
) -> LinkTarget {
    if link_type == LinkType::Email {
        return LinkTarget::External(format!("mailto:{dest}"));
    }
    let err = |msg: String, errors: &mut Vec<Diagnostic>| errors.push(Diagnostic::new(input.file, at.0, at.1, msg));
    if has_scheme(dest) || dest.starts_with("//") {
        // Script-bearing schemes would run in the reader's page: refuse the build and drop the link target.
        let scheme = dest.split(':').next().unwrap_or("").trim().to_ascii_lowercase();
        if !dest.starts_with("//") && !SAFE_SCHEMES.contains(&scheme.as_str()) {
            err(format!("link `{dest}`: scheme `{scheme}:` is not allowed (use http, https, mailto or tel)"), errors);
            return LinkTarget::Other("#".into());
        }
        return LinkTarget::External(dest.to_string());
    }
    if let Some(anchor) = dest.strip_prefix('#') {
        links.push(pending(input, at, dest, input.page_url, anchor));
        return LinkTarget::Internal(dest.to_string());
    }
    if dest.starts_with('/') {
        return LinkTarget::Internal(input.urls.page_href(dest));
    }
    let (path, anchor) = dest.split_once('#').unwrap_or((dest, ""));
    if !crate::content::is_markdown(path) {
        return LinkTarget::Other(dest.to_string());
    }
    let Some(key) = resolve_key(input.page_key, path) else {
        err(format!("broken link `{dest}`: leaves the content folder"), errors);
        return LinkTarget::Other(dest.to_string());
    };
    match input.pages.get(&key) {
        Some(url) => {
            links.push(pending(input, at, dest, url, anchor));
            let mut href = input.urls.page_href(url);
            if !anchor.is_empty() {
                href.push('#');
                href.push_str(anchor);
            }
            LinkTarget::Internal(href)
        }
        None => {
            err(format!("broken link `{dest}`: no page `{key}`"), errors);
            LinkTarget::Other(dest.to_string())
        }
    }
}

fn pending(input: &LinkScope, at: (usize, usize), written: &str, url: &str, anchor: &str) -> PendingLink {
    PendingLink {
        file: input.file.to_path_buf(),
        line: at.0,
        col: at.1,
        written: written.to_string(),
        page_url: url.to_string(),
        anchor: anchor.to_string(),
    }
}

/// An image's `src`: root-relative paths must name a file in the static folder and go under the base path.
pub fn image_src(input: &LinkScope, dest: &str, at: (usize, usize), errors: &mut Vec<Diagnostic>) -> String {
    if has_scheme(dest) || dest.starts_with("//") {
        return dest.to_string();
    }
    if let Some(rest) = dest.strip_prefix('/') {
        let path = rest.split(['?', '#']).next().unwrap_or(rest);
        if !input.static_dir.join(path).is_file() {
            errors.push(Diagnostic::new(
                input.file,
                at.0,
                at.1,
                format!("image `{dest}` not found in {}", input.static_dir.display()),
            ));
        }
        return input.urls.asset_href(dest);
    }
    dest.to_string()
}

/// Page URL -> ids present on that page. The single checker for page links and corpus URLs.
#[derive(Debug, Default)]
pub struct AnchorIndex {
    pages: BTreeMap<String, HashSet<String>>,
}

impl AnchorIndex {
    pub fn insert(&mut self, url: String, ids: HashSet<String>) {
        self.pages.insert(url, ids);
    }

    /// Checks a page URL (without base) and optional anchor; the error says what is missing.
    pub fn check(&self, page_url: &str, anchor: &str) -> Result<(), String> {
        let ids = self.pages.get(page_url).ok_or_else(|| format!("no page at `{page_url}`"))?;
        if !anchor.is_empty() && !ids.contains(anchor) {
            return Err(format!("page `{page_url}` has no anchor `#{anchor}`"));
        }
        Ok(())
    }

    /// Checks a `page_url#anchor` string.
    pub fn check_url(&self, url: &str) -> Result<(), String> {
        let (page, anchor) = url.split_once('#').unwrap_or((url, ""));
        self.check(page, anchor)
    }

    pub fn verify(&self, links: &[PendingLink]) -> Vec<Diagnostic> {
        links
            .iter()
            .filter_map(|l| {
                self.check(&l.page_url, &l.anchor)
                    .err()
                    .map(|e| Diagnostic::new(&l.file, l.line, l.col, format!("broken link `{}`: {e}", l.written)))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_keys() {
        assert_eq!(resolve_key("03-k/index.md", "../04-d/a.md").as_deref(), Some("04-d/a.md"));
        assert_eq!(resolve_key("index.md", "./glossary.md").as_deref(), Some("glossary.md"));
        assert_eq!(resolve_key("index.md", "../x.md"), None);
    }

    #[test]
    fn anchor_index_checks_pages_and_fragments() {
        let mut idx = AnchorIndex::default();
        idx.insert("/ur/k/".into(), ["fk".to_string()].into());
        assert!(idx.check_url("/ur/k/#fk").is_ok());
        assert!(idx.check_url("/ur/k/").is_ok());
        assert!(idx.check_url("/ur/k/#ik").expect_err("anchor").contains("#ik"));
        assert!(idx.check_url("/ur/x/#fk").expect_err("page").contains("/ur/x/"));
    }

    #[test]
    fn scheme_detection() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("../a.md"));
        assert!(!has_scheme("a/b:c"));
    }
}
