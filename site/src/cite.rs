//! Citations (see docs/authoring.md): the bibliography in `content/bibliography.toml`, `[@key]` / `[@a; @b]` in the
//! text rendered as numbered links, the "References" list appended to every page that cites, and the site-wide
//! bibliography page (a paragraph `[@*]`) with links back to the pages citing each entry.
//!
//! `[@...]` reaches the renderer as a shortcut link without a definition: pulldown-cmark's broken-link callback
//! turns it into a link (see [`broken_link`]), so code spans and code blocks never cite, and the raw `[@key]` text
//! never reaches the search index or the RAG corpus.

use crate::error::{Diagnostic, LineIndex};
use crate::figures::Numbering;
use crate::html::escape;
use crate::urls::SiteUrls;
use pulldown_cmark::{BrokenLink, CowStr, LinkType};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Where the bibliography lives, relative to the content folder.
pub const FILE: &str = "bibliography.toml";
/// Written where a `[@*]` paragraph stood; replaced by the full list once every page's citations are known.
const PLACEHOLDER: &str = "<!--site:bibliography-->";

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// As printed: `["S. Kajita", "F. Kanehiro"]`; an organisation is one author (`["ISO"]`).
    pub authors: Vec<String>,
    pub title: String,
    /// Journal, proceedings, publisher or standards body, with volume and pages where they apply.
    pub venue: String,
    pub year: u16,
    #[serde(default)]
    pub doi: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

#[derive(Debug, Default)]
pub struct Bibliography {
    pub entries: BTreeMap<String, Entry>,
    /// Hash of the file, so cached page renders are redone when an entry changes.
    pub fingerprint: String,
}

static EMPTY: Bibliography = Bibliography { entries: BTreeMap::new(), fingerprint: String::new() };

/// A citation key: letters, digits, `_` and `-` (`fig:` and `eq:` are label prefixes, never keys).
pub fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Reads and validates the bibliography. A missing file is an empty bibliography (citing anything is then an error).
pub fn load(path: &Path, shown_as: &str) -> Result<Bibliography, Vec<Diagnostic>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Bibliography::default()),
        Err(e) => return Err(vec![Diagnostic::new(shown_as, 0, 0, e.to_string())]),
    };
    let lines = LineIndex::new(&text);
    let entries: BTreeMap<String, Entry> = toml::from_str(&text).map_err(|e| {
        let (l, c) = e.span().map_or((1, 1), |s| lines.line_col(&text, s.start));
        vec![Diagnostic::new(shown_as, l, c, e.message().to_string())]
    })?;
    let mut errors = vec![];
    for (key, e) in &entries {
        let at = text.find(&format!("[{key}]")).map_or((1, 1), |o| lines.line_col(&text, o));
        let mut bad = |msg: String| errors.push(Diagnostic::new(shown_as, at.0, at.1, format!("[{key}]: {msg}")));
        if !valid_key(key) {
            bad("a key has only ASCII letters, digits, `_` and `-`".into());
        }
        if e.authors.is_empty() || e.authors.iter().any(|a| a.trim().is_empty()) {
            bad("`authors` must list at least one non-empty name".into());
        }
        for (field, v) in [("title", &e.title), ("venue", &e.venue)] {
            if v.trim().is_empty() {
                bad(format!("`{field}` must not be empty"));
            }
        }
        if !(1000..=2100).contains(&e.year) {
            bad(format!("`year` {} is not a year", e.year));
        }
        if let Some(doi) = &e.doi
            && !(doi.starts_with("10.") && doi.contains('/') && !doi.contains(char::is_whitespace))
        {
            bad(format!("`doi` {doi:?} is not a DOI (10.xxxx/...; without https://doi.org/)"));
        }
        if let Some(url) = &e.url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            bad(format!("`url` {url:?} must start with https:// or http://"));
        }
        if e.doi.is_none() && e.url.is_none() {
            bad("give a `doi` or a `url` so readers can find the source".into());
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let fingerprint = crate::hashing::short_hash(text.as_bytes());
    Ok(Bibliography { entries, fingerprint })
}

impl Entry {
    fn author_list(&self) -> String {
        match self.authors.as_slice() {
            [] => String::new(),
            [a] => a.clone(),
            [a, b] => format!("{a} and {b}"),
            list if list.len() > 6 => format!("{} et al.", list[..3].join(", ")),
            [init @ .., last] => format!("{}, and {last}", init.join(", ")),
        }
    }

