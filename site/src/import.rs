//! `site import docusaurus PATH`: moves a Docusaurus project's docs and Urdu i18n tree into this project's layout
//! for good (`content/en`, `content/ur`, `static/`), with front matter normalised (every page gets an explicit
//! `title`), `_category_.json` / `.yml` converted to `_category_.toml`, and a report of what needs a human.
//! Page bodies are copied unchanged: the builder reads the Docusaurus Markdown/MDX features itself.

use crate::content::{is_markdown, strip_ext, strip_order};
use crate::docusaurus::{self, CategoryFormat};
use crate::error::{Diagnostic, Result, SiteError};
use crate::frontmatter;
use protocol::Locale;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

#[derive(Debug, Default)]
pub struct ImportReport {
    pub pages: usize,
    pub categories: usize,
    /// Other files copied (images next to the docs, `static/`).
    pub files: usize,
    /// Problems to fix by hand, each naming a file (and line where there is one).
    pub needs_human: Vec<String>,
}

impl ImportReport {
    pub fn to_markdown(&self) -> String {
        let mut s = format!(
            "# Import report\n\n{} pages, {} category files and {} other files imported.\n\n## Needs a human\n\n",
            self.pages, self.categories, self.files
        );
        if self.needs_human.is_empty() {
            s.push_str("Nothing.\n");
        }
        for n in &self.needs_human {
            let _ = writeln!(s, "- {n}");
        }
        s
    }
}

/// Imports `src` (a Docusaurus project root) into `dest` (this project's root). Refuses to overwrite an existing
/// `content/` folder.
pub fn import_docusaurus(src: &Path, dest: &Path) -> Result<ImportReport> {
    let docs = src.join("docs");
    if !docs.is_dir() {
        return Err(SiteError::Import {
            path: src.to_path_buf(),
            reason: "no `docs/` folder: not a Docusaurus project root",
        });
    }
    let content = dest.join("content");
    if content.exists() {
        return Err(SiteError::Import { path: content, reason: "already exists; import into an empty folder" });
    }
    let mut report = ImportReport::default();
    for (locale, from) in [(Locale::En, docs), (Locale::Ur, src.join(docusaurus::i18n_docs_dir(Locale::Ur)))] {
        if from.is_dir() {
            import_tree(src, &from, &content.join(locale.as_str()), &mut report)?;
        }
    }
    let stat = src.join("static");
    if stat.is_dir() {
        for entry in WalkDir::new(&stat).sort_by_file_name().into_iter().filter_map(|e| e.ok()) {
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(&stat).unwrap_or(entry.path());
                copy(entry.path(), &dest.join("static").join(rel))?;
                report.files += 1;
            }
        }
    }
    notes(src, &mut report);
    std::fs::write(dest.join("IMPORT-REPORT.md"), report.to_markdown())
        .map_err(|e| SiteError::io(dest.join("IMPORT-REPORT.md"), e))?;
    Ok(report)
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| SiteError::io(parent, e))?;
    }
    std::fs::copy(from, to).map(|_| ()).map_err(|e| SiteError::io(from, e))
}

fn write(to: &Path, text: &str) -> Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| SiteError::io(parent, e))?;
    }
    std::fs::write(to, text).map_err(|e| SiteError::io(to, e))
}

fn import_tree(root: &Path, from: &Path, to: &Path, report: &mut ImportReport) -> Result<()> {
    let shown = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let human = |d: Diagnostic| d.to_string();
    for entry in WalkDir::new(from).sort_by_file_name() {
        let entry = entry.map_err(|e| SiteError::Walk { dir: from.to_path_buf(), source: e })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let rel = path.strip_prefix(from).unwrap_or(path);
        let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let file = PathBuf::from(shown(path));
        if let Some(format) = docusaurus::category_format(&name) {
            let text = std::fs::read_to_string(path).map_err(|e| SiteError::io(path, e))?;
            match docusaurus::parse_category(&file, &text, format) {
                Ok(cat) => {
                    let toml =
                        toml::to_string(&cat).map_err(|e| SiteError::TomlWrite { path: file.clone(), source: e })?;
                    write(&to.join(rel).with_file_name("_category_.toml"), &toml)?;
                    report.categories += 1;
                    if format != CategoryFormat::Toml && cat.class_name.is_some() {
                        report.needs_human.push(format!("{}: `className` has no effect here", file.display()));
                    }
                }
                Err(d) => {
                    report.needs_human.push(format!("{} (copied unchanged)", human(d)));
                    copy(path, &to.join(rel))?;
                }
            }
            continue;
        }
        if !is_markdown(&name) {
            copy(path, &to.join(rel))?;
            report.files += 1;
            continue;
        }
        let text = std::fs::read_to_string(path).map_err(|e| SiteError::io(path, e))?;
        match normalise(&file, &text, &name) {
            Ok((out, warnings)) => {
                report.needs_human.extend(warnings.into_iter().map(human));
                write(&to.join(rel), &out)?;
            }
            Err(d) => {
                report.needs_human.push(format!("{} (copied unchanged)", human(d)));
                copy(path, &to.join(rel))?;
            }
        }
        report.pages += 1;
    }
    Ok(())
}

