//! Step 3: static assets, the widget bundle, every page through its template, and the 404 pages.

use super::load::Loaded;
use crate::assets::{self, AssetMap, Files};
use crate::config::BuildOptions;
use crate::content::{self, Page};
use crate::error::{Diagnostic, Result};
use crate::layout::{self, Alternate, AssetRefs, PageContext, WidgetRefs};
use crate::markdown::Rendered;
use crate::nav;
use crate::output::Output;
use crate::urls::SiteUrls;
use protocol::Locale;
use rayon::prelude::*;
use std::collections::BTreeMap;

fn asset_refs(map: &AssetMap, urls: &SiteUrls) -> AssetRefs {
    let get = |k: &str| map.get(k).map(|v| urls.asset_href(v));
    AssetRefs {
        site_css: get("css/site.css"),
        highlight_css: get("css/highlight.css"),
        theme_js: get("js/theme.js"),
        search_js: get("js/search.js"),
        reader_js: get("js/reader.js"),
        font_urdu: get(assets::URDU_FONT),
        favicon: urls.asset_href("favicon.svg"),
    }
}

struct Shared<'a> {
    l: &'a Loaded,
    assets: AssetRefs,
    widget_src: String,
    trees: BTreeMap<&'static str, Vec<nav::NavItem>>,
    /// Each locale's sidebar, rendered once per locale or chapter (see sidebar.rs).
    sidebars: BTreeMap<&'static str, crate::sidebar::Sidebar>,
    /// Each locale's navigation in reading order (previous / next links), flattened once per build.
    flat: BTreeMap<&'static str, Vec<nav::NavLink>>,
}

fn context(sh: &Shared, page: &Page, r: &Rendered) -> PageContext {
    let l = sh.l;
    let cfg = &l.cfg;
    let urls = &l.urls;
    let src = &l.site.sources[page.source];
    let loc = page.locale.as_str();
    let t = l.strings.get(loc).cloned().unwrap_or_default();
    let other = page.locale.other();
    // This page in every locale (one lookup each): the language switch, hreflang alternates and x-default.
    let versions: Vec<&Page> = Locale::ALL.iter().filter_map(|lc| l.site.find(*lc, &page.key)).collect();
    let switch_url = versions
        .iter()
        .find(|p| p.locale == other)
        .map_or_else(|| content::page_url(other, "index.md", None), |p| p.url.clone());
    let mut alternates: Vec<Alternate> = versions
        .iter()
        .map(|p| Alternate { hreflang: p.locale.as_str().into(), href: urls.absolute(&p.url) })
        .collect();
    if let Some(en) = versions.iter().find(|p| p.locale == Locale::En) {
        alternates.push(Alternate { hreflang: "x-default".into(), href: urls.absolute(&en.url) });
    }
    let tree = sh.trees.get(loc).map(Vec::as_slice).unwrap_or_default();
    let flat = sh.flat.get(loc).map(Vec::as_slice).unwrap_or_default();
    let here = urls.page_href(&page.url);
    let pos = flat.iter().position(|n| n.href == here);
    let content_locale = src.locale;
    let meta = crate::pagemeta::PageMeta::new(&l.site, page, r, urls);
    PageContext {
        lang: loc.into(),
        dir: page.locale.dir().into(),
        base: urls.base().to_string(),
        home_href: urls.page_href(&content::page_url(page.locale, "index.md", None)),
        site_title: t.get(&cfg.title_key).cloned().unwrap_or_default(),
        title: src.fm.title.clone(),
        heading: src.heading.clone().unwrap_or_else(|| src.fm.title.clone()),
        hide_title: src.fm.hide_title,
        description: meta.description,
        keywords: src.fm.keywords.clone(),
        image: src.fm.image.as_ref().map(|i| if i.starts_with('/') { urls.asset_href(i) } else { i.clone() }),
        noindex: src.fm.unlisted,
        front_matter: src.fm.extra.clone(),
        canonical: urls.absolute(&page.url),
        og_locale: if page.locale == Locale::Ur { "ur_PK".into() } else { "en_US".into() },
        alternates,
        content_html: r.html.clone(),
        content_lang: content_locale.as_str().into(),
        content_dir: content_locale.dir().into(),
        fallback: page.fallback,
        is_home: page.key == "index.md",
        sidebar_html: sidebar(sh, loc, &page.url),
        breadcrumbs: nav::breadcrumbs(tree, &page.url, urls),
        toc: meta.toc,
        prev: meta.prev.unwrap_or_else(|| pos.and_then(|i| i.checked_sub(1)).and_then(|i| flat.get(i).cloned())),
        next: meta.next.unwrap_or_else(|| pos.and_then(|i| flat.get(i + 1).cloned())),
        edit_url: meta.edit_url.unwrap_or_else(|| {
            (!cfg.repository.is_empty()).then(|| format!("{}/edit/{}/{}", cfg.repository, cfg.branch, src.repo_path))
        }),
        last_updated: meta.last_updated.or_else(|| l.dates.get(&src.repo_path).cloned()),
        switch_href: urls.page_href(&switch_url),
        switch_lang: other.as_str().into(),
        switch_label: t.get(&format!("locale-name-{}", other.as_str())).cloned().unwrap_or_default(),
        search_index: urls.asset_href("pagefind/pagefind.js"),
        t,
        assets: sh.assets.clone(),
        widget: WidgetRefs {
            src: sh.widget_src.clone(),
            base: urls.asset_href("widget/"),
            api_url: cfg.api_url.clone(),
            site_key: cfg.site_key.clone(),
            locale: loc.into(),
            page_url: page.url.clone(),
        },
    }
}

