//! The RAG corpus: every page split into heading-delimited, size-bounded plain-text chunks.

use crate::markdown::Section;
use protocol::Locale;
use protocol::{CORPUS_FORMAT_VERSION, CorpusManifest, CorpusRecord, SectionKind};
use text_splitter::{ChunkConfig, TextSplitter};

/// Upper bound of a chunk in characters; sections longer than this are split with overlap.
pub const MAX_CHUNK_CHARS: usize = 1200;
const MIN_CHUNK_CHARS: usize = 800;
const OVERLAP_CHARS: usize = 120;

pub fn record_id(locale: Locale, url: &str, text: &str) -> String {
    crate::hashing::hash_parts(&[locale.as_str(), url, text])
}

fn splitter() -> Option<TextSplitter<text_splitter::Characters>> {
    let cfg = ChunkConfig::new(MIN_CHUNK_CHARS..MAX_CHUNK_CHARS).with_overlap(OVERLAP_CHARS).ok()?;
    Some(TextSplitter::new(cfg))
}

/// The role of a section, from its heading id (the ids are shared by both locales, so both get the same kind)
/// and, for glossary entries, the page.
pub fn section_kind(page_url: &str, anchor: &str) -> SectionKind {
    match anchor {
        "learning-objectives" | "objectives" => SectionKind::Objectives,
        // The hints and worked solutions under "Exercises" are as keyword-dense as the tasks themselves.
        "exercises" | "exercise-solutions" => SectionKind::Exercises,
        "summary" => SectionKind::Summary,
        "references" | "further-reading" | "bibliography" => SectionKind::References,
        a if a.starts_with("g-") && page_url.trim_end_matches('/').ends_with("/glossary") => SectionKind::Glossary,
        _ => SectionKind::Body,
    }
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
        let kind = section_kind(page_url, &s.anchor);
        // A glossary entry ends with "See [section](...)": its last in-site link names the section explaining it.
        let points_to = if kind == SectionKind::Glossary { s.links.last().cloned() } else { None };
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
                kind,
                points_to: points_to.clone(),
            });
        }
    }
    out
}

/// `corpus.jsonl` text and its manifest.
pub fn serialize(records: &[CorpusRecord], pages: usize) -> (String, CorpusManifest) {
    let mut jsonl = String::new();
    // The ids are fixed-length hex: concatenated without separators (as every earlier build did).
    let mut h = crate::hashing::Hasher::new();
    for r in records {
        // Serializing a struct of strings cannot fail; skip defensively rather than panic.
        if let Ok(line) = serde_json::to_string(r) {
            jsonl.push_str(&line);
            jsonl.push('\n');
        }
        h.bytes(r.id.as_bytes());
    }
    let manifest =
        CorpusManifest { format_version: CORPUS_FORMAT_VERSION, corpus_hash: h.hex(), records: records.len(), pages };
    (jsonl, manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_sections_are_split_with_bound() {
        let text = "word ".repeat(800);
        let s = Section { anchor: "a".into(), heading_path: vec!["A".into()], text, links: vec![] };
        let recs = page_records(Locale::En, "T", "/p/", &[s]);
        assert!(recs.len() > 1);
        assert!(recs.iter().all(|r| r.text.chars().count() <= MAX_CHUNK_CHARS));
        assert!(recs.iter().all(|r| r.url == "/p/#a"));
    }

    #[test]
    fn kinds_come_from_heading_ids_and_glossary_entries_point_to_their_section() {
        assert_eq!(section_kind("/ur/kinematics/", "learning-objectives"), SectionKind::Objectives);
        assert_eq!(section_kind("/kinematics/", "exercises"), SectionKind::Exercises);
        assert_eq!(section_kind("/kinematics/", "exercise-solutions"), SectionKind::Exercises);
        assert_eq!(section_kind("/kinematics/", "summary"), SectionKind::Summary);
        assert_eq!(section_kind("/kinematics/", "jacobians"), SectionKind::Body);
        assert_eq!(section_kind("/kinematics/", "g-zmp"), SectionKind::Body, "only the glossary page has entries");
        let entry = Section {
            anchor: "g-zmp".into(),
            heading_path: vec!["Z".into(), "Zero moment point".into()],
            text: "The point on the ground ... See Zero moment point.".into(),
            links: vec!["/ur/locomotion/#support-polygon".into(), "/ur/locomotion/#zmp".into()],
        };
        let recs = page_records(Locale::Ur, "G", "/ur/glossary/", &[entry]);
        assert_eq!(recs[0].kind, SectionKind::Glossary);
        assert_eq!(recs[0].points_to.as_deref(), Some("/ur/locomotion/#zmp"));
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(record_id(Locale::En, "/a/", "x"), record_id(Locale::En, "/a/", "x"));
        assert_ne!(record_id(Locale::En, "/a/", "x"), record_id(Locale::Ur, "/a/", "x"));
    }
}
