//! Static files: copied as-is, except CSS/JS which get a content hash in their name (cache busting)
//! and CSS which is minified.

use crate::error::{Result, SiteError};
use std::collections::BTreeMap;
use std::path::Path;
use walkdir::WalkDir;

/// Output files by path relative to the output root.
pub type Files = BTreeMap<String, Vec<u8>>;

use crate::hashing::short_hash;

/// Strips comments and collapses whitespace. Hand-written on purpose: lightningcss would add a large
/// dependency tree (minutes of compile time on the shared 2-core CI) to save a few hundred bytes on
/// our small hand-written stylesheet. Strings are copied verbatim so `content: "a  b"` survives.
pub fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut pending_space = false;
    let mut depth = 0usize;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut prev = ' ';
                for n in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            '"' | '\'' => {
                if pending_space && !out.is_empty() && !out.ends_with(['{', '}', ';', ',', '>', ':']) {
                    out.push(' ');
                    pending_space = false;
                }
                out.push(c);
                while let Some(n) = chars.next() {
                    out.push(n);
                    if n == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if n == c {
                        break;
                    }
                }
            }
            c if c.is_whitespace() => pending_space = true,
            '{' | '}' | ';' | ',' | '>' => {
                if c == '}' && out.ends_with(';') {
                    out.pop();
                }
                match c {
                    '{' => depth += 1,
                    '}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                out.push(c);
                pending_space = false;
            }
            ':' => {
                // A space before `:` matters in top-level selectors (`a :hover`), so keep it there;
                // inside blocks it is a declaration (`color : red`). Nested selectors in @media with a
                // descendant pseudo-class would lose the space: our stylesheets do not use that form.
                if pending_space && depth == 0 && !out.ends_with(['{', ';', '}', ',', '>']) && !out.is_empty() {
                    out.push(' ');
                }
                out.push(c);
                pending_space = false;
            }
            _ => {
                if pending_space && !out.is_empty() && !out.ends_with(['{', '}', ';', ',', '>', ':']) {
                    out.push(' ');
                }
                pending_space = false;
                out.push(c);
            }
        }
    }
    out
}

/// The subset Urdu text face written by `scripts/fonts.py` (its `@font-face` is in `static/css/site.css`).
pub const URDU_FONT: &str = "fonts/noto-nastaliq-urdu-subset.woff2";

/// Original path (`css/site.css`) -> hashed path (`css/site.3f2a9c1d0e.css`); other static files map to themselves.
pub type AssetMap = BTreeMap<String, String>;

fn hashed_name(rel: &str, bytes: &[u8]) -> String {
    match rel.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{}.{ext}", short_hash(bytes)),
        None => rel.to_string(),
    }
}

/// Adds one generated asset (e.g. the highlight stylesheet) under a hashed name.
pub fn add_generated(files: &mut Files, map: &mut AssetMap, rel: &str, bytes: Vec<u8>) {
    let bytes = if rel.ends_with(".css") { minify_css(&String::from_utf8_lossy(&bytes)).into_bytes() } else { bytes };
    let name = hashed_name(rel, &bytes);
    map.insert(rel.to_string(), name.clone());
    files.insert(name, bytes);
}

/// The site's own stylesheet, scripts and icon, built in: a project that brings its own `static/` (a Docusaurus
/// tree's images) still gets a styled, searchable site. A file of the same path in `static/` wins.
const BUILTIN: [(&str, &[u8]); 5] = [
    ("css/site.css", include_bytes!("../../static/css/site.css")),
    ("js/theme.js", include_bytes!("../../static/js/theme.js")),
    ("js/search.js", include_bytes!("../../static/js/search.js")),
    ("js/reader.js", include_bytes!("../../static/js/reader.js")),
    ("favicon.svg", include_bytes!("../../static/favicon.svg")),
];

pub fn collect_static(dir: &Path, files: &mut Files, map: &mut AssetMap) -> Result<()> {
    collect_static_dir(dir, files, map)?;
    for (rel, bytes) in BUILTIN {
        if !map.contains_key(rel) && !files.contains_key(rel) {
            if rel.ends_with(".css") || rel.ends_with(".js") {
                add_generated(files, map, rel, bytes.to_vec());
            } else {
                files.insert(rel.to_string(), bytes.to_vec());
            }
        }
    }
    Ok(())
}

fn collect_static_dir(dir: &Path, files: &mut Files, map: &mut AssetMap) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| SiteError::Walk { dir: dir.to_path_buf(), source: e })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry
            .path()
            .strip_prefix(dir)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let bytes = std::fs::read(entry.path()).map_err(|e| SiteError::io(entry.path(), e))?;
        if rel.ends_with(".css") || rel.ends_with(".js") {
            add_generated(files, map, &rel, bytes);
        } else {
            // Not renamed: stylesheets refer to fonts and images by their plain path.
            map.insert(rel.clone(), rel.clone());
            files.insert(rel, bytes);
        }
    }
    Ok(())
}

/// Copies a directory tree (the widget's `dist/`) under `prefix`, unchanged.
pub fn collect_dir(dir: &Path, prefix: &str, files: &mut Files) -> Result<()> {
    for entry in WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| SiteError::Walk { dir: dir.to_path_buf(), source: e })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
        let bytes = std::fs::read(entry.path()).map_err(|e| SiteError::io(entry.path(), e))?;
        files.insert(format!("{prefix}{rel}"), bytes);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minifies_comments_and_space() {
        let css = "/* c */\na  {\n  color : red ;\n  content: \"a  b\";\n}\n.x > .y , .z { margin: 0 auto; }";
        assert_eq!(minify_css(css), "a{color:red;content:\"a  b\"}.x>.y,.z{margin:0 auto}");
    }

    #[test]
    fn hashed_names_change_with_content() {
        assert_ne!(hashed_name("css/a.css", b"x"), hashed_name("css/a.css", b"y"));
        assert!(hashed_name("css/a.css", b"x").starts_with("css/a."));
    }
}
