//! Extractive answers: the sentences of the top sections that best cover the question, each cited, in the order
//! the sections ranked. Used when no LLM is configured and as the fallback when the LLM fails.

use super::messages;
use crate::retrieval::Retrieved;
use crate::retrieval::analyzer::{Analyzer, coverage_of};
use protocol::Locale;

const MAX_SENTENCES: usize = 4;
const MAX_SECTIONS: usize = 3;

/// Builds the answer text (Markdown) citing sources as `[n]`, n being the 1-based position in `retrieved.hits`.
pub fn compose(retrieved: &Retrieved, analyzer: &Analyzer, reader: Locale) -> String {
    if !retrieved.grounded {
        return messages::not_covered(reader).to_string();
    }
    // (section rank, position in section, coverage, sentence)
    let mut candidates: Vec<(usize, usize, f32, String)> = Vec::new();
    for (rank, hit) in retrieved.hits.iter().take(MAX_SECTIONS).enumerate() {
        let analysed = analyzer.chunk_terms(retrieved.locale, &hit.record.id, &hit.record.text);
        for (pos, sentence, terms) in &analysed.sentences {
            let c = coverage_of(&retrieved.query, terms);
            if c > 0.0 {
                candidates.push((rank, *pos, c, sentence.clone()));
            }
        }
    }
    // Best coverage first, earlier sections break ties; then restore reading order for the chosen few.
    candidates.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
    candidates.truncate(MAX_SENTENCES);
    candidates.sort_by_key(|c| (c.0, c.1));

    let mut out = String::new();
    if retrieved.fallback_locale.is_some() {
        out.push_str(messages::fallback_notice(reader));
        out.push_str("\n\n");
    }
    out.push_str(messages::extractive_intro(reader));
    out.push_str("\n\n");
    if candidates.is_empty() {
        // Grounded but no single sentence matched: quote the start of the best section instead.
        if let Some(h) = retrieved.hits.first() {
            out.push_str(&format!("{} [1]", super::snippet(&h.record.text)));
        }
        return out;
    }
    let body: Vec<String> = candidates.iter().map(|(rank, _, _, s)| format!("{s} [{}]", rank + 1)).collect();
    out.push_str(&body.join(" "));
    out
}
