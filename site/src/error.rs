//! Errors and source-located diagnostics shared by every build step.

use std::fmt;
use std::path::PathBuf;

/// A problem tied to a place in a source file, printed as `file:line:col: message` so editors can jump to it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl Diagnostic {
    pub fn new(file: impl Into<PathBuf>, line: usize, col: usize, message: impl Into<String>) -> Self {
        Diagnostic { file: file.into(), line, col, message: message.into() }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file.display(), self.line, self.col, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: invalid TOML: {message}")]
    Toml { path: PathBuf, message: String },
    #[error("locale `{locale}`: missing UI string `{key}` in {path}")]
    MissingString { locale: String, key: String, path: PathBuf },
    #[error("locale `{locale}`: {message}")]
    Fluent { locale: String, message: String },
    #[error("template error: {0}")]
    Template(String),
    #[error("{} error(s):\n{}", .0.len(), join_diagnostics(.0))]
    Content(Vec<Diagnostic>),
    /// A directory walk failed part way (permissions, a loop of symlinks).
    #[error("{}: {source}", dir.display())]
    Walk { dir: PathBuf, source: walkdir::Error },
    /// The output (or its staging directory) holds files the builder did not write; it is never deleted.
    #[error("{} exists and was not made by `site build`; move it away and build again", path.display())]
    NotOurs { path: PathBuf },
    /// The output was replaced by something else while building; the new build is left in `staged`.
    #[error("{} changed during the build and is not the builder's; the new build is in {}", path.display(), staged.display())]
    OutputChanged { path: PathBuf, staged: PathBuf },
    #[error("{}: {reason}", path.display())]
    Import { path: PathBuf, reason: &'static str },
    #[error("{}: {source}", path.display())]
    TomlWrite { path: PathBuf, source: toml::ser::Error },
    #[error("{}: {source}", path.display())]
    Json { path: PathBuf, source: serde_json::Error },
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    #[error("search indexing panicked")]
    IndexerPanicked,
    #[error("making the RAG corpus panicked")]
    CorpusPanicked,
    /// `site serve`: the file watcher could not start (`path` None) or could not watch `path`.
    #[error("{}: {source}", path.as_ref().map_or("file watcher".to_string(), |p| format!("watching {}", p.display())))]
    Watch { path: Option<PathBuf>, source: notify::Error },
    #[error("port {port}: {source}")]
    Bind { port: u16, source: Box<dyn std::error::Error + Send + Sync> },
}

fn join_diagnostics(d: &[Diagnostic]) -> String {
    d.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

impl SiteError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        SiteError::Io { path: path.into(), source }
    }
}

pub type Result<T> = std::result::Result<T, SiteError>;

/// Maps byte offsets of a file to 1-based line/column (column counted in characters, as editors do).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let end = offset.min(text.len());
        let col = text.get(start..end).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error as _;

    #[test]
    fn errors_keep_their_source_and_name_the_path() {
        let walk_err = walkdir::WalkDir::new("/no/such/dir/for/site").into_iter().next().unwrap().unwrap_err();
        let e = SiteError::Walk { dir: "/no/such/dir/for/site".into(), source: walk_err };
        assert!(e.source().is_some(), "the walkdir error is kept as the source");
        assert!(e.to_string().starts_with("/no/such/dir/for/site: "), "{e}");

        let json_err = serde_json::from_str::<u8>("x").unwrap_err();
        let e = SiteError::Json { path: "rag/manifest.json".into(), source: json_err };
        assert!(e.source().is_some());
        assert!(e.to_string().starts_with("rag/manifest.json: "), "{e}");

        let e = SiteError::Watch { path: Some("content".into()), source: notify::Error::generic("gone") };
        assert!(e.source().is_some());
        assert!(e.to_string().starts_with("watching content: "), "{e}");
    }
}
