//! The build as separate, timed steps: load -> render -> search index -> corpus -> write.

use crate::assets::{self, AssetMap, Files};
use crate::config::{BuildOptions, SiteConfig};
use crate::content::{self, Page, Site};
use crate::error::{Diagnostic, Result, SiteError};
use crate::i18n::{self, Strings};
use crate::layout::{self, Alternate, AssetRefs, PageContext, WidgetRefs};
use crate::links::{AnchorIndex, with_base};
use crate::markdown::{self, RenderInput, Rendered};
use crate::output::Output;
use crate::{corpus, git, nav, search, seo};
use protocol::Locale;
use protocol::{CorpusManifest, CorpusRecord};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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
    pub search_pages: Vec<search::Page>,
}

struct Loaded {
    cfg: SiteConfig,
    site: Site,
    strings: BTreeMap<&'static str, Strings>,
    tera: tera::Tera,
    dates: HashMap<String, String>,
    bib: crate::cite::Bibliography,
    terms: Vec<crate::terms::Term>,
}

fn load(opts: &BuildOptions) -> Result<Loaded> {
    let cfg = opts.resolve_config()?;
    let docusaurus = crate::docusaurus::is_docusaurus(&opts.root, &cfg);
    let mut strings = BTreeMap::new();
    for l in Locale::ALL {
        let mut s = i18n::load_strings(&opts.locales_dir(), l, &cfg.title_key)?;
        if docusaurus {
            if let Some(title) = crate::docusaurus::config_title(&opts.root) {
                s.insert(cfg.title_key.clone(), title);
            }
            crate::docusaurus::apply_i18n(&opts.root, l, &cfg.title_key, &mut s);
        }
        strings.insert(l.as_str(), s);
    }
    let dirs = crate::docusaurus::locale_dirs(&opts.root, &opts.content_dir(), &cfg);
    let site = content::load_dirs(&opts.root, &dirs, opts.include_drafts)?;
    let tera = layout::load_templates(&opts.templates_dir())?;
    let dates = if docusaurus {
        dirs.iter().flat_map(|(_, d)| git::last_updated(&opts.root, d)).collect()
    } else {
        git::last_updated(&opts.root, &opts.content_dir())
    };
    let bib = crate::cite::load_from(opts)?;
    let terms = crate::terms::load_from(opts)?;
    Ok(Loaded { cfg, site, strings, tera, dates, bib, terms })
}

fn admonition_titles(s: &Strings) -> BTreeMap<String, String> {
    markdown::ADMONITION_KINDS
        .iter()
        .filter_map(|k| s.get(&format!("admonition-{k}")).map(|v| (k.to_string(), v.clone())))
        .collect()
}

/// Markdown renders from earlier builds, reused by `site serve` when a page's inputs are unchanged, so
/// a one-page edit re-renders only that page (and its fallback copy). Layout is redone for every page
/// because titles feed every sidebar; that step is cheap next to highlighting and math.
#[derive(Default)]
pub struct RenderCache {
    entries: Mutex<HashMap<String, Rendered>>,
    /// The last search bundle and the fingerprint of the pages it was built from: a template or style edit
    /// in `site serve` leaves the pages unchanged and skips re-indexing.
    search: Mutex<Option<(String, search::Bundle)>>,
}

impl RenderCache {
    /// Forgets everything: for template, config, locale or static changes.
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
        if let Ok(mut e) = self.search.lock() {
            *e = None;
        }
    }
}

fn fingerprint(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    hex::encode(h.finalize())
}

