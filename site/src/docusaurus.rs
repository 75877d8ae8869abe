//! Reading a Docusaurus docs tree as it is: the i18n layout (English in `docs/`, Urdu in
//! `i18n/ur/docusaurus-plugin-content-docs/current/`), its UI strings (`code.json`, navbar and footer labels),
//! `_category_.json` / `_category_.yml`, and category pages of `link: {type: generated-index}`.

use crate::config::SiteConfig;
use crate::content::{CategoryFile, Site, Source, is_index, strip_order};
use crate::error::{Diagnostic, LineIndex};
use crate::frontmatter::FrontMatter;
use crate::i18n::Strings;
use protocol::Locale;
use std::path::{Path, PathBuf};

/// Where a Docusaurus site keeps one locale's translated docs, relative to the project root.
pub fn i18n_docs_dir(locale: Locale) -> PathBuf {
    Path::new("i18n").join(locale.as_str()).join("docusaurus-plugin-content-docs/current")
}

/// True when `root` is read as a Docusaurus project: `content_layout = "docusaurus"`, or `"auto"` (the default)
/// with no `content/` folder but a `docusaurus.config.*` file or a Docusaurus i18n folder next to the docs.
pub fn is_docusaurus(root: &Path, cfg: &SiteConfig) -> bool {
    match cfg.content_layout.as_str() {
        "docusaurus" => true,
        "content" => false,
        _ => {
            !root.join("content").is_dir()
                && root.join(&cfg.docs_dir).is_dir()
                && (["js", "ts", "mjs", "cjs"].iter().any(|e| root.join(format!("docusaurus.config.{e}")).is_file())
                    || root.join("i18n").is_dir())
        }
    }
}

/// Each locale's source folder: `content/<locale>/`, or the Docusaurus layout.
pub fn locale_dirs(root: &Path, content_dir: &Path, cfg: &SiteConfig) -> Vec<(Locale, PathBuf)> {
    Locale::ALL
        .iter()
        .map(|l| {
            let dir = if !is_docusaurus(root, cfg) {
                content_dir.join(l.as_str())
            } else if *l == Locale::En {
                root.join(&cfg.docs_dir)
            } else {
                root.join(i18n_docs_dir(*l))
            };
            (*l, dir)
        })
        .collect()
}

/// Docusaurus `code.json` ids (and navbar/footer labels) for the site's UI strings.
const CODE_JSON: [(&str, &str); 18] = [
    ("theme.docs.paginator.previous", "prev-page"),
    ("theme.docs.paginator.next", "next-page"),
    ("theme.common.editThisPage", "edit-page"),
    ("theme.TOCCollapsible.toggleButtonLabel", "toc-title"),
    ("theme.docs.sidebar.navAriaLabel", "sidebar-label"),
    ("theme.docs.breadcrumbs.navAriaLabel", "breadcrumbs-label"),
    ("theme.NotFound.title", "not-found-title"),
    ("theme.NotFound.p1", "not-found-body"),
    ("theme.common.skipToMainContent", "skip-to-content"),
    ("theme.SearchBar.label", "search-label"),
    ("theme.colorToggle.ariaLabel", "theme-toggle"),
    ("theme.docs.sidebar.toggleSidebarButtonAriaLabel", "menu-toggle"),
    ("theme.admonition.note", "admonition-note"),
    ("theme.admonition.tip", "admonition-tip"),
    ("theme.admonition.info", "admonition-info"),
    ("theme.admonition.warning", "admonition-warning"),
    ("theme.admonition.danger", "admonition-danger"),
    ("theme.lastUpdated.lastUpdatedAtBy", ""),
];

