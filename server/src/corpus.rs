//! Reading the RAG corpus the site build writes (`rag/corpus.jsonl` + `rag/manifest.json`) from disk or a URL.

use protocol::{CORPUS_FORMAT_VERSION, CorpusManifest, CorpusRecord};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}:{line}: {message}")]
    Parse { path: String, line: usize, message: String },
    #[error("{0}")]
    Invalid(String),
    #[error("fetching {url}: {message}")]
    Fetch { url: String, message: String },
}

#[derive(Debug, Clone)]
pub struct Corpus {
    pub manifest: CorpusManifest,
    pub records: Vec<CorpusRecord>,
}

/// Resolves `source` (a corpus.jsonl file, the folder holding it, or an http(s) URL of either) and loads it.
pub async fn load(source: &str) -> Result<Corpus, CorpusError> {
    if source.starts_with("http://") || source.starts_with("https://") {
        let base = source.trim_end_matches("corpus.jsonl").trim_end_matches('/');
        let corpus_url = format!("{base}/corpus.jsonl");
        let manifest_url = format!("{base}/manifest.json");
        let jsonl = fetch(&corpus_url).await?;
        let manifest = fetch(&manifest_url).await?;
        return parse(&corpus_url, &jsonl, &manifest_url, &manifest);
    }
    let path = PathBuf::from(source);
    let file = if path.is_dir() { path.join("corpus.jsonl") } else { path };
    let manifest_path = file.parent().unwrap_or(Path::new(".")).join("manifest.json");
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|source| CorpusError::Io { path: p.display().to_string(), source })
    };
    let jsonl = read(&file)?;
    let manifest = read(&manifest_path)?;
    parse(&file.display().to_string(), &jsonl, &manifest_path.display().to_string(), &manifest)
}

async fn fetch(url: &str) -> Result<String, CorpusError> {
    let err = |message: String| CorpusError::Fetch { url: url.to_string(), message };
    let resp = reqwest::Client::new()
        .get(url)
        .timeout(std::time::Duration::from_secs(30))
        .send()
        .await
        .map_err(|e| err(e.to_string()))?;
    if !resp.status().is_success() {
        return Err(err(format!("HTTP {}", resp.status())));
    }
    resp.text().await.map_err(|e| err(e.to_string()))
}

/// Parses and cross-checks the two files; errors name the file and line.
pub fn parse(jsonl_name: &str, jsonl: &str, manifest_name: &str, manifest: &str) -> Result<Corpus, CorpusError> {
    let manifest: CorpusManifest = serde_json::from_str(manifest).map_err(|e| CorpusError::Parse {
        path: manifest_name.to_string(),
        line: e.line(),
        message: e.to_string(),
    })?;
    if manifest.format_version != CORPUS_FORMAT_VERSION {
        return Err(CorpusError::Invalid(format!(
            "{manifest_name}: corpus format {} is not the supported {CORPUS_FORMAT_VERSION}; rebuild the site",
            manifest.format_version
        )));
    }
    let mut records = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let rec: CorpusRecord = serde_json::from_str(line).map_err(|e| CorpusError::Parse {
            path: jsonl_name.to_string(),
            line: i + 1,
            message: e.to_string(),
        })?;
        let problem = if rec.id.len() < 16 || !rec.id.chars().all(|c| c.is_ascii_hexdigit()) {
            Some("id must be a hex content hash")
        } else if !rec.url.starts_with('/') || !rec.page_url.starts_with('/') {
            Some("url and page_url must start with /")
        } else if rec.text.trim().is_empty() {
            Some("text is empty")
        } else if !seen.insert(rec.id.clone()) {
            Some("duplicate id")
        } else {
            None
        };
        if let Some(message) = problem {
            return Err(CorpusError::Parse { path: jsonl_name.to_string(), line: i + 1, message: message.into() });
        }
        records.push(rec);
    }
    if records.len() != manifest.records {
        return Err(CorpusError::Invalid(format!(
            "{manifest_name} says {} records but {jsonl_name} has {}; the files are from different builds",
            manifest.records,
            records.len()
        )));
    }
    Ok(Corpus { manifest, records })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(id: &str, text: &str) -> String {
        format!(
            r#"{{"id":"{id}","locale":"en","title":"T","heading_path":["H"],"page_url":"/p/","anchor":"h","url":"/p/#h","text":"{text}"}}"#
        )
    }

    fn manifest(n: usize) -> String {
        format!(r#"{{"format_version":1,"corpus_hash":"ab","records":{n},"pages":1}}"#)
    }

    #[test]
    fn parses_valid_corpus() {
        let jsonl = format!("{}\n{}\n", rec("00112233445566778899", "a"), rec("0011223344556677889a", "b"));
        let c = parse("c.jsonl", &jsonl, "m.json", &manifest(2)).unwrap();
        assert_eq!(c.records.len(), 2);
    }

    #[test]
    fn errors_name_file_and_line() {
        let jsonl = format!("{}\n{{\"id\": 3}}\n", rec("00112233445566778899", "a"));
        let err = parse("c.jsonl", &jsonl, "m.json", &manifest(2)).unwrap_err().to_string();
        assert!(err.starts_with("c.jsonl:2:"), "{err}");
        let dup = format!("{}\n{}\n", rec("00112233445566778899", "a"), rec("00112233445566778899", "b"));
        let err = parse("c.jsonl", &dup, "m.json", &manifest(2)).unwrap_err().to_string();
        assert!(err.contains("c.jsonl:2: duplicate id"), "{err}");
        let err = parse("c.jsonl", &rec("00112233445566778899", "a"), "m.json", &manifest(5)).unwrap_err();
        assert!(err.to_string().contains("5 records"), "{err}");
    }
}
