//! Helpers shared by the integration tests.
#![allow(dead_code)]

use site::BuildOptions;
use std::path::{Path, PathBuf};

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Options for a fixture root, using the repository's UI strings and embedded templates; no widget.
pub fn options(root: &Path) -> BuildOptions {
    BuildOptions {
        locales_dir: Some(repo_root().join("locales")),
        templates_dir: Some(repo_root().join("site/templates")),
        widget_dir: Some(root.join("no-widget")),
        ..BuildOptions::new(root)
    }
}

/// Writes a throwaway site from (path, text) pairs.
pub fn temp_site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    dir
}

pub fn text(files: &site::assets::Files, path: &str) -> String {
    String::from_utf8_lossy(files.get(path).unwrap_or_else(|| panic!("missing output file {path}"))).into_owned()
}

pub const FM: &str = "---\ntitle: T\ndescription: D\n---\n";

/// Renders one Markdown body as page `index.md` at `/` of an otherwise empty site, as file `file` (for the
/// file:line of diagnostics).
pub fn render_snippet(file: &str, body: &str) -> site::markdown::Rendered {
    let pages: std::collections::BTreeMap<String, String> = [("index.md".to_string(), "/".to_string())].into();
    let titles = std::collections::BTreeMap::new();
    site::markdown::render(&site::markdown::RenderInput {
        file: Path::new(file),
        source: body,
        body_offset: 0,
        page_key: "index.md",
        page_url: "/",
        urls: &site::urls::SiteUrls::default(),
        pages: &pages,
        static_dir: Path::new("/nonexistent"),
        admonition_titles: &titles,
    })
}

/// The content errors `site check` reports for a throwaway site; panics when it reports none or fails otherwise.
pub fn check_errors(files: &[(&str, &str)]) -> Vec<site::Diagnostic> {
    let dir = temp_site(files);
    match site::check(&options(dir.path())) {
        Err(site::SiteError::Content(d)) => d,
        Err(e) => panic!("unexpected error kind: {e}"),
        Ok(_) => panic!("expected content errors"),
    }
}