/// Overrides `strings` with the Docusaurus translations found under `root/i18n/<locale>/`: `code.json`, the
/// navbar title (the site title) and the footer copyright (the footer text). Returns the files it read.
pub fn apply_i18n(root: &Path, locale: Locale, title_key: &str, strings: &mut Strings) -> Vec<PathBuf> {
    let dir = root.join("i18n").join(locale.as_str());
    let mut read = vec![];
    let mut load = |rel: &str| -> Option<serde_json::Map<String, serde_json::Value>> {
        let path = dir.join(rel);
        let text = std::fs::read_to_string(&path).ok()?;
        read.push(path);
        serde_json::from_str(&text).ok()
    };
    let message = |v: &serde_json::Value| v.get("message").and_then(|m| m.as_str()).map(str::to_string);
    if let Some(code) = load("code.json") {
        for (id, key) in CODE_JSON.iter().filter(|(_, k)| !k.is_empty()) {
            if let Some(m) = code.get(*id).and_then(message) {
                strings.insert(key.to_string(), m);
            }
        }
    }
    if let Some(m) = load("docusaurus-theme-classic/navbar.json").and_then(|n| n.get("title").and_then(message)) {
        strings.insert(title_key.to_string(), m);
    }
    if let Some(m) = load("docusaurus-theme-classic/footer.json").and_then(|n| n.get("copyright").and_then(message)) {
        strings.insert("footer-text".to_string(), m);
    }
    read
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CategoryFormat {
    Toml,
    Json,
    Yaml,
}

pub fn category_format(name: &str) -> Option<CategoryFormat> {
    match name {
        "_category_.toml" => Some(CategoryFormat::Toml),
        "_category_.json" => Some(CategoryFormat::Json),
        "_category_.yml" | "_category_.yaml" => Some(CategoryFormat::Yaml),
        _ => None,
    }
}

/// Parses a category file; an unknown field or a wrong type names file:line:col.
pub fn parse_category(file: &Path, text: &str, format: CategoryFormat) -> Result<CategoryFile, Diagnostic> {
    match format {
        CategoryFormat::Toml => toml::from_str::<CategoryFile>(text).map_err(|e| {
            let (line, col) = e.span().map(|s| LineIndex::new(text).line_col(text, s.start)).unwrap_or((1, 1));
            Diagnostic::new(file, line, col, e.message().to_string())
        }),
        CategoryFormat::Json => serde_json::from_str::<CategoryFile>(text)
            .map_err(|e| Diagnostic::new(file, e.line().max(1), e.column().max(1), e.to_string())),
        CategoryFormat::Yaml => serde_yaml_ng::from_str::<CategoryFile>(text).map_err(|e| {
            let (line, col) = e.location().map_or((1, 1), |l| LineIndex::new(text).line_col(text, l.index()));
            Diagnostic::new(file, line, col, e.to_string())
        }),
    }
}

/// For each category whose `link` is `generated-index` and whose folder has no index page, adds a page listing
/// the folder's pages (as Docusaurus generates one). It is made as Markdown, so its links are checked like any.
pub fn generate_indexes(site: &mut Site) {
    let mut new = vec![];
    for ((locale, folder), cat) in &site.categories {
        let Some(link) = cat.link.as_ref().filter(|l| l.kind == "generated-index") else { continue };
        let has_index = |k: &str| {
            k.strip_prefix(folder.as_str())
                .and_then(|r| r.strip_prefix('/'))
                .is_some_and(|f| !f.contains('/') && is_index(f))
        };
        if site.sources.iter().any(|s| s.locale == *locale && has_index(&s.key)) {
            continue;
        }
        let mut children: Vec<(f64, String, String, String)> = vec![];
        let prefix = format!("{folder}/");
        // An untranslated page is listed with its English title (its URL shows the English text).
        let translated = |s: &Source| s.locale == *locale;
        let shown = |s: &&Source| {
            translated(s) || (s.locale == Locale::En && !site.sources.iter().any(|o| translated(o) && o.key == s.key))
        };
        for s in site.sources.iter().filter(shown) {
            let Some(rest) = s.key.strip_prefix(&prefix) else { continue };
            let order = s.fm.sidebar_position.or(strip_order(rest).1.map(|o| o as f64)).unwrap_or(f64::INFINITY);
            if !rest.contains('/') && !s.fm.unlisted {
                let label = s.fm.sidebar_label.clone().unwrap_or_else(|| s.fm.title.clone());
                children.push((order, rest.to_string(), label, rest.to_string()));
            }
        }
        for ((l, sub), sub_cat) in &site.categories {
            let own = l == locale || (*l == Locale::En && !site.categories.contains_key(&(*locale, sub.clone())));
            if let Some(name) = sub.strip_prefix(&prefix).filter(|n| own && !n.contains('/')) {
                let target = site
                    .sources
                    .iter()
                    .filter(shown)
                    .find(|s| s.key.strip_prefix(&format!("{sub}/")).is_some_and(|f| !f.contains('/') && is_index(f)))
                    .map(|s| s.key[prefix.len()..].to_string())
                    .or_else(|| {
                        sub_cat
                            .link
                            .as_ref()
                            .filter(|l| l.kind == "generated-index")
                            .map(|_| format!("{name}/index.md"))
                    });
                if let Some(target) = target {
                    let order = sub_cat.position.or(strip_order(name).1.map(|o| o as f64)).unwrap_or(f64::INFINITY);
                    children.push((order, name.to_string(), sub_cat.label.clone(), target));
                }
            }
        }
        children.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        let title = link.title.clone().unwrap_or_else(|| cat.label.clone());
        let description = link.description.clone().or_else(|| cat.description.clone()).unwrap_or_default();
        let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default();
        let mut text = format!("---\ntitle: {}\ndescription: {}\n---\n", quoted(&title), quoted(&description));
        let body_offset = text.len();
        if !description.is_empty() {
            text.push_str(&format!("\n{}\n", escape_markdown(&description)));
        }
        text.push('\n');
        for (_, _, label, target) in &children {
            text.push_str(&format!("- [{}](<{target}>)\n", escape_markdown(label)));
        }
        let file = if folder.is_empty() { String::new() } else { format!("{folder}/") };
        new.push(Source {
            locale: *locale,
            key: format!("{file}index.md"),
            // Diagnostics about this page point at the category file that asked for it.
            repo_path: cat.path.clone(),
            text,
            fm: FrontMatter {
                title,
                description,
                slug: link.slug.clone(),
                keywords: link.keywords.clone().unwrap_or_default(),
                image: link.image.clone(),
                ..Default::default()
            },
            body_offset,
            heading: None,
        });
    }
    site.sources.extend(new);
}

/// Doc ids that must name a page: `pagination_next` / `pagination_prev`, and a category's `link: {type: doc}`.
/// Docusaurus fails the build on these too; here each names the file and the line of the field.
pub fn check_doc_refs(root: &Path, site: &Site) -> Vec<Diagnostic> {
    let mut errors = vec![];
    for s in site.sources.iter().filter(|s| s.locale == Locale::En) {
        for (field, v) in [("pagination_next", &s.fm.pagination_next), ("pagination_prev", &s.fm.pagination_prev)] {
            if let Some(Some(id)) = v
                && site.find_doc(Locale::En, id).is_none()
            {
                let line = s.text.lines().position(|l| l.starts_with(field)).map_or(1, |i| i + 1);
                errors.push(Diagnostic::new(&s.repo_path, line, 1, format!("`{field}`: no doc with id `{id}`")));
            }
        }
    }
    for ((locale, folder), cat) in &site.categories {
        let Some(id) = cat.link.as_ref().filter(|l| l.kind == "doc").and_then(|l| l.id.as_deref()) else { continue };
        let in_folder = folder.split('/').map(|s| strip_order(s).0).collect::<Vec<_>>().join("/");
        if site.find_doc(*locale, id).is_none() && site.find_doc(*locale, &format!("{in_folder}/{id}")).is_none() {
            let line = std::fs::read_to_string(root.join(&cat.path))
                .ok()
                .and_then(|t| {
                    t.lines().position(|l| l.trim_start().trim_start_matches('"').starts_with("id")).map(|i| i + 1)
                })
                .unwrap_or(1);
            errors.push(Diagnostic::new(&cat.path, line, 1, format!("category link: no doc with id `{id}`")));
        }
    }
    errors
}

/// The `title` of a `docusaurus.config.*` (the site title): a top-level `title: '...'` line, read as text
/// (the config is JavaScript; it is not run).
pub fn config_title(root: &Path) -> Option<String> {
    let text = ["js", "ts", "mjs", "cjs"]
        .iter()
        .find_map(|e| std::fs::read_to_string(root.join(format!("docusaurus.config.{e}"))).ok())?;
    text.lines().find_map(|l| {
        let v = l.strip_prefix("  title:").or_else(|| l.strip_prefix("\ttitle:"))?.trim().trim_end_matches(',');
        let q = v.chars().next().filter(|c| matches!(c, '\'' | '"' | '`'))?;
        v.strip_prefix(q)?.strip_suffix(q).map(str::to_string)
    })
}

/// A page sending the reader on to `href` (the root URL when the docs have no `slug: /` page).
pub fn redirect_page(href: &str) -> String {
    let h = crate::html::escape(href);
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"0; url={h}\">\
         <link rel=\"canonical\" href=\"{h}\"><meta name=\"robots\" content=\"noindex\"><title>{h}</title></head>\
         <body><p><a href=\"{h}\">{h}</a></p></body></html>"
    )
}

fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '>' | '#' | '$') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_files_in_every_format() {
        let json = "{\n  \"label\": \"Guides\",\n  \"position\": 2,\n  \"collapsed\": false,\n  \"link\": {\"type\": \"generated-index\", \"description\": \"All guides\"}\n}";
        let c = parse_category(Path::new("c.json"), json, CategoryFormat::Json).expect("json");
        assert_eq!((c.label.as_str(), c.position, c.collapsed), ("Guides", Some(2.0), Some(false)));
        assert_eq!(c.link.map(|l| l.kind).as_deref(), Some("generated-index"));
        let c = parse_category(
            Path::new("c.yml"),
            "label: G\nposition: 3\nlink:\n  type: doc\n  id: intro\n",
            CategoryFormat::Yaml,
        )
        .expect("yaml");
        assert_eq!(c.link.and_then(|l| l.id).as_deref(), Some("intro"));
        let e =
            parse_category(Path::new("c.json"), "{\n  \"label\": \"G\",\n  \"positon\": 1\n}", CategoryFormat::Json)
                .expect_err("typo");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("positon"), "{e}");
    }

    #[test]
    fn code_json_overrides_ui_strings() {
        let dir = tempfile::tempdir().expect("tmp");
        let ur = dir.path().join("i18n/ur/docusaurus-theme-classic");
        std::fs::create_dir_all(&ur).expect("mkdir");
        std::fs::write(dir.path().join("i18n/ur/code.json"), r#"{"theme.docs.paginator.next": {"message": "اگلا"}}"#)
            .expect("write");
        std::fs::write(ur.join("navbar.json"), r#"{"title": {"message": "کتاب"}}"#).expect("write");
        let mut s = Strings::new();
        apply_i18n(dir.path(), Locale::Ur, "site-title", &mut s);
        assert_eq!(s.get("next-page").map(String::as_str), Some("اگلا"));
        assert_eq!(s.get("site-title").map(String::as_str), Some("کتاب"));
    }
}
