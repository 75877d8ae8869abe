//! Loading each locale's folder (`content/<locale>/`, or a Docusaurus `docs/` + i18n tree, see docusaurus.rs):
//! front matter, categories and the URL of every page in both locales.

use crate::error::{Diagnostic, Result, SiteError};
use crate::frontmatter::FrontMatter;
use protocol::Locale;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

mod files;
pub use files::FileCache;
use files::{LoadedFile, load_file};

/// One Markdown file as read from disk.
#[derive(Debug, Clone)]
pub struct Source {
    pub locale: Locale,
    /// Path relative to the locale folder, `/`-separated: the key shared by translations.
    pub key: String,
    /// Path relative to the repository root, for diagnostics and "edit this page".
    pub repo_path: String,
    /// The file after the MDX rewrites of `crate::mdx` (same lines as on disk).
    pub text: String,
    pub fm: FrontMatter,
    pub body_offset: usize,
    /// Text of the `# Title` the body started with (taken out of the body so it is not shown twice).
    pub heading: Option<String>,
}

/// `_category_.toml` (or Docusaurus's `_category_.json` / `.yml`, same fields).
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFile {
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "whole_as_integer")]
    pub position: Option<f64>,
    /// Docusaurus default: collapsed. A category holding the current page is always open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collapsed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collapsible: Option<bool>,
    #[serde(default, rename = "className", skip_serializing_if = "Option::is_none")]
    pub class_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<CategoryLink>,
    #[serde(default, rename = "customProps", skip_serializing_if = "Option::is_none")]
    pub custom_props: Option<serde_json::Value>,
    /// Repository-relative path of the file, for diagnostics.
    #[serde(skip)]
    pub path: String,
}

/// `position = 3`, not `3.0`, in converted category files (`2.5` stays as it is).
fn whole_as_integer<S: serde::Serializer>(v: &Option<f64>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match v {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => s.serialize_i64(*f as i64),
        Some(f) => s.serialize_f64(*f),
        None => s.serialize_none(),
    }
}

/// What a category's own sidebar entry opens: a doc of the folder, or a generated list of its pages.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CategoryLink {
    /// `doc` or `generated-index`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

/// A page as served in one locale. Untranslated Urdu pages point at the English source.
#[derive(Debug, Clone)]
pub struct Page {
    pub locale: Locale,
    pub key: String,
    /// URL without base, e.g. `/ur/kinematics/`.
    pub url: String,
    /// Index into `Site::sources`.
    pub source: usize,
    /// True when the page shows another locale's text.
    pub fallback: bool,
}

#[derive(Debug, Default)]
pub struct Site {
    pub sources: Vec<Source>,
    /// Per locale: folder key (e.g. `03-kinematics`) -> category.
    pub categories: BTreeMap<(Locale, String), CategoryFile>,
    pub pages: Vec<Page>,
    /// Not fatal: unsupported front matter, typos of known fields, MDX components shown as text.
    pub warnings: Vec<Diagnostic>,
}

impl Site {
    /// Key -> URL for one locale's pages.
    pub fn url_map(&self, locale: Locale) -> BTreeMap<String, String> {
        self.pages.iter().filter(|p| p.locale == locale).map(|p| (p.key.clone(), p.url.clone())).collect()
    }

    /// The index in `pages` of a page: a binary search, since `pages` is sorted by (locale, key) when loaded
    /// (layout looks pages up several times per page, which was a linear scan each).
    pub fn position(&self, locale: Locale, key: &str) -> Option<usize> {
        self.pages.binary_search_by(|p| (p.locale.as_str(), p.key.as_str()).cmp(&(locale.as_str(), key))).ok()
    }

    pub fn find(&self, locale: Locale, key: &str) -> Option<&Page> {
        self.position(locale, key).map(|i| &self.pages[i])
    }