fn render_pages(opts: &BuildOptions, l: &Loaded, cache: Option<&RenderCache>) -> (Vec<Rendered>, usize) {
    let maps: BTreeMap<&str, BTreeMap<String, String>> =
        Locale::ALL.iter().map(|loc| (loc.as_str(), l.site.url_map(*loc))).collect();
    let map_prints: BTreeMap<&str, String> = maps
        .iter()
        .map(|(loc, m)| {
            let flat: Vec<&str> = m.iter().flat_map(|(k, v)| [k.as_str(), v.as_str()]).collect();
            (*loc, fingerprint(&flat))
        })
        .collect();
    let static_dir = opts.static_dir();
    let empty = BTreeMap::new();
    let fresh = AtomicUsize::new(0);
    let out = l
        .site
        .pages
        .par_iter()
        .map(|p| {
            let src = &l.site.sources[p.source];
            let loc = p.locale.as_str();
            let key = fingerprint(&[
                loc,
                src.locale.as_str(),
                &p.key,
                &p.url,
                &l.cfg.base_url,
                &src.text,
                map_prints.get(loc).map_or("", String::as_str),
                &l.bib.fingerprint,
            ]);
            if let Some(hit) = cache.and_then(|c| c.entries.lock().ok().and_then(|e| e.get(&key).cloned())) {
                return hit;
            }
            fresh.fetch_add(1, Ordering::Relaxed);
            let titles = l.strings.get(src.locale.as_str()).map(admonition_titles).unwrap_or_default();
            let input = RenderInput {
                file: Path::new(&src.repo_path),
                source: &src.text,
                body_offset: src.body_offset,
                page_key: &p.key,
                page_url: &p.url,
                base_url: &l.cfg.base_url,
                pages: maps.get(loc).unwrap_or(&empty),
                static_dir: &static_dir,
                admonition_titles: &titles,
            };
            let r = markdown::render_with(&input, &crate::cite::page_context(l.strings.get(loc), &l.bib, &p.key));
            // Only clean renders are cached: an error may depend on files outside the page (a missing image).
            if r.errors.is_empty()
                && let Some(mut e) = cache.and_then(|c| c.entries.lock().ok())
            {
                e.insert(key, r.clone());
            }
            r
        })
        .collect();
    (out, fresh.into_inner())
}

fn parity(site: &Site, rendered: &[Rendered]) -> Parity {
    let mut p =
        Parity { english_pages: site.pages.iter().filter(|pg| pg.locale == Locale::En).count(), ..Default::default() };
    let ids = |loc: Locale, key: &str| {
        site.pages
            .iter()
            .position(|pg| pg.locale == loc && pg.key == key && !pg.fallback)
            .map(|i| rendered[i].ids.clone())
    };
    for page in site.pages.iter().filter(|p| p.locale == Locale::Ur) {
        if page.fallback {
            p.untranslated.push(page.key.clone());
        } else if site.find(Locale::En, &page.key).is_none() {
            p.urdu_only.push(page.key.clone());
        } else if let (Some(en), Some(ur)) = (ids(Locale::En, &page.key), ids(Locale::Ur, &page.key)) {
            let mut only_en: Vec<String> = en.difference(&ur).cloned().collect();
            let mut only_ur: Vec<String> = ur.difference(&en).cloned().collect();
            if !only_en.is_empty() || !only_ur.is_empty() {
                only_en.sort();
                only_ur.sort();
                p.heading_mismatch.push((page.key.clone(), only_en, only_ur));
            } else {
                p.complete += 1;
            }
        }
    }
    p
}

fn asset_refs(map: &AssetMap, base: &str) -> AssetRefs {
    let get = |k: &str| map.get(k).map(|v| with_base(base, v));
    AssetRefs {
        site_css: get("css/site.css"),
        highlight_css: get("css/highlight.css"),
        theme_js: get("js/theme.js"),
        search_js: get("js/search.js"),
        reader_js: get("js/reader.js"),
        font_urdu: get(assets::URDU_FONT),
        favicon: with_base(base, "favicon.svg"),
    }
}

struct Shared<'a> {
    l: &'a Loaded,
    assets: AssetRefs,
    widget_src: String,
    trees: BTreeMap<&'static str, Vec<nav::NavItem>>,
}

