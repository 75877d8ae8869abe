//! The build as sibling steps over one loaded site: load -> render -> (layout | search index) -> corpus ->
//! sitemap -> write. Each step is a module of its own; this one runs them for a [`BuildMode`].

mod corpus;
mod layout;
mod load;
mod render;
mod renders;
mod search;
mod sitemap;

use crate::assets::Files;
use crate::config::BuildOptions;
use crate::error::{Diagnostic, Result, SiteError};
use crate::links::AnchorIndex;
use crate::markdown::Rendered;
use crate::output::Output;
use crate::urls::SiteUrls;
use load::Loaded;
use protocol::{CorpusManifest, Locale};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub use search::search_bundle;

/// Translation parity between English and Urdu (reported, not fatal).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parity {
    /// English page keys with no Urdu file (served as English fallback).
    pub untranslated: Vec<String>,
    /// Urdu files with no English original.
    pub urdu_only: Vec<String>,
    /// (key, ids only in English, ids only in Urdu).
    pub heading_mismatch: Vec<(String, Vec<String>, Vec<String>)>,
    /// English pages, and how many of them have an Urdu translation with the same heading ids.
    pub english_pages: usize,
    pub complete: usize,
}

impl Parity {
    /// Share of English pages fully translated (Urdu file present, same heading ids), in percent.
    pub fn percent(&self) -> f64 {
        if self.english_pages == 0 { 100.0 } else { self.complete as f64 * 100.0 / self.english_pages as f64 }
    }
}

/// Result of a successful build or check.
#[derive(Debug, Default)]
pub struct BuildReport {
    pub pages: usize,
    /// Pages whose Markdown was rendered in this run (the rest came from the cache).
    pub rendered: usize,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
    pub parity: Parity,
    /// Every output file, relative to the output root (what `build` writes).
    pub files: Files,
    pub manifest: Option<CorpusManifest>,
    /// What the search bundle is built from; `site serve` builds it after the reload (see [`search_bundle`]).
    pub search_pages: Vec<crate::search::Page>,
    /// The base path and origin the pages were laid out with (the search bundle links under the same base).
    pub urls: SiteUrls,
}

/// What a run produces, and where.
#[derive(Clone, Copy)]
pub enum BuildMode<'a> {
    /// `site build`: pages go to disk as they are laid out; everything else comes back in `files`.
    Write(&'a Output),
    /// Everything in memory, search bundle included (tests, tools).
    Memory,
    /// `site serve`: in memory without the search bundle, which is built after the browser reloads so a one-page
    /// edit is not held up by re-indexing the whole book ([`BuildReport::search_pages`] holds its input).
    DeferredSearch,
    /// `site check`: every validation, no search bundle (it has no checks of its own: its page URLs are the corpus
    /// URLs, which are verified).
    Check,
}

impl BuildMode<'_> {
    fn with_search(self) -> bool {
        matches!(self, BuildMode::Write(_) | BuildMode::Memory)
    }
}

/// Markdown renders from earlier builds, reused by `site serve` when a page's inputs are unchanged, so
/// a one-page edit re-renders only that page (and its fallback copy). Layout is redone for every page
/// because titles feed every sidebar; that step is cheap next to highlighting and math.
#[derive(Default)]
pub struct RenderCache {
    entries: Mutex<HashMap<String, Rendered>>,
    /// The last search bundle of each language and the key of what it was built from (see [`search_bundle`]): an
    /// edit re-indexes only its page's language; a template or style edit leaves the pages unchanged and none.
    search: Mutex<HashMap<String, (String, crate::search::Bundle)>>,
    /// Each page's words as the search index last read them: an edit re-reads only its page.
    search_pages: crate::search::PageCache,
    /// "Last updated" dates from git: one `git log` of the content tree, about 10 ms of every rebuild. They change
    /// with commits, not edits, so `site serve` reads them once (and again after a non-content change).
    dates: Mutex<Option<HashMap<String, String>>>,
    /// Content files as loaded, by path: an edit loads only the edited file again.
    files: crate::content::FileCache,
    /// The compiled templates (about 1.5 ms of a rebuild to compile again).
    tera: Mutex<Option<tera::Tera>>,
    /// Urdu terminology findings per file (see [`crate::terms::CheckCache`]).
    terms: crate::terms::CheckCache,
}

impl RenderCache {
    /// Forgets the renders: for template, config, locale or static changes. The search bundles stay: their keys
    /// hold everything they are made from.
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
        if let Ok(mut d) = self.dates.lock() {
            *d = None;
        }
        self.files.clear();
        self.terms.clear();
        if let Ok(mut t) = self.tera.lock() {
            *t = None;
        }
    }
}

/// Runs every step except writing. Content errors (all of them) come back as `SiteError::Content`.
pub fn generate(opts: &BuildOptions) -> Result<BuildReport> {
    generate_with(opts, BuildMode::Memory, None)
}

/// [`generate`], reusing Markdown renders from `cache` where a page's inputs did not change.
pub fn generate_cached(opts: &BuildOptions, cache: Option<&RenderCache>) -> Result<BuildReport> {
    generate_with(opts, BuildMode::Memory, cache)
}

/// `site build`: everything, written to the output directory (see [`crate::output`]).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let out = Output::prepare(&opts.out_dir())?;
    let mut report = match generate_with(opts, BuildMode::Write(&out), None) {
        Ok(r) => r,
        Err(e) => {
            out.abandon();
            return Err(e);
        }
    };
    let t0 = Instant::now();
    if let Err(e) = out.write_all(&report.files) {
        out.abandon();
        return Err(e);
    }
    out.finish()?;
    report.timings.push(("write", t0.elapsed()));
    Ok(report)
}