    /// The page at the locale's root URL: `index.md`, or the doc with `slug: /` (Docusaurus).
    pub fn home(&self, locale: Locale) -> Option<&Page> {
        let root = page_url(locale, "index.md", None);
        self.pages.iter().find(|p| p.locale == locale && p.url == root)
    }

    /// Docusaurus doc id -> page, for `pagination_next/prev` and category `link: {type: doc}`.
    pub fn find_doc(&self, locale: Locale, id: &str) -> Option<&Page> {
        let id = id.trim_matches('/');
        self.pages.iter().filter(|p| p.locale == locale).find(|p| doc_id(&p.key, &self.sources[p.source].fm) == id)
    }
}

/// Docusaurus's doc id: the folder path (number prefixes stripped) and the front-matter `id` or file name.
pub fn doc_id(key: &str, fm: &FrontMatter) -> String {
    let mut segs: Vec<&str> = key.split('/').collect();
    let file = segs.pop().unwrap_or_default();
    let mut out: Vec<&str> = segs.iter().map(|s| strip_order(s).0).collect();
    let stem = strip_ext(file);
    let stem = if fm.parse_number_prefixes == Some(false) { stem } else { strip_order(stem).0 };
    out.push(fm.id.as_deref().unwrap_or(stem));
    out.join("/")
}

/// `intro.mdx` -> `intro`; other names unchanged.
pub fn strip_ext(name: &str) -> &str {
    name.strip_suffix(".md").or_else(|| name.strip_suffix(".mdx")).unwrap_or(name)
}

/// True for the Markdown files a page is made from (`.md`, and `.mdx` read with the same rules).
pub fn is_markdown(name: &str) -> bool {
    name.ends_with(".md") || name.ends_with(".mdx")
}

/// Splits a leading number prefix off a file or folder name, as Docusaurus does: `03-kinematics`, `03_kinematics`,
/// `03. Kinematics`, `03 - Kinematics`. A name that is a number sequence (`2024-01-01`, `1.2.3`) keeps it.
pub fn strip_order(name: &str) -> (&str, Option<i64>) {
    let digits = name.len() - name.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 {
        return (name, None);
    }
    let after = &name[digits..];
    let sep = after.trim_start_matches(' ');
    let rest = sep.trim_start_matches(['-', '_', '.']);
    if rest.len() == sep.len() {
        return (name, None);
    }
    let rest = rest.trim_start_matches(' ');
    if rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_digit()) || rest == "md" || rest == "mdx" {
        return (name, None);
    }
    (rest, name[..digits].parse().ok())
}

/// URL of `key` in `locale`; `slug` replaces the file-derived last segment.
pub fn page_url(locale: Locale, key: &str, slug: Option<&str>) -> String {
    page_url_with(locale, key, &FrontMatter { slug: slug.map(str::to_string), ..Default::default() })
}

/// True for a file that takes its folder's URL (`index.md`, Docusaurus's `README.md` and `index.mdx`).
pub fn is_index(file: &str) -> bool {
    matches!(strip_ext(file).to_ascii_lowercase().as_str(), "index" | "readme")
}

/// URL of `key` in `locale` with the front matter's `slug`, `id` and `parse_number_prefixes` applied as
/// Docusaurus does: a slug starting with `/` is from the locale root, another one from the file's folder.
pub fn page_url_with(locale: Locale, key: &str, fm: &FrontMatter) -> String {
    let mut segs: Vec<String> = key.split('/').map(|s| strip_order(s).0.to_string()).collect();
    if let Some(last) = segs.pop() {
        let file = key.rsplit('/').next().unwrap_or(&last);
        let stem = if fm.parse_number_prefixes == Some(false) { strip_ext(file) } else { strip_ext(&last) };
        if let Some(id) = &fm.id {
            segs.push(id.clone());
        } else if !is_index(stem) {
            segs.push(stem.to_string());
        }
    }
    if let Some(slug) = &fm.slug {
        let abs = slug.starts_with('/');
        if abs {
            segs.clear();
        } else {
            segs.pop_if(|_| !is_index(key.rsplit('/').next().unwrap_or_default()) || fm.id.is_some());
        }
        segs.extend(slug.split('/').filter(|s| !s.is_empty()).map(str::to_string));
    }
    let prefix = if locale == Locale::En { String::new() } else { format!("/{}", locale.as_str()) };
    let mut url = prefix;
    for s in segs {
        url.push('/');
        url.push_str(&s);
    }
    url.push('/');
    url
}

