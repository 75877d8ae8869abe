//! Extractive answers (no model, and the fallback when the LLM fails): two to five sentences of explanatory prose
//! from the best section(s), chosen for the question, in reading order, each cited `[n]`, then "Read more" links.
//! Only sentences the corpus profile marked quotable are used: never code, display math, table rows, or the
//! bullets of learning objectives and exercises.

use super::messages;
use crate::retrieval::analyzer::Analyzer;
use crate::retrieval::profile::{Profiles, Quote};
use crate::retrieval::{Hit, Retrieved};
use protocol::Locale;
use std::collections::HashSet;

const MAX_SENTENCES: usize = 5;
const MAX_SECTIONS: usize = 3;
const MIN_SENTENCES: usize = 2;
/// Sentences taken from the best section before any other section is considered (chosen on the dev split: the
/// best section, read further, holds more of the answer than a second section's best sentence).
const BEST_SECTION_SENTENCES: usize = 5;
/// Sections after the first contribute only when their second-stage score is close to the best one's.
const OTHER_SECTION_SCORE_SHARE: f32 = 0.75;
const OTHER_SECTION_MIN_FIT: f32 = 0.5;
const READ_MORE_LINKS: usize = 3;
/// A section's opening sentence usually says what the section is about: a small lift among equals.
const OPENING_LIFT: f32 = 0.6;
/// The next few sentences usually define the section's terms; later ones work examples. A smaller lift for them
/// (chosen on the dev split with the answer-term score: 0.4 for the second to fourth sentence).
const EARLY_LIFT: f32 = 0.4;
const EARLY_SENTENCES: usize = 4;
/// A sentence holding the question's rarest word is usually the one that says what that word is ("... and F is
/// the fundamental matrix" for "What is the fundamental matrix?"), wherever it stands in the section (0.3, chosen
/// on the dev split with the answer-term score). Words of the section's own heading are left out: every sentence
/// of the section is about them.
const RAREST_WORD_LIFT: f32 = 0.3;

struct Pick {
    rank: usize,
    pos: usize,
    text: String,
}

/// How well a sentence answers the question; `rarest` is the question's rarest word outside the section heading.
fn fit(retrieved: &Retrieved, q: &Quote, rarest: Option<u32>) -> f32 {
    let lift = match q.pos {
        0 => OPENING_LIFT,
        p if p < EARLY_SENTENCES => EARLY_LIFT,
        _ => 0.0,
    };
    let rarest = match rarest {
        Some(t) if q.terms.contains(&t) => RAREST_WORD_LIFT,
        _ => 0.0,
    };
    retrieved.query.coverage(&[&q.terms]) + lift + rarest
}

/// Urdu sentences end with the Urdu full stop; a Latin one left by the source is replaced.
fn punctuate(sentence: &str, locale: Locale) -> String {
    let s = sentence.trim();
    if locale == Locale::Ur
        && let Some(body) = s.strip_suffix('.')
    {
        return format!("{body}۔");
    }
    s.to_string()
}

/// The quotable sentences of a hit's whole section (every chunk of it, not only the one that matched), in reading
/// order and without the repeats the chunks' overlaps make.
fn section_quotes(hit: &Hit, analyzer: &Analyzer, profiles: &Profiles) -> Vec<Quote> {
    let chunks = profiles.section_chunks(&hit.record.url);
    let own = [hit.record.clone()];
    let records: &[protocol::CorpusRecord] = if chunks.is_empty() { &own } else { &chunks };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for r in records {
        for q in &profiles.profile(analyzer, r).quotes {
            if seen.insert(q.text.clone()) {
                out.push(Quote { pos: out.len(), text: q.text.clone(), terms: q.terms.clone() });
            }
        }
    }
    out
}

fn choose(retrieved: &Retrieved, analyzer: &Analyzer, profiles: &Profiles) -> Vec<Pick> {
    let mut picks: Vec<Pick> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    let top_score = retrieved.hits.first().map(|h| h.score).unwrap_or(0.0);
    // Only the best sections are quoted: every `[n]` must point at a source listed under the answer.
    for (rank, hit) in retrieved.hits.iter().take(MAX_SECTIONS).enumerate() {
        if picks.len() >= MAX_SENTENCES {
            break;
        }
        if rank > 0 && hit.score < OTHER_SECTION_SCORE_SHARE * top_score {
            continue;
        }
        let quotes = section_quotes(hit, analyzer, profiles);
        let rarest = retrieved.query.rarest_outside(&profiles.profile(analyzer, &hit.record).heading);
        let mut scored: Vec<(f32, &Quote)> = quotes.iter().map(|q| (fit(retrieved, q, rarest), q)).collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.pos.cmp(&b.1.pos)));
        let room = if rank == 0 { BEST_SECTION_SENTENCES } else { 1 };
        let floor = if rank == 0 { f32::MIN_POSITIVE } else { OTHER_SECTION_MIN_FIT };
        let mut taken: Vec<usize> = Vec::new();
        for (_, q) in scored.iter().filter(|(s, _)| *s >= floor).take(room) {
            if picks.len() < MAX_SENTENCES && seen.insert(q.text.clone()) {
                taken.push(q.pos);
                picks.push(Pick { rank, pos: q.pos, text: q.text.clone() });
            }
        }
        // A single matching sentence reads as a fragment: continue it with the sentence that follows it.
        if rank == 0 && taken.len() < MIN_SENTENCES {
            let next = taken.first().map(|p| p + 1).unwrap_or(0);
            if let Some(q) = quotes.iter().find(|q| q.pos >= next && !taken.contains(&q.pos))
                && seen.insert(q.text.clone())
            {
                picks.push(Pick { rank, pos: q.pos, text: q.text.clone() });
            }
        }
    }
    picks.sort_by_key(|p| (p.rank, p.pos));
    picks
}

