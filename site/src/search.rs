//! Client-side search with Pagefind: every page becomes one Pagefind page whose headings are sub-results (each
//! links to its section anchor), fed from the same Markdown parse and section split as the pages and the RAG
//! corpus. The bundle under `pagefind/` is a chunked, compressed index per language plus Pagefind's WebAssembly
//! search runtime; the browser fetches only the chunks a query needs, so search works offline on GitHub Pages
//! and scales to the whole book. Urdu has no Pagefind stemmer; it is indexed as whole words, which matches how
//! readers type it.
//!
//! The index files are written here ([`words`], [`writer`]) in the format of the Pagefind crate's runtime
//! ([`runtime`]), not by Pagefind's indexer: that one reads pages one at a time behind a lock and compressed at
//! its slowest level, and was most of a cold build (bench/REPORT.md §1). [`reference`] keeps Pagefind's indexer
//! for the tests, which check that both write the same files for the same pages.

use std::collections::{BTreeMap, HashMap};
use std::path::Component;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::urls::SiteUrls;

pub mod reference;
mod runtime;
mod words;
mod writer;

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

/// Builds the index, its result links under the base path of `urls`; returns `(path under the output root, bytes)`
/// for every file of the `pagefind/` bundle.
pub fn index(pages: &[Page], urls: &SiteUrls) -> Result<Bundle, SearchError> {
    index_one(pages.iter(), urls)
}

/// See [`runtime::prefetch`].
pub fn prefetch_runtime(langs: &[&str]) {
    runtime::prefetch(langs)
}

/// The pages of each language, in language order (the order bundles are merged in).
pub fn by_language(pages: &[Page]) -> BTreeMap<&str, Vec<&Page>> {
    let mut by_lang: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for p in pages {
        by_lang.entry(p.lang.as_str()).or_default().push(p);
    }
    by_lang
}

/// One bundle per group of pages (each group one language), the groups at the same time: each index has steps
/// on one core (naming its files), which the other language's work fills (the textbook into an empty folder:
/// 190 -> 170 ms). Both languages' words are held at once; slimmer word positions keep a cold 2,002-page build's
/// peak at 194 MB (Hugo: 235 MB).
pub fn index_each(groups: &[&[&Page]], urls: &SiteUrls, cache: Option<&PageCache>) -> Result<Vec<Bundle>, SearchError> {
    groups.par_iter().map(|pages| index_cached(pages.iter().copied(), urls, cache)).collect()
}

/// Pages already read, per language, under a key of everything a page's words come from. `site serve` keeps one
/// between rebuilds, so after an edit only the edited page is read again and its language's index is written from
/// the rest as they were (the textbook: the search index about 40 ms after an edit instead of about 100).
#[derive(Default)]
pub struct PageCache {
    pages: Mutex<HashMap<String, HashMap<String, Arc<words::PageWords>>>>,
    /// Pages read (not found in the cache) so far.
    reads: AtomicUsize,
}

impl PageCache {
    pub fn reads(&self) -> usize {
        self.reads.load(Ordering::Relaxed)
    }
}

fn page_key(p: &Page) -> String {
    let mut h = crate::hashing::Hasher::new();
    h.part(&p.lang).part(&p.title);
    for s in &p.sections {
        h.part(&s.anchor).part(&s.heading).part(&s.text);
    }
    h.hex()
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

/// The bundle for `pages` (any languages): each page read on its own (in parallel), each language's index written
/// from them, Pagefind's runtime beside.
pub fn index_one<'a>(pages: impl Iterator<Item = &'a Page>, urls: &SiteUrls) -> Result<Bundle, SearchError> {
    index_cached(pages, urls, None)
}