fn rel_key(base: &Path, path: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads every locale's Markdown and category files from `content_dir/<locale>/`.
pub fn load(root: &Path, content_dir: &Path, include_drafts: bool) -> Result<Site> {
    let dirs: Vec<(Locale, PathBuf)> = Locale::ALL.iter().map(|l| (*l, content_dir.join(l.as_str()))).collect();
    load_dirs(root, &dirs, include_drafts)
}

/// Reads every locale's Markdown and category files from its folder. Content errors are collected, not fatal
/// one by one, so an author sees all of them at once.
pub fn load_dirs(root: &Path, dirs: &[(Locale, PathBuf)], include_drafts: bool) -> Result<Site> {
    load_dirs_cached(root, dirs, include_drafts, None)
}

/// [`load_dirs`], reusing `cache` for files whose text did not change.
pub fn load_dirs_cached(
    root: &Path,
    dirs: &[(Locale, PathBuf)],
    include_drafts: bool,
    cache: Option<&FileCache>,
) -> Result<Site> {
    let mut site = Site::default();
    let mut errors = vec![];
    for (locale, dir) in dirs {
        let locale = *locale;
        if !dir.is_dir() {
            continue;
        }
        let mut files: Vec<PathBuf> = vec![];
        for entry in WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| SiteError::Walk { dir: dir.to_path_buf(), source: e })?;
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
        // Reading, front matter and the MDX rewrites are per file: done in parallel, merged in file order.
        let loaded: Vec<Result<Option<LoadedFile>>> =
            files.par_iter().map(|path| load_file(root, dir, locale, path, include_drafts, cache)).collect();
        for item in loaded {
            match item? {
                Some(LoadedFile::Category(folder, c)) => {
                    site.categories.insert((locale, folder), *c);
                }
                Some(LoadedFile::Source(src, warnings)) => {
                    site.warnings.extend(warnings);
                    site.sources.push(*src);
                }
                Some(LoadedFile::Invalid(d)) => errors.push(d),
                None => {}
            }
        }
    }
    if !errors.is_empty() {
        return Err(SiteError::Content(errors));
    }
    crate::docusaurus::generate_indexes(&mut site);
    assign_pages(&mut site);
    check_url_clashes(&site)?;
    let unresolved = crate::docusaurus::check_doc_refs(root, &site);
    if !unresolved.is_empty() {
        return Err(SiteError::Content(unresolved));
    }
    Ok(site)
}

fn assign_pages(site: &mut Site) {
    let en: BTreeMap<&str, usize> = site
        .sources
        .iter()
        .enumerate()
        .filter(|(_, s)| s.locale == Locale::En)
        .map(|(i, s)| (s.key.as_str(), i))
        .collect();
    let mut pages = vec![];
    for (i, s) in site.sources.iter().enumerate() {
        // A translated page keeps the English slug so both locales share one URL shape.
        let slug_src = en.get(s.key.as_str()).map_or(s, |&e| &site.sources[e]);
        pages.push(Page {
            locale: s.locale,
            key: s.key.clone(),
            url: page_url_with(s.locale, &s.key, &url_fm(&slug_src.fm)),
            source: i,
            fallback: false,
        });
    }
    for (key, &i) in &en {
        for locale in Locale::ALL.into_iter().filter(|l| *l != Locale::En) {
            if !site.sources.iter().any(|s| s.locale == locale && s.key == *key) {
                pages.push(Page {
                    locale,
                    key: key.to_string(),
                    url: page_url_with(locale, key, &url_fm(&site.sources[i].fm)),
                    source: i,
                    fallback: true,
                });
            }
        }
    }
    // The order `Site::position` searches by.
    pages.sort_by(|a, b| (a.locale.as_str(), &a.key).cmp(&(b.locale.as_str(), &b.key)));
    site.pages = pages;
}