fn context(sh: &Shared, page: &Page, r: &Rendered) -> PageContext {
    let l = sh.l;
    let cfg = &l.cfg;
    let base = &cfg.base_url;
    let src = &l.site.sources[page.source];
    let loc = page.locale.as_str();
    let t = l.strings.get(loc).cloned().unwrap_or_default();
    let other = page.locale.other();
    let switch_url =
        l.site.find(other, &page.key).map_or_else(|| content::page_url(other, "index.md", None), |p| p.url.clone());
    let mut alternates: Vec<Alternate> = Locale::ALL
        .iter()
        .filter_map(|lc| l.site.find(*lc, &page.key))
        .map(|p| Alternate { hreflang: p.locale.as_str().into(), href: seo::absolute(&cfg.site_url, base, &p.url) })
        .collect();
    if let Some(en) = l.site.find(Locale::En, &page.key) {
        alternates.push(Alternate { hreflang: "x-default".into(), href: seo::absolute(&cfg.site_url, base, &en.url) });
    }
    let tree = sh.trees.get(loc).map(Vec::as_slice).unwrap_or_default();
    let mut flat = vec![];
    nav::flatten(tree, &mut flat, base);
    let here = with_base(base, &page.url);
    let pos = flat.iter().position(|n| n.href == here);
    let content_locale = src.locale;
    let meta = crate::pagemeta::PageMeta::new(&l.site, page, r, base);
    PageContext {
        lang: loc.into(),
        dir: page.locale.dir().into(),
        base: base.clone(),
        home_href: with_base(base, &content::page_url(page.locale, "index.md", None)),
        site_title: t.get(&cfg.title_key).cloned().unwrap_or_default(),
        title: src.fm.title.clone(),
        heading: src.heading.clone().unwrap_or_else(|| src.fm.title.clone()),
        hide_title: src.fm.hide_title,
        description: meta.description,
        keywords: src.fm.keywords.clone(),
        image: src.fm.image.as_ref().map(|i| if i.starts_with('/') { with_base(base, i) } else { i.clone() }),
        noindex: src.fm.unlisted,
        front_matter: src.fm.extra.clone(),
        canonical: seo::absolute(&cfg.site_url, base, &page.url),
        og_locale: if page.locale == Locale::Ur { "ur_PK".into() } else { "en_US".into() },
        alternates,
        content_html: r.html.clone(),
        content_lang: content_locale.as_str().into(),
        content_dir: content_locale.dir().into(),
        fallback: page.fallback,
        is_home: page.key == "index.md",
        sidebar_html: nav::sidebar_html(tree, &page.url, base),
        breadcrumbs: nav::breadcrumbs(tree, &page.url, base),
        toc: meta.toc,
        prev: meta.prev.unwrap_or_else(|| pos.and_then(|i| i.checked_sub(1)).and_then(|i| flat.get(i).cloned())),
        next: meta.next.unwrap_or_else(|| pos.and_then(|i| flat.get(i + 1).cloned())),
        edit_url: meta.edit_url.unwrap_or_else(|| {
            (!cfg.repository.is_empty()).then(|| format!("{}/edit/{}/{}", cfg.repository, cfg.branch, src.repo_path))
        }),
        last_updated: meta.last_updated.or_else(|| l.dates.get(&src.repo_path).cloned()),
        switch_href: with_base(base, &switch_url),
        switch_lang: other.as_str().into(),
        switch_label: t.get(&format!("locale-name-{}", other.as_str())).cloned().unwrap_or_default(),
        search_index: with_base(base, "pagefind/pagefind.js"),
        t,
        assets: sh.assets.clone(),
        widget: WidgetRefs {
            src: sh.widget_src.clone(),
            base: with_base(base, "widget/"),
            api_url: cfg.api_url.clone(),
            site_key: cfg.site_key.clone(),
            locale: loc.into(),
            page_url: page.url.clone(),
        },
    }
}

/// [`generate_cached`] without the search bundle: `site serve` reloads the browser first and indexes afterwards,
/// so a one-page edit is not held up by re-indexing the whole book.
pub fn generate_deferred_search(opts: &BuildOptions, cache: &RenderCache) -> Result<BuildReport> {
    generate_inner(opts, Some(cache), false, None)
}

