//! Client-side search with Pagefind: every page becomes one Pagefind page whose headings are sub-results (each
//! links to its section anchor), fed from the same Markdown parse and section split as the pages and the RAG
//! corpus. Pagefind writes a chunked, compressed index per language plus its
//! WebAssembly search runtime under `pagefind/`; the browser fetches only the chunks a query needs, so search
//! works offline on GitHub Pages and scales to the whole book. Urdu has no Pagefind stemmer; it is indexed as
//! whole words, which matches how readers type it.
//!
//! Only the indexing API is used (`default-features = false` drops Pagefind's own dev server). It is async, so
//! the build runs it on a small current-thread Tokio runtime.
//!
//! Each language is indexed by its own Pagefind instance on its own thread, and the two bundles are merged. Why:
//! one instance indexes record by record behind a single lock and compresses every file on one thread, which made
//! search the longest step of a full build (figures: bench/REPORT.md §6). Pagefind keeps languages apart
//! anyway (every index file is named for its language); only `pagefind-entry.json`, which lists the languages, is
//! shared, and the runtime files are the same bytes in both bundles.

use std::collections::BTreeMap;
use std::path::Component;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::urls::SiteUrls;

/// One searchable page; each of its sections becomes a Pagefind sub-result.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Page {
    /// Page URL without the base path (`/kinematics/`), as in the RAG corpus; the index links to it under the base.
    pub url: String,
    pub title: String,
    /// `en` or `ur`.
    pub lang: String,
    pub sections: Vec<Section>,
}

/// One section of a page, as split for the RAG corpus.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Section {
    /// Heading id (empty for the page intro).
    pub anchor: String,
    /// Section heading (empty for the page intro).
    pub heading: String,
    /// Plain text of the section; it starts with the heading line.
    pub text: String,
}

/// The `pagefind/` bundle: `(path under the output root, bytes)` per file.
pub type Bundle = Vec<(String, Vec<u8>)>;

#[derive(Debug, thiserror::Error)]
#[error("search index: {0}")]
pub struct SearchError(String);

const ENTRY: &str = "pagefind/pagefind-entry.json";
/// Above this much section text the languages are indexed one after the other instead of at once. Pagefind holds
/// several times the text's size in memory while it indexes, so a large book indexed in both languages at once
/// went past the memory target (bench/REPORT.md §6); the textbook stays well below and keeps the speed.
const PARALLEL_TEXT_BYTES: usize = 4 << 20;

/// Builds the index, its result links under the base path of `urls`; returns `(path under the output root, bytes)`
/// for every file of the `pagefind/` bundle.
pub fn index(pages: &[Page], urls: &SiteUrls) -> Result<Bundle, SearchError> {
    let by_lang = by_language(pages);
    if by_lang.len() <= 1 {
        return index_one(pages.iter(), urls);
    }
    let parallel = parallel_ok(text_bytes(by_lang.values().flatten().copied()));
    index_languages(&by_lang, parallel, urls)
}

/// The pages of each language, in language order (the order bundles are merged in).
pub fn by_language(pages: &[Page]) -> BTreeMap<&str, Vec<&Page>> {
    let mut by_lang: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for p in pages {
        by_lang.entry(p.lang.as_str()).or_default().push(p);
    }
    by_lang
}

/// Section text of `pages`, in bytes: what decides whether languages are indexed at once.
pub fn text_bytes<'a>(pages: impl Iterator<Item = &'a Page>) -> usize {
    pages.flat_map(|p| &p.sections).map(|s| s.text.len()).sum()
}

/// Whether languages holding this much text may be indexed at once (see [`PARALLEL_TEXT_BYTES`]).
pub fn parallel_ok(text_bytes: usize) -> bool {
    text_bytes <= PARALLEL_TEXT_BYTES
}

fn index_languages(
    by_lang: &BTreeMap<&str, Vec<&Page>>,
    parallel: bool,
    urls: &SiteUrls,
) -> Result<Bundle, SearchError> {
    let groups: Vec<&[&Page]> = by_lang.values().map(Vec::as_slice).collect();
    merge(index_each(&groups, parallel, urls)?)
}

