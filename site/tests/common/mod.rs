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
