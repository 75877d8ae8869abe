//! Reading one content file: its front matter, MDX rewrites and title, and what `site serve` keeps of each file
//! between rebuilds.

use super::{CategoryFile, Source, is_markdown, rel_key, strip_ext, strip_order};
use crate::error::{Diagnostic, Result, SiteError};
use crate::frontmatter;
use protocol::Locale;
use std::path::{Path, PathBuf};

/// What `site serve` keeps of each Markdown file between rebuilds, by path: a rebuild after a one-page edit then
/// parses only that file's front matter and MDX again (about a third of a textbook rebuild when every file was
/// parsed again).
pub type FileCache = crate::textcache::TextCache<PathBuf, Option<LoadedFile>>;

#[derive(Clone)]
pub enum LoadedFile {
    /// A `_category_` file, with the folder it describes.
    Category(String, Box<CategoryFile>),
    Source(Box<Source>, Vec<Diagnostic>),
    Invalid(Diagnostic),
}

/// One file under a content folder; `None` for files that are not pages (and drafts, unless included).
pub(super) fn load_file(
    root: &Path,
    dir: &Path,
    locale: Locale,
    path: &Path,
    include_drafts: bool,
    cache: Option<&FileCache>,
) -> Result<Option<LoadedFile>> {
    let key = rel_key(dir, path);
    let repo_path = rel_key(root, path);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if let Some(format) = crate::docusaurus::category_format(&name) {
        let text = std::fs::read_to_string(path).map_err(|e| SiteError::io(path, e))?;
        return Ok(Some(match crate::docusaurus::parse_category(Path::new(&repo_path), &text, format) {
            Ok(mut c) => {
                c.path = repo_path.clone();
                let folder = key.rsplit_once('/').map(|(f, _)| f.to_string()).unwrap_or_default();
                LoadedFile::Category(folder, Box::new(c))
            }
            Err(d) => LoadedFile::Invalid(d),
        }));
    }
    // Docusaurus skips files and folders starting with `_` (partials, `_category_`).
    if !is_markdown(&name) || key.split('/').any(|s| s.starts_with('_')) {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path).map_err(|e| SiteError::io(path, e))?;
    let file = FileCache::get_or_make(cache, &path.to_path_buf(), &text, || {
        match frontmatter::parse(Path::new(&repo_path), &text) {
            Ok(parsed) if parsed.fm.draft && !include_drafts => None,
            Ok(parsed) => {
                let mut warnings = vec![];
                let src = prepare_source(locale, key, repo_path, &text, parsed, &mut warnings);
                Some(LoadedFile::Source(Box::new(src), warnings))
            }
            Err(d) => Some(LoadedFile::Invalid(d)),
        }
    });
    Ok(file)
}

/// Applies the MDX rewrites and fills the title Docusaurus would derive: front matter, else the first
/// `# Heading`, else the file name.
fn prepare_source(
    locale: Locale,
    key: String,
    repo_path: String,
    text: &str,
    parsed: frontmatter::Parsed,
    warnings: &mut Vec<Diagnostic>,
) -> Source {
    let frontmatter::Parsed { mut fm, body_offset, warnings: fm_warnings, .. } = parsed;
    warnings.extend(fm_warnings);
    let first_line = text[..body_offset].matches('\n').count() + 1;
    let prepared = crate::mdx::prepare(Path::new(&repo_path), &text[body_offset..], first_line);
    warnings.extend(prepared.warnings);
    if fm.title.trim().is_empty() {
        fm.title = prepared.title.clone().unwrap_or_else(|| {
            let file = key.rsplit('/').next().unwrap_or(&key);
            fm.id.clone().unwrap_or_else(|| strip_order(strip_ext(file)).0.to_string())
        });
    }
    let text = format!("{}{}", &text[..body_offset], prepared.body);
    Source { locale, key, repo_path, text, fm, body_offset, heading: prepared.title }
}