/// `site check`: every validation, nothing written.
pub fn check(opts: &BuildOptions) -> Result<BuildReport> {
    generate_with(opts, BuildMode::Check, None)
}

/// Every content error of the rendered pages (broken anchors, bad terms included), sorted by place.
fn content_errors(
    loaded: &Loaded,
    rendered: &[Rendered],
    anchors: &AnchorIndex,
    report: &mut BuildReport,
    cache: Option<&RenderCache>,
) -> Vec<Diagnostic> {
    let mut errors: Vec<Diagnostic> = vec![];
    for (p, r) in loaded.site.pages.iter().zip(rendered) {
        // A fallback page repeats the English page's diagnostics; report them once.
        if p.fallback {
            continue;
        }
        errors.extend(r.errors.iter().cloned());
        errors.extend(anchors.verify(&r.links));
        report.warnings.extend(r.warnings.iter().cloned());
    }
    errors.extend(crate::terms::check_site_cached(&loaded.site, &loaded.terms, cache.map(|c| &c.terms)));
    errors.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    errors.dedup();
    errors
}

/// Runs the steps for `mode`. With [`BuildMode::Write`], pages are written as they are laid out and `files`
/// holds only the rest.
pub fn generate_with(opts: &BuildOptions, mode: BuildMode, cache: Option<&RenderCache>) -> Result<BuildReport> {
    let mut report = BuildReport::default();
    let t0 = Instant::now();
    if mode.with_search() && cache.is_none() {
        // A one-off build: the search runtime is made while the pages load and render (`site serve` makes it on
        // its first rebuild and keeps it).
        crate::search::prefetch_runtime(&Locale::ALL.map(|l| l.as_str()));
    }
    let loaded = load::load(opts, cache)?;
    report.warnings.extend(loaded.site.warnings.iter().cloned());
    report.timings.push(("load", t0.elapsed()));

    let t0 = Instant::now();
    let out = match mode {
        BuildMode::Write(o) => Some(o),
        _ => None,
    };
    let (mut rendered, fresh, disk_renders) =
        render::render_pages(opts, &loaded, cache, out.map(Output::cache_dir).as_deref());
    let cited_in = |lc: Locale| {
        loaded.strings.get(lc.as_str()).and_then(|s| s.get("bibliography-cited-in")).cloned().unwrap_or_default()
    };
    crate::cite::fill_bibliography_pages(&loaded.site, &mut rendered, &loaded.bib, &cited_in, &loaded.urls);
    report.rendered = fresh;
    let markdown_time = t0.elapsed();
    let mut anchors = AnchorIndex::default();
    for (p, r) in loaded.site.pages.iter().zip(&rendered) {
        anchors.insert(p.url.clone(), r.ids.clone());
    }
    let errors = content_errors(&loaded, &rendered, &anchors, &mut report, cache);
    if !errors.is_empty() {
        // The clean renders still spare the next run their rendering.
        if let Some(d) = disk_renders {
            d.finish();
        }
        return Err(SiteError::Content(errors));
    }
    report.parity = render::parity(&loaded.site, &rendered);
    let search_pages = search::search_pages(&loaded, &rendered);

    // Pagefind indexing needs only the section texts, not the laid-out pages: it runs on its own thread while
    // the templates render (on 2 cores this hides most of it), and its files join the output afterwards.
    // The RAG corpus needs only the renders too: it is made beside layout as well (a tenth of a `site serve`
    // rebuild when it came after layout).
    let (files, layout_time, search, corpus) = std::thread::scope(|s| {
        let indexer = mode.with_search().then(|| {
            s.spawn(|| {
                let t = Instant::now();
                let disk = out.map(Output::cache_dir);
                (search_bundle(&search_pages, &loaded.urls, cache, disk.as_deref()), t.elapsed())
            })
        });
        // The renders kept for the next build (megabytes) are written meanwhile too.
        if let Some(d) = disk_renders {
            s.spawn(|| d.finish());
        }
        let corpus = s.spawn(|| {
            let t = Instant::now();
            let mut files = Files::new();
            let manifest = corpus::write(&loaded, &rendered, &anchors, &mut files);
            (manifest.map(|m| (m, files)), t.elapsed())
        });
        let files = layout::layout_pages(opts, &loaded, &rendered, &mut report.warnings, out);
        let layout_time = t0.elapsed();
        let search = indexer.map(|h| h.join().map_err(|_| SiteError::IndexerPanicked));
        let corpus = corpus.join().map_err(|_| SiteError::CorpusPanicked);
        (files, layout_time, search, corpus)
    });
    let mut files: Files = files?;
    report.timings.push(("render", layout_time));
    report.timings.push(("  markdown", markdown_time));
    // A build writes each page as it is laid out, so its layout time includes those writes.
    let layout_label = if out.is_some() { "  layout+write" } else { "  layout" };
    report.timings.push((layout_label, layout_time.saturating_sub(markdown_time)));
    if let Some(search) = search {
        let (bundle, took) = search?;
        for (path, bytes) in bundle? {
            files.insert(path, bytes);
        }
        report.timings.push(("search index", took));
    }
    report.search_pages = search_pages;

    let (corpus, took) = corpus?;
    let (manifest, corpus_files) = corpus?;
    files.extend(corpus_files);
    report.manifest = Some(manifest);
    report.timings.push(("corpus", took));
    sitemap::write(&loaded, &mut files);
    report.pages = loaded.site.pages.len();
    report.files = files;
    report.urls = loaded.urls;
    Ok(report)
}