/// One bundle per group of pages (each group one language), the groups at once or one after the other.
pub fn index_each(groups: &[&[&Page]], parallel: bool, urls: &SiteUrls) -> Result<Vec<Bundle>, SearchError> {
    if !parallel || groups.len() <= 1 {
        return groups.iter().map(|pages| index_one(pages.iter().copied(), urls)).collect();
    }
    std::thread::scope(|scope| {
        let running: Vec<_> =
            groups.iter().map(|pages| scope.spawn(move || index_one(pages.iter().copied(), urls))).collect();
        running
            .into_iter()
            .map(|t| t.join().map_err(|_| SearchError("a language's indexing thread panicked".into()))?)
            .collect::<Result<Vec<_>, _>>()
    })
}

/// One bundle from per-language bundles: the languages of every `pagefind-entry.json` in one entry, every other
/// file once. The same path with different bytes in two bundles means Pagefind changed how it names files, and
/// merging would silently lose one: that is an error.
pub fn merge(bundles: Vec<Bundle>) -> Result<Bundle, SearchError> {
    let mut entry: Option<serde_json::Value> = None;
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for bundle in bundles {
        for (path, bytes) in bundle {
            if path == ENTRY {
                let e: serde_json::Value = serde_json::from_slice(&bytes)
                    .map_err(|err| SearchError(format!("{ENTRY} from Pagefind is not JSON: {err}")))?;
                match entry.as_mut() {
                    None => entry = Some(e),
                    Some(merged) => {
                        let langs = e.get("languages").and_then(|l| l.as_object()).cloned().unwrap_or_default();
                        let into = merged
                            .get_mut("languages")
                            .and_then(|l| l.as_object_mut())
                            .ok_or_else(|| SearchError(format!("{ENTRY} from Pagefind has no languages")))?;
                        into.extend(langs);
                    }
                }
            } else if let Some(existing) = files.get(&path) {
                if *existing != bytes {
                    return Err(SearchError(format!("two languages produced different {path}")));
                }
            } else {
                files.insert(path, bytes);
            }
        }
    }
    let entry = entry.ok_or_else(|| SearchError(format!("Pagefind wrote no {ENTRY}")))?;
    let entry = serde_json::to_vec(&entry).map_err(|e| SearchError(e.to_string()))?;
    files.insert(ENTRY.to_string(), entry);
    Ok(files.into_iter().collect())
}

pub fn index_one<'a>(pages: impl Iterator<Item = &'a Page>, urls: &SiteUrls) -> Result<Bundle, SearchError> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SearchError(format!("cannot start the indexing runtime: {e}")))?;
    rt.block_on(async {
        // Result URLs are used as given (page links under the base path); sub-results add the section anchor.
        let config = PagefindServiceConfig::builder().keep_index_url(true).build();
        let mut index = PagefindIndex::new(Some(config)).map_err(|e| SearchError(e.to_string()))?;
        for page in pages {
            index
                .add_html_file(None, Some(urls.page_href(&page.url)), page_html(page))
                .await
                .map_err(|e| SearchError(format!("{}: {e}", page.url)))?;
        }
        let files = index.get_files().await.map_err(|e| SearchError(e.to_string()))?;
        files.into_iter().map(|f| bundle_path(&f.filename).map(|p| (p, f.contents))).collect::<Result<Vec<_>, _>>()
    })
}

/// A minimal HTML document for one page, made from its sections: Pagefind indexes it as one page and turns every
/// heading with an `id` into a sub-result that links to that section. One page per result (instead of one
/// record per section) is what readers of Starlight or the Pagefind UI expect, and it writes one fragment file
/// per page instead of one per section (the textbook: 30 instead of ~830), which was most of a fresh build's
/// file creations.
fn page_html(page: &Page) -> String {
    use crate::html::escape as esc;
    let mut html =
        format!("<html lang=\"{}\"><body><h1 data-pagefind-meta=\"title\">{}</h1>", esc(&page.lang), esc(&page.title));
    for s in &page.sections {
        let mut text = s.text.as_str();
        if !s.anchor.is_empty() && !s.heading.is_empty() {
            html.push_str(&format!("<h2 id=\"{}\">{}</h2>", esc(&s.anchor), esc(&s.heading)));
            // Section text starts with its heading line (the RAG corpus wants it there); once is enough here, or
            // excerpts would repeat the heading.
            if let Some(rest) = text.strip_prefix(s.heading.as_str())
                && rest.starts_with(['\n', ' '])
            {
                text = rest.trim_start();
            }
        }
        // Excerpts are plain text: formulas go in as readable Unicode, not as LaTeX source.
        html.push_str(&format!("<p>{}</p>", esc(&crate::mathtext::plain_math(text))));
    }
    html.push_str("</body></html>");
    html
}

