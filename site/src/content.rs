//! Loading `content/<locale>/`: front matter, categories and the URL of every page in both locales.

use crate::error::{Diagnostic, Result, SiteError};
use crate::frontmatter::{self, FrontMatter};
use protocol::Locale;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// One Markdown file as read from disk.
#[derive(Debug, Clone)]
pub struct Source {
    pub locale: Locale,
    /// Path relative to the locale folder, `/`-separated: the key shared by translations.
    pub key: String,
    /// Path relative to the repository root, for diagnostics and "edit this page".
    pub repo_path: String,
    pub text: String,
    pub fm: FrontMatter,
    pub body_offset: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFile {
    pub label: String,
    #[serde(default)]
    pub position: Option<i64>,
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
}

impl Site {
    /// Key -> URL for one locale's pages.
    pub fn url_map(&self, locale: Locale) -> BTreeMap<String, String> {
        self.pages.iter().filter(|p| p.locale == locale).map(|p| (p.key.clone(), p.url.clone())).collect()
    }

    pub fn find(&self, locale: Locale, key: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.locale == locale && p.key == key)
    }
}

/// Splits a leading `NN-` ordering prefix off a file or folder name.
pub fn strip_order(name: &str) -> (&str, Option<i64>) {
    if let Some((num, rest)) = name.split_once('-')
        && !num.is_empty()
        && num.chars().all(|c| c.is_ascii_digit())
        && !rest.is_empty()
    {
        return (rest, num.parse().ok());
    }
    (name, None)
}

/// URL of `key` in `locale`; `slug` replaces the file-derived last segment.
pub fn page_url(locale: Locale, key: &str, slug: Option<&str>) -> String {
    let mut segs: Vec<String> = key.split('/').map(|s| strip_order(s).0.to_string()).collect();
    if let Some(last) = segs.pop() {
        let stem = last.strip_suffix(".md").unwrap_or(&last).to_string();
        if stem != "index" {
            segs.push(stem);
        }
    }
    if let Some(slug) = slug {
        match segs.last_mut() {
            Some(last) => *last = slug.to_string(),
            None => segs.push(slug.to_string()),
        }
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

/// Reads every locale's Markdown and category files. Content errors are collected, not fatal one by one,
/// so an author sees all of them at once.
pub fn load(root: &Path, content_dir: &Path, include_drafts: bool) -> Result<Site> {
    let mut site = Site::default();
    let mut errors = vec![];
    for locale in Locale::ALL {
        let dir = content_dir.join(locale.as_str());
        if !dir.is_dir() {
            continue;
        }
        let mut files: Vec<PathBuf> = vec![];
        for entry in WalkDir::new(&dir).sort_by_file_name() {
            let entry = entry.map_err(|e| SiteError::Other(format!("{}: {e}", dir.display())))?;
            if entry.file_type().is_file() {
                files.push(entry.into_path());
            }
        }
        for path in files {
            let key = rel_key(&dir, &path);
            let repo_path = rel_key(root, &path);
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name == "_category_.toml" {
                let text = std::fs::read_to_string(&path).map_err(|e| SiteError::io(&path, e))?;
                match toml::from_str::<CategoryFile>(&text) {
                    Ok(c) => {
                        let folder = key.rsplit_once('/').map(|(f, _)| f.to_string()).unwrap_or_default();
                        site.categories.insert((locale, folder), c);
                    }
                    Err(e) => {
                        let (line, col) = e
                            .span()
                            .map(|s| crate::error::LineIndex::new(&text).line_col(&text, s.start))
                            .unwrap_or((1, 1));
                        errors.push(Diagnostic::new(&repo_path, line, col, e.message().to_string()));
                    }
                }
                continue;
            }
            if !name.ends_with(".md") {
                continue;
            }
            let text = std::fs::read_to_string(&path).map_err(|e| SiteError::io(&path, e))?;
            match frontmatter::split(Path::new(&repo_path), &text) {
                Ok((fm, body_offset)) => {
                    if fm.draft && !include_drafts {
                        continue;
                    }
                    site.sources.push(Source { locale, key, repo_path, text, fm, body_offset });
                }
                Err(d) => errors.push(d),
            }
        }
    }
    if !errors.is_empty() {
        return Err(SiteError::Content(errors));
    }
    assign_pages(&mut site);
    check_url_clashes(&site)?;
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
            url: page_url(s.locale, &s.key, slug_src.fm.slug.as_deref()),
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
                    url: page_url(locale, key, site.sources[i].fm.slug.as_deref()),
                    source: i,
                    fallback: true,
                });
            }
        }
    }
    pages.sort_by(|a, b| (a.locale.as_str(), &a.key).cmp(&(b.locale.as_str(), &b.key)));
    site.pages = pages;
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
    }
}