/// The `pagefind/` files for `pages` (reused from `cache` when the pages did not change).
pub fn search_bundle(pages: &[search::Page], cache: Option<&RenderCache>) -> Result<search::Bundle> {
    search_files(pages, cache)
}

fn search_files(pages: &[search::Page], cache: Option<&RenderCache>) -> Result<search::Bundle> {
    let key = {
        let mut h = Sha256::new();
        for p in pages {
            for part in [&p.url, &p.title, &p.lang] {
                h.update(part.as_bytes());
                h.update([0]);
            }
            for s in &p.sections {
                for part in [&s.anchor, &s.heading, &s.text] {
                    h.update(part.as_bytes());
                    h.update([0]);
                }
            }
            h.update([1]);
        }
        hex::encode(h.finalize())
    };
    if let Some(hit) =
        cache.and_then(|c| c.search.lock().ok()).and_then(|g| g.as_ref().filter(|(k, _)| *k == key).cloned())
    {
        return Ok(hit.1);
    }
    let built = search::index(pages)?;
    if let Some(mut slot) = cache.and_then(|c| c.search.lock().ok()) {
        *slot = Some((key, built.clone()));
    }
    Ok(built)
}

/// Static assets, the widget bundle, every page through its template, and the 404 pages.
/// Lays out every page. With `out`, pages go straight to disk as they are laid out and only the other files come
/// back; without it (serve, check, tests) everything comes back in memory.
fn layout_pages(
    opts: &BuildOptions,
    loaded: &Loaded,
    rendered: &[Rendered],
    warnings: &mut Vec<Diagnostic>,
    out: Option<&Output>,
) -> Result<Files> {
    let mut files = Files::new();
    let mut map = AssetMap::new();
    assets::collect_static(&opts.static_dir(), &mut files, &mut map)?;
    assets::add_generated(&mut files, &mut map, "css/highlight.css", crate::highlight::theme_css().into_bytes());
    let widget_dir = opts.widget_dir();
    let mut widget_hash = "dev".to_string();
    if widget_dir.is_dir() {
        assets::collect_dir(&widget_dir, "widget/", &mut files)?;
        if let Ok(b) = std::fs::read(widget_dir.join("loader.js")) {
            widget_hash = assets::short_hash(&b);
        }
    } else {
        warnings.push(Diagnostic::new(
            &widget_dir,
            0,
            0,
            "widget build not found; the chat widget will not load (build the widget or pass --widget-dir)",
        ));
    }
    let base = &loaded.cfg.base_url;
    let shared = Shared {
        l: loaded,
        assets: asset_refs(&map, base),
        widget_src: format!("{}?v={widget_hash}", with_base(base, "widget/loader.js")),
        trees: Locale::ALL.iter().map(|lc| (lc.as_str(), nav::tree(&loaded.site, *lc))).collect(),
    };
    let pages_html: Vec<Result<Option<(String, String)>>> = loaded
        .site
        .pages
        .par_iter()
        .zip(rendered)
        .map(|(p, r)| {
            let html = layout::render(&loaded.tera, "page.html", &context(&shared, p, r))?;
            let path = format!("{}index.html", p.url.trim_start_matches('/'));
            match out {
                Some(o) => o.write_file(&path, html.as_bytes()).map(|()| None),
                None => Ok(Some((path, html))),
            }
        })
        .collect();
    for ph in pages_html {
        if let Some((path, html)) = ph? {
            files.insert(path, html.into_bytes());
        }
    }
    for lc in Locale::ALL {
        // The root page (`index.md` or a doc with `slug: /`); without one, the first page frames the 404 page.
        let home = loaded.site.home(lc).or_else(|| loaded.site.pages.iter().find(|p| p.locale == lc));
        if let Some(home) = home {
            let idx = loaded.site.pages.iter().position(|p| std::ptr::eq(p, home)).unwrap_or(0);
            let mut ctx = context(&shared, home, &rendered[idx]);
            ctx.title = ctx.t.get("not-found-title").cloned().unwrap_or_default();
            ctx.toc.clear();
            // The 404 page is nobody's "current page" in the sidebar.
            if let Some(tree) = shared.trees.get(lc.as_str()) {
                ctx.sidebar_html = nav::sidebar_html(tree, "", base);
            }
            ctx.switch_href = with_base(base, &content::page_url(lc.other(), "index.md", None));
            let prefix = if lc == Locale::En { String::new() } else { format!("{}/", lc.as_str()) };
            files.insert(format!("{prefix}404.html"), layout::render(&loaded.tera, "404.html", &ctx)?.into_bytes());
            // A Docusaurus site may have its home page outside the docs (src/pages): the root URL still answers.
            let mut flat = vec![];
            nav::flatten(shared.trees.get(lc.as_str()).map(Vec::as_slice).unwrap_or_default(), &mut flat, base);
            if loaded.site.home(lc).is_none()
                && let Some(first) = flat.first()
            {
                files.insert(format!("{prefix}index.html"), crate::docusaurus::redirect_page(&first.href).into_bytes());
                if lc == Locale::En {
                    warnings.push(Diagnostic::new(
                        &loaded.site.sources[home.source].repo_path,
                        1,
                        1,
                        format!("no page at `/`: index.html redirects to {} (give a doc `slug: /`)", first.href),
                    ));
                }
            }
        }
    }
    Ok(files)
}