/// Builds the answer text (Markdown) citing sources as `[n]`, n being the 1-based position in `retrieved.hits`.
pub fn compose(retrieved: &Retrieved, analyzer: &Analyzer, profiles: &Profiles, reader: Locale) -> String {
    if !retrieved.grounded {
        return messages::not_covered(reader).to_string();
    }
    let mut out = String::new();
    if retrieved.fallback_locale.is_some() {
        out.push_str(messages::fallback_notice(reader));
        out.push_str("\n\n");
    }
    let picks = choose(retrieved, analyzer, profiles);
    if picks.is_empty() {
        // Grounded, but the best section has no quotable prose (a code listing, a table): point to it instead.
        if let Some(h) = retrieved.hits.first() {
            let heading = h.record.heading_path.last().unwrap_or(&h.record.title);
            out.push_str(&format!("{} [{heading}]({}) [1]", messages::see_section(reader), h.record.url));
        }
        return out;
    }
    let body: Vec<String> =
        picks.iter().map(|p| format!("{} [{}]", punctuate(&p.text, retrieved.locale), p.rank + 1)).collect();
    out.push_str(&body.join(" "));
    let mut cited: Vec<usize> = picks.iter().map(|p| p.rank).collect();
    cited.dedup();
    let links: Vec<String> = cited
        .iter()
        .take(READ_MORE_LINKS)
        .filter_map(|r| retrieved.hits.get(*r))
        .map(|h| format!("[{}]({})", h.record.heading_path.last().unwrap_or(&h.record.title), h.record.url))
        .collect();
    out.push_str(&format!("\n\n{} {}", messages::read_more(reader), links.join(messages::list_separator(reader))));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::retrieval::Hit;
    use crate::retrieval::rank::{Evidence, Query};
    use protocol::{CorpusRecord, SectionKind};

    #[test]
    fn the_sentence_with_the_questions_rarest_word_is_quoted_wherever_it_stands() {
        // Two sections share "stereo pair camera rig"; only this one says "fundamental", so that word weighs
        // 0.69 and each shared one 0.18 (BM25 idf over two chunks). Every sentence holds the four shared words
        // (0.51 of the question's weight, the first four lifted for their position) except the last, which holds
        // only "fundamental" (0.49): without its lift the fifth sentence quoted would be "Matching with ...".
        let text = "Epipolar geometry\n\
            A stereo pair camera rig gives the depth of every pixel. Each stereo pair camera rig is calibrated once. \
            A calibrated stereo pair camera rig has known poses. The stereo pair camera rig shares one baseline. \
            Matching with a stereo pair camera rig is a search along a line. A wide stereo pair camera rig sees \
            farther. The fundamental constraint between the two views has rank two.";
        let record = CorpusRecord {
            id: "e".into(),
            locale: Locale::En,
            title: "Perception".into(),
            heading_path: vec!["Epipolar geometry".into()],
            page_url: "/perception/".into(),
            anchor: "epipolar-geometry".into(),
            url: "/perception/#epipolar-geometry".into(),
            text: text.into(),
            kind: SectionKind::Body,
            points_to: None,
        };
        let a = Analyzer::new().unwrap();
        let p = Profiles::default();
        let other = CorpusRecord {
            id: "c".into(),
            anchor: "cameras".into(),
            url: "/perception/#cameras".into(),
            heading_path: vec!["Cameras".into()],
            text: "Cameras\nA stereo pair camera rig is two cameras on one bar.".into(),
            ..record.clone()
        };
        p.load(&a, &[record.clone(), other]);
        let query = Query::new(&a, &p, Locale::En, "What is fundamental about a stereo pair camera rig?");
        let retrieved = Retrieved {
            hits: vec![Hit { record, score: 1.0 }],
            grounded: true,
            fallback_locale: None,
            query,
            evidence: Evidence::default(),
            locale: Locale::En,
        };
        let answer = compose(&retrieved, &a, &p, Locale::En);
        assert!(answer.contains("The fundamental constraint"), "{answer}");
        assert!(!answer.contains("Matching with"), "{answer}");
        assert!(answer.contains("gives the depth of every pixel"), "{answer}");
    }

    #[test]
    fn urdu_sentences_end_with_the_urdu_full_stop() {
        assert_eq!(punctuate("یہ ایک جملہ ہے.", Locale::Ur), "یہ ایک جملہ ہے۔");
        assert_eq!(punctuate("A sentence.", Locale::En), "A sentence.");
    }
}