    /// "(Kajita et al., 2003)": what a citation stands for in search and corpus text.
    pub fn short(&self) -> String {
        let surname = |a: &String| a.split_whitespace().last().unwrap_or(a).to_string();
        let who = match self.authors.as_slice() {
            [a] => surname(a),
            [a, b] => format!("{} and {}", surname(a), surname(b)),
            [a, ..] => format!("{} et al.", surname(a)),
            [] => String::new(),
        };
        format!("({who}, {})", self.year)
    }

    fn link(&self) -> Option<(String, String)> {
        match (&self.doi, &self.url) {
            (Some(doi), _) => Some((format!("https://doi.org/{doi}"), format!("doi:{doi}"))),
            (None, Some(url)) => Some((url.clone(), url.clone())),
            (None, None) => None,
        }
    }

    /// The entry as one line of HTML (always left-to-right English, also on Urdu pages).
    pub fn html(&self) -> String {
        let mut s = format!(
            "{} ({}). “{}.” <em>{}</em>.",
            escape(&self.author_list()),
            self.year,
            escape(self.title.trim_end_matches('.')),
            escape(&self.venue)
        );
        if let Some((href, text)) = self.link() {
            s.push_str(&format!(
                " <a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">{}</a>",
                escape(&href),
                escape(&text)
            ));
        }
        s
    }
}

/// [`load`] for a build: `content/bibliography.toml`, errors as content errors.
pub fn load_from(opts: &crate::config::BuildOptions) -> crate::error::Result<Bibliography> {
    let path = opts.content_dir().join(FILE);
    let shown = path.strip_prefix(&opts.root).unwrap_or(&path).display().to_string();
    load(&path, &shown).map_err(crate::error::SiteError::Content)
}

/// What rendering a page needs besides the page: the bibliography, its chapter number and localised labels.
pub struct RefContext<'a> {
    pub bibliography: &'a Bibliography,
    /// Figures and equations are numbered `3.1`, `3.2`, ... in chapter 3; plain `1`, `2` without a chapter.
    pub chapter: Option<i64>,
    /// "Figure" / "شکل".
    pub figure_label: String,
    /// Heading of the generated list, "References" / "حوالہ جات".
    pub references_title: String,
}

impl Default for RefContext<'static> {
    fn default() -> Self {
        RefContext {
            bibliography: &EMPTY,
            chapter: None,
            figure_label: "Figure".into(),
            references_title: "References".into(),
        }
    }
}

/// The context of page `key` in a locale with UI `strings`: the chapter number comes from the chapter folder.
pub fn page_context<'a>(
    strings: Option<&crate::i18n::Strings>,
    bibliography: &'a Bibliography,
    key: &str,
) -> RefContext<'a> {
    let get = |k: &str, default: &str| strings.and_then(|s| s.get(k)).cloned().unwrap_or_else(|| default.into());
    let chapter = key.split_once('/').and_then(|(folder, _)| crate::content::strip_order(folder).1);
    RefContext {
        bibliography,
        chapter,
        figure_label: get("figure-label", "Figure"),
        references_title: get("references-title", "References"),
    }
}

/// What one page cites, kept with its render.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageRefs {
    /// Bibliography keys in order of first citation: entry `n` of the page's list is `cited[n - 1]`.
    pub cited: Vec<String>,
    /// Anchor of the section holding a `[@*]` paragraph (the site-wide bibliography), if the page has one.
    pub bibliography_at: Option<String>,
}

/// The broken-link callback: `[@...]` becomes a link whose destination is the label, so the renderer sees it as
/// one `ShortcutUnknown` link ([`is_citation`]); any other undefined reference stays text, as before.
pub fn broken_link<'a>(link: BrokenLink<'a>) -> Option<(CowStr<'a>, CowStr<'a>)> {
    (link.link_type == LinkType::Shortcut && link.reference.trim_start().starts_with('@'))
        .then(|| (link.reference, CowStr::from("")))
}

pub fn is_citation(link_type: LinkType) -> bool {
    link_type == LinkType::ShortcutUnknown
}

fn reject(out: &mut Vec<Diagnostic>, file: &Path, at: (usize, usize), msg: String) -> (String, String) {
    out.push(Diagnostic::new(file, at.0, at.1, msg));
    (String::new(), String::new())
}