/// One search page, with its sections, for every page written in its own language.
fn search_pages(loaded: &Loaded, rendered: &[Rendered], base: &str) -> Vec<search::Page> {
    // An untranslated Urdu URL repeats the English text; indexing it would double every English hit.
    loaded
        .site
        .pages
        .iter()
        .zip(rendered)
        .filter(|(p, _)| !p.fallback && !loaded.site.sources[p.source].fm.unlisted)
        .map(|(p, r)| search::Page {
            url: with_base(base, &p.url),
            title: loaded.site.sources[p.source].fm.title.clone(),
            lang: p.locale.as_str().to_string(),
            sections: r
                .sections
                .iter()
                .map(|s| search::Section {
                    anchor: s.anchor.clone(),
                    heading: s.heading_path.last().cloned().unwrap_or_default(),
                    text: s.text.clone(),
                })
                .collect(),
        })
        .collect()
}

/// Runs every step except writing. Content errors (all of them) come back as `SiteError::Content`.
pub fn generate(opts: &BuildOptions) -> Result<BuildReport> {
    generate_cached(opts, None)
}

/// [`generate`], reusing Markdown renders from `cache` where a page's inputs did not change.
pub fn generate_cached(opts: &BuildOptions, cache: Option<&RenderCache>) -> Result<BuildReport> {
    generate_inner(opts, cache, true, None)
}

