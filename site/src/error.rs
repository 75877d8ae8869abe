//! Errors and source-located diagnostics shared by every build step.

use std::fmt;
use std::path::PathBuf;

/// A problem tied to a place in a source file, printed as `file:line:col: message` so editors can jump to it.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    #[error("{0}")]
    Other(String),
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