/// The sidebar of locale `loc` with `current` as the current page (`""` for none).
fn sidebar(sh: &Shared, loc: &str, current: &str) -> String {
    match sh.sidebars.get(loc) {
        Some(t) => t.render(current),
        None => nav::sidebar_html(&[], current, &sh.l.urls),
    }
}

/// Lays out every page. With `out`, pages go straight to disk as they are laid out and only the other files come
/// back; without it (serve, check, tests) everything comes back in memory.
pub(super) fn layout_pages(
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
            widget_hash = crate::hashing::short_hash(&b);
        }
    } else {
        warnings.push(Diagnostic::new(
            &widget_dir,
            0,
            0,
            "widget build not found; the chat widget will not load (build the widget or pass --widget-dir)",
        ));
    }
    let urls = &loaded.urls;
    let mut shared = Shared {
        l: loaded,
        assets: asset_refs(&map, urls),
        widget_src: format!("{}?v={widget_hash}", urls.asset_href("widget/loader.js")),
        trees: Locale::ALL.iter().map(|lc| (lc.as_str(), nav::tree(&loaded.site, *lc))).collect(),
        sidebars: BTreeMap::new(),
        flat: BTreeMap::new(),
    };
    shared.sidebars = shared.trees.iter().map(|(lc, tree)| (*lc, crate::sidebar::Sidebar::new(tree, urls))).collect();
    shared.flat = shared
        .trees
        .iter()
        .map(|(lc, tree)| {
            let mut flat = vec![];
            nav::flatten(tree, &mut flat, urls);
            (*lc, flat)
        })
        .collect();
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
            let idx = loaded.site.position(home.locale, &home.key).unwrap_or(0);
            let mut ctx = context(&shared, home, &rendered[idx]);
            ctx.title = ctx.t.get("not-found-title").cloned().unwrap_or_default();
            ctx.toc.clear();
            // The 404 page is nobody's "current page" in the sidebar.
            ctx.sidebar_html = sidebar(&shared, lc.as_str(), "");
            ctx.switch_href = urls.page_href(&content::page_url(lc.other(), "index.md", None));
            let prefix = if lc == Locale::En { String::new() } else { format!("{}/", lc.as_str()) };
            files.insert(format!("{prefix}404.html"), layout::render(&loaded.tera, "404.html", &ctx)?.into_bytes());
            // A Docusaurus site may have its home page outside the docs (src/pages): the root URL still answers.
            if loaded.site.home(lc).is_none()
                && let Some(first) = shared.flat.get(lc.as_str()).and_then(|f| f.first())
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
