//! YAML front matter (see docs/authoring.md): parsed strictly so typos are caught with file:line.

use crate::error::{Diagnostic, LineIndex};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub sidebar_position: Option<i64>,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub draft: bool,
}

/// Splits `source` into front matter and body. Returns the parsed front matter, the body and the
/// body's byte offset in `source` (so Markdown positions can be reported as file lines).
pub fn split(file: &Path, source: &str) -> Result<(FrontMatter, usize), Diagnostic> {
    let rest = source
        .strip_prefix("---\n")
        .or_else(|| source.strip_prefix("---\r\n"))
        .ok_or_else(|| Diagnostic::new(file, 1, 1, "missing front matter: the file must start with a `---` line"))?;
    let header_len = source.len() - rest.len();
    let mut offset = 0;
    let mut yaml_end = None;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            yaml_end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let (yaml_len, after) =
        yaml_end.ok_or_else(|| Diagnostic::new(file, 1, 1, "front matter is not closed by a `---` line"))?;
    let yaml = &rest[..yaml_len];
    let fm: FrontMatter = serde_yaml_ng::from_str(yaml).map_err(|e| {
        // The YAML parser counts a lone `\r` as a line break, the rest of the build (and this file's readers) only
        // `\n`: so the error's byte offset, not its line, is mapped to a file position, the way every other
        // diagnostic is (found by fuzzing: an error "at line 16" of a 14-line file).
        let (line, col) = e.location().map_or((2, 1), |l| {
            LineIndex::new(source).line_col(source, (header_len + l.index()).min(header_len + yaml_len))
        });
        Diagnostic::new(file, line, col, format!("front matter: {e}"))
    })?;
    if fm.title.trim().is_empty() {
        return Err(Diagnostic::new(file, 2, 1, "front matter: `title` must not be empty"));
    }
    if fm.description.trim().is_empty() {
        return Err(Diagnostic::new(file, 2, 1, "front matter: `description` must not be empty"));
    }
    if let Some(slug) = &fm.slug
        && (slug.is_empty() || slug.contains('/') || !crate::slug::is_valid_id(slug))
    {
        return Err(Diagnostic::new(file, 2, 1, format!("front matter: `slug` {slug:?} must be one URL segment")));
    }
    Ok((fm, header_len + after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_front_matter() {
        let src = "---\ntitle: T\ndescription: D\nsidebar_position: 2\n---\n# Body\n";
        let (fm, off) = split(Path::new("a.md"), src).expect("valid");
        assert_eq!(fm.title, "T");
        assert_eq!(fm.sidebar_position, Some(2));
        assert_eq!(&src[off..], "# Body\n");
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let src = "---\ntitle: T\ndescription: D\nsidebar_postion: 2\n---\n";
        let err = split(Path::new("a.md"), src).expect_err("unknown key");
        assert!(err.message.contains("sidebar_postion"), "{err}");
        assert_eq!(err.line, 4);
    }

    #[test]
    fn wrong_type_is_error() {
        let src = "---\ntitle: T\ndescription: D\ndraft: maybe\n---\n";
        let err = split(Path::new("a.md"), src).expect_err("bad bool");
        assert_eq!(err.line, 4);
    }

    #[test]
    fn error_position_counts_only_newlines() {
        // Regression (fuzzing): lone carriage returns are line breaks to the YAML parser but not to editors or
        // the rest of the build, so the reported line ran past the end of the file.
        let src = "---\ntitle: T\rdescription: D\r\r\r\r\r\rdraft: [\n---\n";
        let err = split(Path::new("a.md"), src).expect_err("unclosed flow sequence");
        assert_eq!(err.line, 2, "{err}");
        let src = "---\ntitle: T\ndescription: D\nsidebar_position: x: y\n---\n";
        let err = split(Path::new("a.md"), src).expect_err("bad mapping");
        assert_eq!((err.line, err.col), (4, 19), "{err}");
    }

    #[test]
    fn missing_front_matter() {
        assert!(split(Path::new("a.md"), "# no fm\n").is_err());
        assert!(split(Path::new("a.md"), "---\ntitle: T\n").is_err());
    }
}