/// The front-matter fields that shape a URL.
fn url_fm(fm: &FrontMatter) -> FrontMatter {
    FrontMatter {
        slug: fm.slug.clone(),
        id: fm.id.clone(),
        parse_number_prefixes: fm.parse_number_prefixes,
        ..Default::default()
    }
}

fn check_url_clashes(site: &Site) -> Result<()> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let mut errors = vec![];
    for p in &site.pages {
        let file = &site.sources[p.source].repo_path;
        if let Some(other) = seen.insert(&p.url, file) {
            errors.push(Diagnostic::new(file, 1, 1, format!("URL `{}` is also produced by {other}", p.url)));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(SiteError::Content(errors)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_follow_the_contract() {
        assert_eq!(page_url(Locale::En, "index.md", None), "/");
        assert_eq!(page_url(Locale::En, "glossary.md", None), "/glossary/");
        assert_eq!(page_url(Locale::En, "03-kinematics/index.md", None), "/kinematics/");
        assert_eq!(page_url(Locale::En, "12-safety-ethics/capstone.md", None), "/safety-ethics/capstone/");
        assert_eq!(page_url(Locale::Ur, "03-kinematics/index.md", None), "/ur/kinematics/");
        assert_eq!(page_url(Locale::Ur, "index.md", None), "/ur/");
        assert_eq!(page_url(Locale::En, "03-k/02-a.md", Some("custom")), "/k/custom/");
    }

    #[test]
    fn order_prefix() {
        assert_eq!(strip_order("03-kinematics"), ("kinematics", Some(3)));
        assert_eq!(strip_order("3d-printing"), ("3d-printing", None));
        assert_eq!(strip_order("index.md"), ("index.md", None));
        assert_eq!(strip_order("01_intro"), ("intro", Some(1)));
        assert_eq!(strip_order("02. Setup"), ("Setup", Some(2)));
        assert_eq!(strip_order("03 - Basics"), ("Basics", Some(3)));
        assert_eq!(strip_order("2024-01-01"), ("2024-01-01", None));
        assert_eq!(strip_order("1.2.3"), ("1.2.3", None));
        assert_eq!(strip_order("01.md"), ("01.md", None));
    }

    #[test]
    fn docusaurus_slugs_ids_and_prefixes() {
        let fm = |slug: Option<&str>, id: Option<&str>| FrontMatter {
            slug: slug.map(str::to_string),
            id: id.map(str::to_string),
            ..Default::default()
        };
        assert_eq!(page_url_with(Locale::En, "01-intro.mdx", &fm(Some("/"), None)), "/");
        assert_eq!(page_url_with(Locale::Ur, "01-intro.mdx", &fm(Some("/"), None)), "/ur/");
        assert_eq!(page_url_with(Locale::En, "02-guide/01-a.md", &fm(Some("/x/y"), None)), "/x/y/");
        assert_eq!(page_url_with(Locale::En, "02-guide/01-a.md", &fm(None, Some("start"))), "/guide/start/");
        assert_eq!(page_url_with(Locale::En, "02-guide/README.md", &fm(None, None)), "/guide/");
        let keep = FrontMatter { parse_number_prefixes: Some(false), ..Default::default() };
        assert_eq!(page_url_with(Locale::En, "02-guide/01-a.md", &keep), "/guide/01-a/");
        assert_eq!(doc_id("02-guide/01-a.md", &fm(None, None)), "guide/a");
        assert_eq!(doc_id("02-guide/01-a.md", &fm(None, Some("b"))), "guide/b");
    }
}