/// Pagefind names its files relative to the bundle directory (`fragment/en_1a.pf_fragment`) or, depending on its
/// options, under it (`<cwd>/pagefind/...`). Either way the result is the path below the output root.
/// The bundle's own sub-directories (fragment, index, filter) never use the name `pagefind`.
fn bundle_path(path: &std::path::Path) -> Result<String, SearchError> {
    let parts: Vec<String> = path
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        return Err(SearchError(format!("unexpected bundle file {}", path.display())));
    }
    let inner = match parts[..parts.len() - 1].iter().rposition(|p| p == "pagefind") {
        Some(root) => &parts[root + 1..],
        None if path.is_relative() => &parts[..],
        None => return Err(SearchError(format!("unexpected bundle file {}", path.display()))),
    };
    Ok(format!("pagefind/{}", inner.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A page titled "Kinematics" with `(anchor, heading, text)` sections.
    fn page(url: &str, lang: &str, sections: &[(&str, &str, &str)]) -> Page {
        Page {
            url: url.into(),
            title: "Kinematics".into(),
            lang: lang.into(),
            sections: sections
                .iter()
                .map(|(a, h, t)| Section { anchor: a.to_string(), heading: h.to_string(), text: t.to_string() })
                .collect(),
        }
    }

    #[test]
    fn formulas_are_indexed_as_readable_text_not_tex() {
        let html = page_html(&page(
            "/k/",
            "en",
            &[("j", "Jacobian", "Jacobian\nThe rates $\\dot{q}_i$ map to $$v = J(q)\\,\\dot{q}$$")],
        ));
        assert!(html.contains("The rates q̇ᵢ map to v = J(q) q̇"), "{html}");
        assert!(!html.contains('\\') && !html.contains('$'), "{html}");
    }

    #[test]
    fn bundle_paths_are_relative_to_the_output_root() {
        let p = std::path::Path::new("/work/x/pagefind/fragment/en_1a2b.pf_fragment");
        assert_eq!(bundle_path(p).unwrap(), "pagefind/fragment/en_1a2b.pf_fragment");
        assert_eq!(bundle_path(std::path::Path::new("pagefind/pagefind.js")).unwrap(), "pagefind/pagefind.js");
        assert_eq!(
            bundle_path(std::path::Path::new("fragment/en_1.pf_fragment")).unwrap(),
            "pagefind/fragment/en_1.pf_fragment"
        );
        assert!(bundle_path(std::path::Path::new("/tmp/other.js")).is_err());
    }

    #[test]
    fn both_languages_get_an_index_and_the_runtime_is_included() {
        let files = index(
            &[
                page(
                    "/kinematics/",
                    "en",
                    &[("forward-kinematics", "Forward kinematics", "Joint angles give the hand pose.")],
                ),
                page(
                    "/ur/kinematics/",
                    "ur",
                    &[("forward-kinematics", "فارورڈ کائنیمیٹکس", "جوڑوں کے زاویوں سے ہاتھ کا پوز")],
                ),
            ],
            &SiteUrls::default(),
        )
        .unwrap();
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        for must in ["pagefind/pagefind.js", "pagefind/pagefind-entry.json"] {
            assert!(names.contains(&must), "{must} missing from {names:?}");
        }
        let entry: serde_json::Value =
            serde_json::from_slice(&files.iter().find(|(n, _)| n == "pagefind/pagefind-entry.json").unwrap().1)
                .unwrap();
        assert!(entry["languages"]["en"]["page_count"].as_u64() == Some(1), "{entry}");
        assert!(entry["languages"]["ur"]["page_count"].as_u64() == Some(1), "{entry}");
        assert!(names.iter().any(|n| n.starts_with("pagefind/fragment/")), "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("pagefind/")), "{names:?}");
        // Each language keeps its own metadata and word index files next to the shared runtime.
        for lang in ["en", "ur"] {
            let prefix = format!("pagefind/pagefind.{lang}_");
            assert!(names.iter().any(|n| n.starts_with(&prefix)), "{prefix} missing from {names:?}");
            let prefix = format!("pagefind/index/{lang}_");
            assert!(names.iter().any(|n| n.starts_with(&prefix)), "{prefix} missing from {names:?}");
        }
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "every file once");
    }

    #[test]
    fn languages_indexed_at_once_or_one_by_one_give_the_same_bundle() {
        let pages = [
            page("/a/", "en", &[("x", "Frames", "A frame has an origin and three axes.")]),
            page("/b/", "en", &[("y", "Jacobian", "The Jacobian maps joint rates to hand velocity.")]),
            page("/ur/a/", "ur", &[("x", "فریم", "فریم کا ایک مبدا اور تین محور ہوتے ہیں")]),
        ];
        let mut by_lang: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
        for p in &pages {
            by_lang.entry(p.lang.as_str()).or_default().push(p);
        }
        let together = index_languages(&by_lang, true, &SiteUrls::default()).unwrap();
        let apart = index_languages(&by_lang, false, &SiteUrls::default()).unwrap();
        assert!(together == apart, "the bundles differ");
    }

    #[test]
    fn merging_refuses_two_different_files_under_one_path() {
        let entry = |lang: &str| {
            (
                ENTRY.to_string(),
                format!(r#"{{"version":"1","languages":{{"{lang}":{{"page_count":1}}}}}}"#).into_bytes(),
            )
        };
        let merged = merge(vec![
            vec![entry("en"), ("pagefind/pagefind.js".into(), b"js".to_vec())],
            vec![entry("ur"), ("pagefind/pagefind.js".into(), b"js".to_vec())],
        ])
        .unwrap();
        let e: serde_json::Value = serde_json::from_slice(&merged.iter().find(|(n, _)| n == ENTRY).unwrap().1).unwrap();
        assert_eq!(e["languages"].as_object().unwrap().len(), 2, "{e}");
        assert_eq!(merged.len(), 2);
        let clash = merge(vec![
            vec![entry("en"), ("pagefind/x".into(), b"a".to_vec())],
            vec![entry("ur"), ("pagefind/x".into(), b"b".to_vec())],
        ]);
        assert!(clash.unwrap_err().to_string().contains("pagefind/x"));
    }

    fn fragments(files: &Bundle) -> Vec<serde_json::Value> {
        use std::io::Read;
        files
            .iter()
            .filter(|(n, _)| n.starts_with("pagefind/fragment/"))
            .map(|(n, b)| {
                let mut text = String::new();
                flate2::read::GzDecoder::new(&b[..]).read_to_string(&mut text).unwrap();
                let json = text.strip_prefix("pagefind_dcd").unwrap_or_else(|| panic!("{n}: {text}"));
                serde_json::from_str(json).unwrap()
            })
            .collect()
    }

    #[test]
    fn a_page_is_one_result_whose_headings_are_sub_results() {
        let files = index(
            &[
                page(
                    "/k/",
                    "en",
                    &[
                        ("", "", "Robots <b>move</b> in frames."),
                        ("forward", "Forward & inverse", "Joint angles give the hand pose."),
                        ("jacobian", "Jacobian", "Jacobian\nThe Jacobian maps joint rates."),
                    ],
                ),
                page("/d/", "en", &[("x", "Dynamics", "Forces and torques.")]),
            ],
            &SiteUrls::default(),
        )
        .unwrap();
        let frags = fragments(&files);
        assert_eq!(frags.len(), 2, "one fragment per page: {frags:?}");
        let k = frags.iter().find(|f| f["url"] == "/k/").unwrap();
        assert_eq!(k["meta"]["title"], "Kinematics");
        let anchors: Vec<(&str, &str)> = k["anchors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| (a["id"].as_str().unwrap(), a["text"].as_str().unwrap()))
            .collect();
        assert_eq!(anchors, [("forward", "Forward & inverse"), ("jacobian", "Jacobian")]);
        // Section text is indexed as text: markup in it is neither parsed nor lost.
        let content = k["content"].as_str().unwrap();
        assert!(content.contains("Robots <b>move</b> in frames.") && content.contains("maps joint rates"), "{content}");
        // A section's own heading line is not repeated after the heading.
        assert_eq!(content.matches("Jacobian").count(), 2, "heading once, then the text's own mention: {content}");
    }

    #[test]
    fn results_link_to_pages_under_the_base_path() {
        let files = index(&[page("/k/", "en", &[("x", "Frames", "A frame.")])], &SiteUrls::new("", "/book/")).unwrap();
        let frags = fragments(&files);
        assert_eq!(frags[0]["url"], "/book/k/", "{frags:?}");
    }
}
