//! The RAG corpus: every page split into heading-delimited, size-bounded plain-text chunks.

use crate::markdown::Section;
use protocol::Locale;
use protocol::{CORPUS_FORMAT_VERSION, CorpusManifest, CorpusRecord};
use sha2::{Digest, Sha256};
use text_splitter::{ChunkConfig, TextSplitter};

/// Upper bound of a chunk in characters; sections longer than this are split with overlap.
pub const MAX_CHUNK_CHARS: usize = 1200;
const MIN_CHUNK_CHARS: usize = 800;
const OVERLAP_CHARS: usize = 120;

pub fn record_id(locale: Locale, url: &str, text: &str) -> String {
    let mut h = Sha256::new();
    // Separators keep ("a","bc") and ("ab","c") from hashing alike.
    h.update(locale.as_str().as_bytes());
    h.update([0]);
    h.update(url.as_bytes());
    h.update([0]);
    h.update(text.as_bytes());
    hex::encode(h.finalize())
}

fn splitter() -> Option<TextSplitter<text_splitter::Characters>> {
    let cfg = ChunkConfig::new(MIN_CHUNK_CHARS..MAX_CHUNK_CHARS).with_overlap(OVERLAP_CHARS).ok()?;
    Some(TextSplitter::new(cfg))
}

/// Chunks for one page (`page_url` without base).
pub fn page_records(locale: Locale, title: &str, page_url: &str, sections: &[Section]) -> Vec<CorpusRecord> {
    let splitter = splitter();
    let mut out = vec![];
    for s in sections {
        if s.text.trim().is_empty() {
            continue;
        }
        let url = if s.anchor.is_empty() { page_url.to_string() } else { format!("{page_url}#{}", s.anchor) };
        let pieces: Vec<String> = match &splitter {
            Some(sp) if s.text.chars().count() > MAX_CHUNK_CHARS => sp.chunks(&s.text).map(str::to_string).collect(),
            _ => vec![s.text.clone()],
        };
        for text in pieces {
            out.push(CorpusRecord {
                id: record_id(locale, &url, &text),
                locale,
                title: title.to_string(),
                heading_path: s.heading_path.clone(),
                page_url: page_url.to_string(),
                anchor: s.anchor.clone(),
                url: url.clone(),
                text,
            });
        }
    }
    out
}

/// `corpus.jsonl` text and its manifest.
pub fn serialize(records: &[CorpusRecord], pages: usize, base_url: &str) -> (String, CorpusManifest) {
    let mut jsonl = String::new();
    let mut h = Sha256::new();
    for r in records {
        // Serializing a struct of strings cannot fail; skip defensively rather than panic.
        if let Ok(line) = serde_json::to_string(r) {
            jsonl.push_str(&line);
            jsonl.push('\n');
        }
        h.update(r.id.as_bytes());
    }
    let manifest = CorpusManifest {
        format_version: CORPUS_FORMAT_VERSION,
        corpus_hash: hex::encode(h.finalize()),
        records: records.len(),
        pages,
        base_url: base_url.to_string(),
    };
    (jsonl, manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_sections_are_split_with_bound() {
        let text = "word ".repeat(800);
        let s = Section { anchor: "a".into(), heading_path: vec!["A".into()], text };
        let recs = page_records(Locale::En, "T", "/p/", &[s]);
        assert!(recs.len() > 1);
        assert!(recs.iter().all(|r| r.text.chars().count() <= MAX_CHUNK_CHARS));
        assert!(recs.iter().all(|r| r.url == "/p/#a"));
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(record_id(Locale::En, "/a/", "x"), record_id(Locale::En, "/a/", "x"));
        assert_ne!(record_id(Locale::En, "/a/", "x"), record_id(Locale::Ur, "/a/", "x"));
    }
}