/// Renders the citation `label` (`@a; @fig:x; @eq:y`, or `@*`): returns its HTML and its plain text (for search and
/// the corpus). Unknown keys and labels are errors at `at`.
pub fn citation(
    label: &str,
    ctx: &RefContext,
    numbering: &Numbering,
    refs: &mut PageRefs,
    section_anchor: &str,
    (file, at): (&Path, (usize, usize)),
    errors: &mut Vec<Diagnostic>,
) -> (String, String) {
    if label.trim() == "@*" {
        refs.bibliography_at = Some(section_anchor.to_string());
        return (PLACEHOLDER.to_string(), String::new());
    }
    let mut html: Vec<String> = vec![];
    let mut text: Vec<String> = vec![];
    // Consecutive bibliography keys share one bracket: "[1, 2]".
    let mut group: Vec<String> = vec![];
    let mut group_text: Vec<String> = vec![];
    let flush = |group: &mut Vec<String>, group_text: &mut Vec<String>, html: &mut Vec<String>, t: &mut Vec<String>| {
        if !group.is_empty() {
            html.push(format!("<span class=\"cite\">[{}]</span>", group.join(", ")));
            t.push(group_text.join(" "));
            group.clear();
            group_text.clear();
        }
    };
    for item in label.split(';').map(str::trim) {
        let Some(key) = item.strip_prefix('@') else {
            return reject(errors, file, at, format!("citation `[{label}]`: `{item}` does not start with `@`"));
        };
        if key.starts_with("fig:") || key.starts_with("eq:") {
            let Some((id, shown)) = numbering.label(key, &ctx.figure_label) else {
                let what = if key.starts_with("fig:") {
                    "no figure on this page has that label (a figure is a paragraph holding only an image with a \
                     title; its label is `fig:` + the image file name without extension)"
                } else {
                    "no display equation on this page has `\\label{...}` with that name"
                };
                return reject(errors, file, at, format!("unknown label `{key}`: {what}"));
            };
            flush(&mut group, &mut group_text, &mut html, &mut text);
            html.push(format!("<a class=\"xref\" href=\"#{id}\">{}</a>", escape(&shown)));
            text.push(shown);
            continue;
        }
        if !valid_key(key) {
            return reject(errors, file, at, format!("citation `[{label}]`: `{key}` is not a valid key"));
        }
        let Some(entry) = ctx.bibliography.entries.get(key) else {
            return reject(errors, file, at, format!("unknown citation key `{key}` (not in content/{FILE})"));
        };
        let n = match refs.cited.iter().position(|k| k == key) {
            Some(i) => i + 1,
            None => {
                refs.cited.push(key.to_string());
                refs.cited.len()
            }
        };
        group.push(format!("<a href=\"#ref-{key}\" role=\"doc-biblioref\">{n}</a>"));
        group_text.push(entry.short());
    }
    flush(&mut group, &mut group_text, &mut html, &mut text);
    (html.join(", "), text.join(", "))
}

/// The page's "References" list (HTML), or `None` when the page cites nothing.
pub fn references(ctx: &RefContext, refs: &PageRefs) -> Option<String> {
    if refs.cited.is_empty() {
        return None;
    }
    let mut html = format!(
        "<section class=\"references\" role=\"doc-bibliography\"><h2 id=\"references\">{}</h2>\n<ol class=\"references\">\n",
        escape(&ctx.references_title)
    );
    for key in &refs.cited {
        if let Some(e) = ctx.bibliography.entries.get(key) {
            html.push_str(&format!("<li id=\"ref-{key}\" dir=\"ltr\" lang=\"en\">{}</li>\n", e.html()));
        }
    }
    html.push_str("</ol></section>\n");
    Some(html)
}

/// Appends the page's reference list (heading id `references`, in the table of contents and the page's ids).
///
/// The list is not a section for search and the chat corpus, nor is the site-wide list: retrieval would answer a
/// question about the capture point with a paper title in a list instead of the chapter's explanation. The text
/// itself carries each citation as "(Pratt et al., 2006)".
pub fn append_references(
    ctx: &RefContext,
    out: &mut crate::markdown::Rendered,
    used_ids: &mut std::collections::HashSet<String>,
    file: &Path,
) {
    let Some(html) = references(ctx, &out.refs) else {
        return;
    };
    if !used_ids.insert("references".to_string()) {
        out.errors.push(Diagnostic::new(
            file,
            1,
            1,
            "heading id `references` is reserved for the generated reference list of a page that cites; \
             remove the hand-written references heading (the list is generated from the `[@key]` citations)",
        ));
        return;
    }
    out.html.push_str(&html);
    out.toc.push(crate::markdown::TocEntry { level: 2, id: "references".into(), text: ctx.references_title.clone() });
    out.ids.insert("references".into());
}

/// A page that cites: `(title, url without base)`.
pub struct Citer<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub refs: &'a PageRefs,
}

