//! Tera templates and the typed context every page is rendered with.

use crate::error::{Result, SiteError};
use crate::i18n::Strings;
use crate::markdown::TocEntry;
use crate::nav::NavLink;
use serde::Serialize;
use std::path::Path;
use tera::Tera;

/// Built-in copies so a fixture site (or a checkout without `site/templates/`) still builds.
const EMBEDDED: [(&str, &str); 3] = [
    ("base.html", include_str!("../templates/base.html")),
    ("page.html", include_str!("../templates/page.html")),
    ("404.html", include_str!("../templates/404.html")),
];

pub fn load_templates(dir: &Path) -> Result<Tera> {
    let mut tera = Tera::default();
    tera.set_escape_fn(crate::html::escape);
    let mut sources = vec![];
    for (name, embedded) in EMBEDDED {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|_| embedded.to_string());
        sources.push((name.to_string(), text));
    }
    tera.add_raw_templates(sources).map_err(|e| SiteError::Template(error_chain(&e)))?;
    Ok(tera)
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}

#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    pub hreflang: String,
    pub href: String,
}

/// Hashed asset URLs (with base) the templates link to; `None` when the file is absent.
#[derive(Debug, Clone, Serialize, Default)]
pub struct AssetRefs {
    pub site_css: Option<String>,
    pub highlight_css: Option<String>,
    pub theme_js: Option<String>,
    pub search_js: Option<String>,
    /// Table-of-contents highlight, language switch to the same section, code copy buttons.
    pub reader_js: Option<String>,
    /// The Urdu text face, preloaded on Urdu pages so the swap from the fallback comes early.
    pub font_urdu: Option<String>,
    pub favicon: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct WidgetRefs {
    pub src: String,
    pub base: String,
    pub api_url: String,
    pub site_key: String,
    pub locale: String,
    pub page_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageContext {
    pub lang: String,
    pub dir: String,
    pub base: String,
    pub home_href: String,
    pub site_title: String,
    pub title: String,
    /// The page's visible `<h1>`: the body's leading `# Heading` when it had one, else the title.
    pub heading: String,
    /// `hide_title: true` in front matter.
    pub hide_title: bool,
    pub description: String,
    pub keywords: Vec<String>,
    /// Social preview image (`image:` in front matter), with base.
    pub image: Option<String>,
    /// `unlisted: true`: built, but kept out of the sidebar, search and sitemap, and marked noindex.
    pub noindex: bool,
    /// Every front-matter field the builder does not know, as written (Docusaurus theme data).
    pub front_matter: std::collections::BTreeMap<String, serde_json::Value>,
    pub canonical: String,
    pub og_locale: String,
    pub alternates: Vec<Alternate>,
    pub content_html: String,
    pub content_lang: String,
    pub content_dir: String,
    pub fallback: bool,
    /// The locale's home page (no breadcrumbs there).
    pub is_home: bool,
    pub sidebar_html: String,
    pub breadcrumbs: Vec<NavLink>,
    pub toc: Vec<TocEntry>,
    pub prev: Option<NavLink>,
    pub next: Option<NavLink>,
    pub edit_url: Option<String>,
    pub last_updated: Option<String>,
    pub switch_href: String,
    pub switch_lang: String,
    pub switch_label: String,
    pub search_index: String,
    pub t: Strings,
    pub assets: AssetRefs,
    pub widget: WidgetRefs,
}

pub fn render(tera: &Tera, template: &str, ctx: &PageContext) -> Result<String> {
    let ctx = tera::Context::from_serialize(ctx).map_err(|e| SiteError::Template(error_chain(&e)))?;
    tera.render(template, &ctx).map_err(|e| SiteError::Template(format!("{template}: {}", error_chain(&e))))
}