/// [`index_one`], reading only the pages `cache` does not hold (and leaving it holding exactly these pages).
pub fn index_cached<'a>(
    pages: impl Iterator<Item = &'a Page>,
    urls: &SiteUrls,
    cache: Option<&PageCache>,
) -> Result<Bundle, SearchError> {
    let mut by_lang: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for p in pages {
        by_lang.entry(p.lang.as_str()).or_default().push(p);
    }
    let langs: Vec<&str> = by_lang.keys().copied().collect();
    let runtime = runtime::runtime(&langs)?;
    let mut files: Bundle = runtime.files.iter().map(|(n, b)| (format!("pagefind/{n}"), b.clone())).collect();
    let mut entry = vec![];
    for (lang, pages) in by_lang {
        let mut known = cache.and_then(|c| c.pages.lock().ok()?.remove(lang)).unwrap_or_default();
        let keyed: Vec<(&Page, String, Option<Arc<words::PageWords>>)> = pages
            .iter()
            .map(|p| {
                let key = if cache.is_some() { page_key(p) } else { String::new() };
                let have = known.remove(&key);
                (*p, key, have)
            })
            .collect();
        let read: Vec<(String, String, Arc<words::PageWords>)> = keyed
            .into_par_iter()
            .map_init(
                || (words::stemmer(lang), words::Memo::default()),
                |(stemmer, memo), (p, key, have)| {
                    let w = have.unwrap_or_else(|| {
                        if let Some(c) = cache {
                            c.reads.fetch_add(1, Ordering::Relaxed);
                        }
                        Arc::new(read_page(p, stemmer.as_ref(), memo))
                    });
                    (urls.page_href(&p.url), key, w)
                },
            )
            .collect();
        if let Some(mut held) = cache.and_then(|c| c.pages.lock().ok()) {
            held.insert(lang.to_string(), read.iter().map(|(_, k, w)| (k.clone(), w.clone())).collect());
        }
        // Pagefind leaves out a page without a single word.
        let read: Vec<(String, Arc<words::PageWords>)> =
            read.into_iter().filter(|(_, _, w)| !w.words.is_empty()).map(|(u, _, w)| (u, w)).collect();
        let index = writer::build(lang, read, &runtime.version);
        files.extend(index.files.into_iter().map(|(n, b)| (format!("pagefind/{n}"), b)));
        let wasm = runtime.wasm.get(lang).cloned().flatten();
        entry.push((lang.to_string(), index.meta_hash, wasm, index.page_count));
    }
    files.push((ENTRY.to_string(), writer::entry_json(&runtime.version, &entry)));
    files.sort();
    Ok(files)
}

/// A page's words: the title, then per section its heading and text, as [`page_html`] lays them out.
fn read_page(page: &Page, stemmer: Option<&pagefind_stem::Stemmer>, memo: &mut words::Memo) -> words::PageWords {
    let bodies: Vec<String> = page.sections.iter().map(section_body).collect();
    let blocks = words::blocks(
        &page.title,
        page.sections.iter().zip(&bodies).map(|(s, b)| (s.anchor.as_str(), s.heading.as_str(), b.as_str())),
    );
    words::page_words(&page.title, &blocks, stemmer, memo)
}

/// A section's text as indexed: without its heading line (the heading comes before it), formulas as readable
/// Unicode instead of LaTeX source.
fn section_body(s: &Section) -> String {
    let mut text = s.text.as_str();
    if !s.anchor.is_empty()
        && !s.heading.is_empty()
        && let Some(rest) = text.strip_prefix(s.heading.as_str())
        && rest.starts_with(['\n', ' '])
    {
        text = rest.trim_start();
    }
    crate::mathtext::plain_math(text)
}

/// A minimal HTML document for one page, made from its sections: Pagefind indexes it as one page and turns every
/// heading with an `id` into a sub-result that links to that section. One page per result (instead of one
/// record per section) is what readers of Starlight or the Pagefind UI expect, and it writes one fragment file
/// per page instead of one per section (the textbook: 30 instead of ~830), which was most of a fresh build's
/// file creations.
pub fn page_html(page: &Page) -> String {
    use crate::html::escape as esc;
    let mut html =
        format!("<html lang=\"{}\"><body><h1 data-pagefind-meta=\"title\">{}</h1>", esc(&page.lang), esc(&page.title));
    for s in &page.sections {
        if !s.anchor.is_empty() && !s.heading.is_empty() {
            html.push_str(&format!("<h2 id=\"{}\">{}</h2>", esc(&s.anchor), esc(&s.heading)));
        }
        html.push_str(&format!("<p>{}</p>", esc(&section_body(s))));
    }
    html.push_str("</body></html>");
    html
}

/// Pagefind names its files relative to the bundle directory (`fragment/en_1a.pf_fragment`) or, depending on its
/// options, under it (`<cwd>/pagefind/...`). Either way the result is the path below the output root.
/// The bundle's own sub-directories (fragment, index, filter) never use the name `pagefind`.
pub fn bundle_path(path: &std::path::Path) -> Result<String, SearchError> {
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
mod tests;