/// The page with an explicit `title` first in its front matter (from the front matter, the leading `# Heading`
/// or the file name, as the builder would derive it); other fields and the body are kept as written.
fn normalise(file: &Path, text: &str, name: &str) -> std::result::Result<(String, Vec<Diagnostic>), Diagnostic> {
    let parsed = frontmatter::parse(file, text)?;
    let first_line = text[..parsed.body_offset].matches('\n').count() + 1;
    let body = &text[parsed.body_offset..];
    let prepared = crate::mdx::prepare(file, body, first_line);
    let mut warnings = parsed.warnings;
    warnings.extend(prepared.warnings);
    let start = text.find('\n').map_or(0, |i| i + 1);
    let yaml = text.get(start..parsed.body_offset).map(|y| y.trim_end().trim_end_matches("---")).unwrap_or_default();
    let mut map: serde_yaml_ng::Mapping = if parsed.present && !yaml.trim().is_empty() {
        serde_yaml_ng::from_str(yaml).unwrap_or_default()
    } else {
        Default::default()
    };
    let title = if parsed.fm.title.trim().is_empty() {
        prepared
            .title
            .unwrap_or_else(|| parsed.fm.id.clone().unwrap_or_else(|| strip_order(strip_ext(name)).0.to_string()))
    } else {
        parsed.fm.title.clone()
    };
    map.remove("title");
    let mut out = serde_yaml_ng::Mapping::new();
    out.insert("title".into(), title.into());
    out.extend(map);
    let yaml = serde_yaml_ng::to_string(&out).map_err(|e| Diagnostic::new(file, 1, 1, e.to_string()))?;
    Ok((format!("---\n{yaml}---\n{body}"), warnings))
}

/// Project-level things the import cannot carry over.
fn notes(src: &Path, report: &mut ImportReport) {
    for f in ["sidebars.js", "sidebars.ts"] {
        if src.join(f).is_file() {
            report.needs_human.push(format!(
                "{f}: not read; the sidebar comes from folders, `_category_.toml` and `sidebar_position`"
            ));
        }
    }
    for e in ["js", "ts", "mjs", "cjs"] {
        if src.join(format!("docusaurus.config.{e}")).is_file() {
            report.needs_human.push(format!(
                "docusaurus.config.{e}: set `base_url`, `site_url` and `repository` in site.toml by hand"
            ));
        }
    }
    let mut strings = crate::i18n::Strings::new();
    let read = docusaurus::apply_i18n(src, Locale::Ur, "site-title", &mut strings);
    if !read.is_empty() {
        let lines: Vec<String> = strings.iter().map(|(k, v)| format!("`{k} = {v}`")).collect();
        report.needs_human.push(format!(
            "i18n/ur UI strings: copy into locales/ur/site.ftl: {}",
            if lines.is_empty() { "(none mapped)".to_string() } else { lines.join(", ") }
        ));
    }
    if src.join("i18n/ur/docusaurus-plugin-content-docs/current.json").is_file() {
        report.needs_human.push(
            "i18n/ur/docusaurus-plugin-content-docs/current.json: translated category labels go into the Urdu \
             `_category_.toml` files"
                .to_string(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_made_explicit_and_other_fields_kept() {
        let (out, w) = normalise(Path::new("a.md"), "---\nmodule: 2\n---\n# Hello\n\nText\n", "01-a.md").expect("ok");
        assert_eq!(out, "---\ntitle: Hello\nmodule: 2\n---\n# Hello\n\nText\n");
        assert!(w.is_empty());
        let (out, _) = normalise(Path::new("a.md"), "Text only\n", "01-setup-guide.mdx").expect("ok");
        assert_eq!(out, "---\ntitle: setup-guide\n---\nText only\n");
    }
}
