//! YAML front matter (see docs/authoring.md). Every field Docusaurus documents for docs is either honoured or
//! reported as not supported with file:line; any other field is kept for templates, and one that looks like a typo
//! of a known field is reported as a warning naming that field. Type errors still fail with file:line:col.

use crate::error::{Diagnostic, LineIndex};
use serde::{Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::path::Path;

/// `last_update` as Docusaurus writes it; only the date is shown.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct LastUpdate {
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    /// Empty when the file gives none: the loader then takes the first `# Heading` or the file name.
    pub title: String,
    /// Empty when the file gives none: the page's first paragraph is used instead.
    pub description: String,
    pub id: Option<String>,
    pub sidebar_label: Option<String>,
    pub sidebar_position: Option<f64>,
    pub slug: Option<String>,
    pub keywords: Vec<String>,
    pub image: Option<String>,
    pub hide_title: bool,
    pub hide_table_of_contents: bool,
    pub toc_min_heading_level: Option<u8>,
    pub toc_max_heading_level: Option<u8>,
    pub pagination_label: Option<String>,
    /// `Some(None)` is an explicit `null`: no link.
    #[serde(deserialize_with = "nullable")]
    pub pagination_next: Option<Option<String>>,
    #[serde(deserialize_with = "nullable")]
    pub pagination_prev: Option<Option<String>>,
    pub draft: bool,
    pub unlisted: bool,
    pub last_update: Option<LastUpdate>,
    #[serde(deserialize_with = "nullable")]
    pub custom_edit_url: Option<Option<String>>,
    pub parse_number_prefixes: Option<bool>,
    /// Fields not known to the builder, as written: templates see them as `front_matter`.
    #[serde(skip)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

fn nullable<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Fields the builder acts on (those Docusaurus documents for docs, minus [`NOT_SUPPORTED`]).
pub const HONOURED: [&str; 22] = [
    "id",
    "title",
    "description",
    "sidebar_label",
    "sidebar_position",
    "slug",
    "keywords",
    "image",
    "hide_title",
    "hide_table_of_contents",
    "toc_min_heading_level",
    "toc_max_heading_level",
    "pagination_label",
    "pagination_next",
    "pagination_prev",
    "draft",
    "unlisted",
    "last_update",
    "custom_edit_url",
    "parse_number_prefixes",
    // Accepted for Docusaurus compatibility: `.md` and `.mdx` are read with the same rules.
    "format",
    "sidebar_custom_props",
];

/// Docusaurus doc fields with no equivalent here: a warning says so, the value is kept for templates.
pub const NOT_SUPPORTED: [(&str, &str); 3] = [
    ("tags", "tag pages are not generated"),
    ("sidebar_class_name", "the sidebar has no per-item classes"),
    ("displayed_sidebar", "the site has one sidebar per language"),
];

/// Parsed front matter, where the body starts, and warnings (typos, unsupported fields).
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    pub fm: FrontMatter,
    pub body_offset: usize,
    /// False when the file has no front matter at all (Docusaurus does not require it).
    pub present: bool,
    pub warnings: Vec<Diagnostic>,
}

/// [`parse`] without the warnings: front matter and the body's byte offset.
pub fn split(file: &Path, source: &str) -> Result<(FrontMatter, usize), Diagnostic> {
    parse(file, source).map(|p| (p.fm, p.body_offset))
}

