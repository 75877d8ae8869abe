//! Turning retrieved sections into an answer: extractive (no model) or an OpenAI-compatible LLM.

pub mod extractive;
pub mod llm;
pub mod messages;
pub mod prompt;

use crate::retrieval::Hit;
use protocol::Source;

/// Longest snippet shown under an answer.
const SNIPPET_CHARS: usize = 220;

pub fn snippet(text: &str) -> String {
    let mut s: String = text.chars().take(SNIPPET_CHARS).collect();
    if text.chars().count() > SNIPPET_CHARS {
        // Cut at the last space so a word is not split, then mark the cut.
        if let Some(i) = s.rfind(' ') {
            s.truncate(i);
        }
        s.push('…');
    }
    s
}

/// The sources listed under an answer: the retrieved sections in rank order, each section (URL) once, at most
/// `limit`. Answers cite `[n]` by position in the hits, so retrieval already returns one hit per section
/// ([`crate::retrieval::distinct_sections`]); a repeated URL is dropped here all the same rather than listed twice.
pub fn citations(hits: &[Hit], limit: usize) -> Vec<Source> {
    let mut seen = std::collections::HashSet::new();
    hits.iter().filter(|h| seen.insert(h.record.url.as_str())).take(limit).map(to_source).collect()
}

pub fn to_source(h: &Hit) -> Source {
    Source {
        title: h.record.title.clone(),
        heading: h.record.heading_path.last().cloned().unwrap_or_else(|| h.record.title.clone()),
        url: h.record.url.clone(),
        locale: h.record.locale,
        snippet: snippet(&h.record.text),
        score: h.score,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::{CorpusRecord, Locale};

    fn hit(id: &str, url: &str, score: f32) -> Hit {
        let (page_url, anchor) = url.split_once('#').unwrap_or((url, ""));
        Hit {
            record: CorpusRecord {
                id: id.into(),
                locale: Locale::En,
                title: "Locomotion".into(),
                heading_path: vec![anchor.into()],
                page_url: page_url.into(),
                anchor: anchor.into(),
                url: url.into(),
                text: format!("chunk {id}"),
                ..Default::default()
            },
            score,
        }
    }

    #[test]
    fn two_chunks_of_one_section_are_one_source() {
        // Regression: a long section split into overlapping chunks was listed twice under an answer.
        let hits = [hit("a1", "/loco/#zmp", 3.0), hit("a2", "/loco/#zmp", 2.5), hit("b", "/loco/#cp", 1.0)];
        let urls: Vec<String> = citations(&hits, 4).into_iter().map(|s| s.url).collect();
        assert_eq!(urls, ["/loco/#zmp", "/loco/#cp"]);
        assert_eq!(citations(&hits, 4)[0].snippet, "chunk a1", "the best-ranked chunk speaks for its section");
        assert_eq!(citations(&hits, 1).len(), 1);
        let kept = crate::retrieval::distinct_sections(hits.to_vec());
        assert_eq!(kept.iter().map(|h| h.record.id.as_str()).collect::<Vec<_>>(), ["a1", "b"]);
    }
}