/// `with_search: false` skips building the search bundle: `site check` validates and writes nothing, and the
/// index has no checks of its own (its URLs are the corpus URLs, which are verified).
/// With `out`, pages are written there as they are laid out and `files` holds only the rest.
fn generate_inner(
    opts: &BuildOptions,
    cache: Option<&RenderCache>,
    with_search: bool,
    out: Option<&Output>,
) -> Result<BuildReport> {
    let mut report = BuildReport::default();
    let t0 = Instant::now();
    let loaded = load(opts)?;
    report.warnings.extend(loaded.site.warnings.iter().cloned());
    report.timings.push(("load", t0.elapsed()));

    let t0 = Instant::now();
    let (mut rendered, fresh) = render_pages(opts, &loaded, cache);
    let cited_in = |lc: Locale| {
        loaded.strings.get(lc.as_str()).and_then(|s| s.get("bibliography-cited-in")).cloned().unwrap_or_default()
    };
    crate::cite::fill_bibliography_pages(&loaded.site, &mut rendered, &loaded.bib, &cited_in, &loaded.cfg.base_url);
    report.rendered = fresh;
    let markdown_time = t0.elapsed();
    let mut errors: Vec<Diagnostic> = vec![];
    let mut anchors = AnchorIndex::default();
    for (p, r) in loaded.site.pages.iter().zip(&rendered) {
        anchors.insert(p.url.clone(), r.ids.clone());
    }
    for (p, r) in loaded.site.pages.iter().zip(&rendered) {
        // A fallback page repeats the English page's diagnostics; report them once.
        if p.fallback {
            continue;
        }
        errors.extend(r.errors.iter().cloned());
        errors.extend(anchors.verify(&r.links));
        report.warnings.extend(r.warnings.iter().cloned());
    }
    errors.extend(crate::terms::check_site(&loaded.site, &loaded.terms));
    if !errors.is_empty() {
        errors.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
        errors.dedup();
        return Err(SiteError::Content(errors));
    }
    report.parity = parity(&loaded.site, &rendered);
    let base = &loaded.cfg.base_url;
    let search_pages = search_pages(&loaded, &rendered, base);

    // Pagefind indexing needs only the section texts, not the laid-out pages: it runs on its own thread while
    // the templates render (on 2 cores this hides most of it), and its files join the output afterwards.
    let (files, layout_time, search) = std::thread::scope(|s| {
        let indexer = with_search.then(|| {
            s.spawn(|| {
                let t = Instant::now();
                (search_files(&search_pages, cache), t.elapsed())
            })
        });
        let files = layout_pages(opts, &loaded, &rendered, &mut report.warnings, out);
        let layout_time = t0.elapsed();
        let search = indexer.map(|h| h.join().map_err(|_| SiteError::IndexerPanicked));
        (files, layout_time, search)
    });
    let mut files = files?;
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

    let t0 = Instant::now();
    let mut records: Vec<CorpusRecord> = vec![];
    let mut corpus_pages = 0;
    for (p, r) in loaded.site.pages.iter().zip(&rendered).filter(|(p, _)| !p.fallback) {
        let title = &loaded.site.sources[p.source].fm.title;
        let recs = corpus::page_records(p.locale, title, &p.url, &r.sections);
        corpus_pages += usize::from(!recs.is_empty());
        records.extend(recs);
    }
    let bad: Vec<Diagnostic> = records
        .iter()
        .filter_map(|rec| {
            anchors
                .check_url(&rec.url)
                .err()
                .map(|e| Diagnostic::new("public/rag/corpus.jsonl", 0, 0, format!("corpus record {}: {e}", rec.url)))
        })
        .collect();
    if !bad.is_empty() {
        return Err(SiteError::Content(bad));
    }
    let (jsonl, manifest) = corpus::serialize(&records, corpus_pages, base);
    files.insert("rag/corpus.jsonl".into(), jsonl.into_bytes());
    let manifest_json = serde_json::to_vec_pretty(&manifest)
        .map_err(|e| SiteError::Json { path: "rag/manifest.json".into(), source: e })?;
    files.insert("rag/manifest.json".into(), manifest_json);
    report.manifest = Some(manifest);
    report.timings.push(("corpus", t0.elapsed()));

    let entries: Vec<seo::SitemapEntry> = loaded
        .site
        .pages
        .iter()
        .filter(|p| !loaded.site.sources[p.source].fm.unlisted)
        .map(|p| seo::SitemapEntry {
            url: p.url.clone(),
            alternates: Locale::ALL
                .iter()
                .filter_map(|lc| loaded.site.find(*lc, &p.key).map(|a| (lc.as_str().to_string(), a.url.clone())))
                .collect(),
        })
        .collect();
    files.insert("sitemap.xml".into(), seo::sitemap(&entries, &loaded.cfg.site_url, base).into_bytes());
    files.insert("robots.txt".into(), seo::robots(&loaded.cfg.site_url, base).into_bytes());
    files.insert(".nojekyll".into(), vec![]);
    report.pages = loaded.site.pages.len();
    report.files = files;
    Ok(report)
}

/// `site build`: everything, written to the output directory (see [`crate::output`]).
pub fn build(opts: &BuildOptions) -> Result<BuildReport> {
    let out = Output::prepare(&opts.out_dir())?;
    let mut report = match generate_inner(opts, None, true, Some(&out)) {
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
    generate_inner(opts, None, false, None)
}