/// Splits `source` into front matter and body. A file that does not start with `---` has no front matter.
pub fn parse(file: &Path, source: &str) -> Result<Parsed, Diagnostic> {
    let Some(rest) = source.strip_prefix("---\n").or_else(|| source.strip_prefix("---\r\n")) else {
        return Ok(Parsed { fm: FrontMatter::default(), body_offset: 0, present: false, warnings: vec![] });
    };
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
    let located = |e: serde_yaml_ng::Error| {
        // The YAML parser counts a lone `\r` as a line break, the rest of the build (and this file's readers) only
        // `\n`: so the error's byte offset, not its line, is mapped to a file position, the way every other
        // diagnostic is (found by fuzzing: an error "at line 16" of a 14-line file).
        let (line, col) = e.location().map_or((2, 1), |l| {
            LineIndex::new(source).line_col(source, (header_len + l.index()).min(header_len + yaml_len))
        });
        Diagnostic::new(file, line, col, format!("front matter: {e}"))
    };
    // An empty block (`---\n---`) is an empty mapping, as in Docusaurus.
    let mut fm: FrontMatter =
        if yaml.trim().is_empty() { FrontMatter::default() } else { serde_yaml_ng::from_str(yaml).map_err(located)? };
    let map: serde_yaml_ng::Mapping =
        if yaml.trim().is_empty() { Default::default() } else { serde_yaml_ng::from_str(yaml).map_err(located)? };
    let key_line = |key: &str| {
        let idx = yaml
            .split_inclusive('\n')
            .position(|l| l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')));
        idx.map_or(2, |i| i + 2)
    };
    let mut warnings = vec![];
    for (k, v) in &map {
        let Some(key) = k.as_str() else { continue };
        if HONOURED.contains(&key) {
            continue;
        }
        if let Some((_, why)) = NOT_SUPPORTED.iter().find(|(n, _)| *n == key) {
            warnings.push(Diagnostic::new(
                file,
                key_line(key),
                1,
                format!("front matter: `{key}` is not supported ({why}); the value is kept for templates"),
            ));
        } else if let Some(near) = resembles(key) {
            warnings.push(Diagnostic::new(
                file,
                key_line(key),
                1,
                format!("front matter: unknown field `{key}` (did you mean `{near}`?); kept for templates"),
            ));
        }
        if let Ok(json) = serde_json::to_value(v) {
            fm.extra.insert(key.to_string(), json);
        }
    }
    if map.contains_key("title") && fm.title.trim().is_empty() {
        return Err(Diagnostic::new(file, key_line("title"), 1, "front matter: `title` must not be empty"));
    }
    if let Some(slug) = &fm.slug
        && !valid_slug(slug)
    {
        return Err(Diagnostic::new(
            file,
            key_line("slug"),
            1,
            format!("front matter: `slug` {slug:?} must be `/`, or URL segments separated by `/`"),
        ));
    }
    if let Some(id) = &fm.id
        && (id.contains('/') || !crate::slug::is_valid_id(id))
    {
        return Err(Diagnostic::new(
            file,
            key_line("id"),
            1,
            format!("front matter: `id` {id:?} must be one URL segment"),
        ));
    }
    for key in ["toc_min_heading_level", "toc_max_heading_level"] {
        let v = if key.contains("min") { fm.toc_min_heading_level } else { fm.toc_max_heading_level };
        if v.is_some_and(|v| !(2..=6).contains(&v)) {
            return Err(Diagnostic::new(file, key_line(key), 1, format!("front matter: `{key}` must be 2 to 6")));
        }
    }
    Ok(Parsed { fm, body_offset: header_len + after, present: true, warnings })
}

/// `/`, `/a/b`, `a` or `a/b`: segments usable in a URL as they are.
fn valid_slug(slug: &str) -> bool {
    if slug == "/" {
        return true;
    }
    let inner =
        slug.strip_prefix('/').unwrap_or(slug).strip_suffix('/').unwrap_or(slug.strip_prefix('/').unwrap_or(slug));
    !inner.is_empty() && inner.split('/').all(|s| s != "." && s != ".." && crate::slug::is_valid_id(s))
}

/// The known field an unknown one is probably a typo of (edit distance up to 2, or a different case).
fn resembles(key: &str) -> Option<&'static str> {
    let known = HONOURED.iter().chain(NOT_SUPPORTED.iter().map(|(k, _)| k));
    known
        .map(|k| (strsim::damerau_levenshtein(&key.to_ascii_lowercase(), k), *k))
        .filter(|(d, k)| *d <= 2.min(k.len() / 3).max(1))
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_front_matter() {
        let src = "---\ntitle: T\ndescription: D\nsidebar_position: 2\n---\n# Body\n";
        let (fm, off) = split(Path::new("a.md"), src).expect("valid");
        assert_eq!(fm.title, "T");
        assert_eq!(fm.sidebar_position, Some(2.0));
        let (fm, _) =
            split(Path::new("a.md"), "---\nsidebar_position: 2.5\n---\n").expect("Docusaurus allows fractions");
        assert_eq!(fm.sidebar_position, Some(2.5));
        assert_eq!(&src[off..], "# Body\n");
    }

    #[test]
    fn typo_is_a_warning_naming_the_known_field() {
        let src = "---\ntitle: T\ndescription: D\nsidebar_postion: 2\n---\n";
        let p = parse(Path::new("a.md"), src).expect("a typo is not fatal");
        assert_eq!(p.warnings.len(), 1);
        assert_eq!(p.warnings[0].line, 4);
        assert!(p.warnings[0].message.contains("`sidebar_postion`"), "{}", p.warnings[0]);
        assert!(p.warnings[0].message.contains("did you mean `sidebar_position`"), "{}", p.warnings[0]);
        assert_eq!(p.fm.extra.get("sidebar_postion"), Some(&serde_json::json!(2)));
    }

    #[test]
    fn custom_fields_are_kept_silently_and_unsupported_ones_named() {
        let src = "---\ntitle: T\nmodule: 3\nobjectives:\n  - walk\ntags: [a]\n---\n";
        let p = parse(Path::new("a.md"), src).expect("custom fields are fine");
        assert_eq!(p.fm.extra.get("module"), Some(&serde_json::json!(3)));
        assert_eq!(p.fm.extra.get("objectives"), Some(&serde_json::json!(["walk"])));
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert_eq!(p.warnings[0].line, 6);
        assert!(p.warnings[0].message.contains("`tags` is not supported"), "{}", p.warnings[0]);
    }

    #[test]
    fn docusaurus_fields_are_read() {
        let src = "---\nid: start\nslug: /\nhide_title: true\npagination_next: null\npagination_prev: intro\n\
                   custom_edit_url: null\nlast_update:\n  date: 2024-01-02\n  author: A\nkeywords: [a, b]\n---\n";
        let p = parse(Path::new("a.md"), src).expect("valid");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.fm.slug.as_deref(), Some("/"));
        assert_eq!(p.fm.pagination_next, Some(None));
        assert_eq!(p.fm.pagination_prev, Some(Some("intro".into())));
        assert_eq!(p.fm.custom_edit_url, Some(None));
        assert_eq!(p.fm.last_update.and_then(|l| l.date).as_deref(), Some("2024-01-02"));
        assert!(p.fm.title.is_empty() && p.fm.description.is_empty(), "both optional");
    }

    #[test]
    fn wrong_type_is_error() {
        let src = "---\ntitle: T\ndescription: D\ndraft: maybe\n---\n";
        let err = split(Path::new("a.md"), src).expect_err("bad bool");
        assert_eq!(err.line, 4);
    }

    #[test]
    fn bad_slug_and_empty_title_are_errors() {
        let err = split(Path::new("a.md"), "---\ntitle: T\nslug: a b\n---\n").expect_err("space in slug");
        assert_eq!(err.line, 3);
        let err = split(Path::new("a.md"), "---\ntitle: ''\n---\n").expect_err("empty title");
        assert_eq!(err.line, 2);
        for ok in ["/", "/a/b", "a", "a/b/"] {
            assert!(valid_slug(ok), "{ok}");
        }
        for bad in ["", "//", "/../x", "a b"] {
            assert!(!valid_slug(bad), "{bad}");
        }
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
    fn no_front_matter_is_allowed_but_an_unclosed_one_is_not() {
        let p = parse(Path::new("a.md"), "# no fm\n").expect("Docusaurus does not require front matter");
        assert!(!p.present && p.body_offset == 0);
        assert!(split(Path::new("a.md"), "---\ntitle: T\n").is_err());
    }
}