/// The site-wide list for a `[@*]` page of one locale: every entry, by first author and year, each followed by
/// links to the pages (`citers`, same locale) that cite it.
pub fn full_list(bib: &Bibliography, citers: &[Citer], cited_in: &str, urls: &SiteUrls) -> String {
    let mut keys: Vec<&String> = bib.entries.keys().collect();
    keys.sort_by_key(|k| {
        let e = &bib.entries[*k];
        let surname = e.authors.first().and_then(|a| a.split_whitespace().last()).unwrap_or_default();
        (surname.to_lowercase(), e.year, (*k).clone())
    });
    let mut html = String::from("<ol class=\"references bibliography\">\n");
    for key in keys {
        let e = &bib.entries[key];
        let back: Vec<String> = citers
            .iter()
            .filter(|c| c.refs.cited.contains(key))
            .map(|c| {
                let href = format!("{}#ref-{key}", urls.page_href(c.url));
                format!("<a href=\"{}\">{}</a>", escape(&href), escape(c.title))
            })
            .collect();
        let back = if back.is_empty() {
            String::new()
        } else {
            format!("<br><span class=\"cited-in\" dir=\"auto\">{} {}</span>", escape(cited_in), back.join(", "))
        };
        html.push_str(&format!("<li id=\"ref-{key}\" dir=\"ltr\" lang=\"en\">{}{back}</li>\n", e.html()));
    }
    html.push_str("</ol>\n");
    html
}

/// Fills every `[@*]` page with the full list for its locale, linking back to that locale's citing pages.
pub fn fill_bibliography_pages(
    site: &crate::content::Site,
    rendered: &mut [crate::markdown::Rendered],
    bib: &Bibliography,
    cited_in: &dyn Fn(protocol::Locale) -> String,
    urls: &SiteUrls,
) {
    let targets: Vec<usize> = (0..rendered.len()).filter(|&i| rendered[i].refs.bibliography_at.is_some()).collect();
    for i in targets {
        let locale = site.pages[i].locale;
        let citers: Vec<Citer> = site
            .pages
            .iter()
            .zip(rendered.iter())
            .filter(|(p, r)| p.locale == locale && !r.refs.cited.is_empty())
            .map(|(p, r)| Citer { title: &site.sources[p.source].fm.title, url: &p.url, refs: &r.refs })
            .collect();
        let list = full_list(bib, &citers, &cited_in(locale), urls);
        rendered[i].html = rendered[i].html.replacen(PLACEHOLDER, &list, 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(authors: &[&str]) -> Entry {
        Entry {
            authors: authors.iter().map(|s| s.to_string()).collect(),
            title: "A title.".into(),
            venue: "Journal".into(),
            year: 2003,
            doi: Some("10.1109/x.1".into()),
            url: None,
        }
    }

    #[test]
    fn author_lists_and_short_forms() {
        assert_eq!(entry(&["S. Kajita"]).short(), "(Kajita, 2003)");
        assert_eq!(entry(&["A. B", "C. D"]).short(), "(B and D, 2003)");
        assert_eq!(entry(&["A. B", "C. D", "E. F"]).short(), "(B et al., 2003)");
        assert_eq!(entry(&["A", "B", "C"]).author_list(), "A, B, and C");
        assert_eq!(entry(&["A", "B", "C", "D", "E", "F", "G"]).author_list(), "A, B, C et al.");
        let html = entry(&["A <b>"]).html();
        assert!(html.contains("A &lt;b&gt; (2003). “A title.” <em>Journal</em>."), "{html}");
        assert!(html.contains("href=\"https://doi.org/10.1109/x.1\""), "{html}");
    }

    #[test]
    fn load_reports_bad_entries_with_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.toml");
        std::fs::write(
            &p,
            "[ok]\nauthors = [\"A\"]\ntitle = \"T\"\nvenue = \"V\"\nyear = 2000\nurl = \"https://x\"\n\n\
             [bad]\nauthors = []\ntitle = \"T\"\nvenue = \"V\"\nyear = 2000\ndoi = \"https://doi.org/10.1/x\"\n",
        )
        .unwrap();
        let errs = load(&p, "content/bibliography.toml").expect_err("invalid");
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert!(errs.iter().all(|e| e.line == 8), "{errs:?}");
        assert!(errs[0].message.contains("authors"));
        assert!(errs[1].message.contains("not a DOI"));
        std::fs::write(&p, "[x]\nauthors = [\"A\"]\ntitel = \"T\"\n").unwrap();
        let errs = load(&p, "b.toml").expect_err("unknown field");
        assert_eq!(errs[0].line, 3, "{errs:?}");
        assert!(errs[0].message.contains("titel"), "{errs:?}");
        assert!(load(&dir.path().join("none.toml"), "x").expect("missing is empty").entries.is_empty());
    }
}
