//! Per-locale BM25 text analysis, using qdrant-edge's embedder so the embedded shard and a Qdrant server see the
//! same token ids. qdrant-edge has no Urdu language pack, so Urdu text is first normalised, stripped of function
//! words and suffix-folded ([`urdu::prepare`]) and then split by the word tokenizer (which splits Arabic-script
//! punctuation such as ۔ and ، ); English terms quoted inside Urdu text ("(forward kinematics)") still get English
//! stemming and stopwords, which also helps cross-lingual recall.

use super::urdu;
use protocol::Locale;
use qdrant_edge::bm25_embed::{EdgeBm25, EdgeBm25Config};
use std::collections::{HashMap, HashSet};
use unicode_segmentation::UnicodeSegmentation;

/// A sparse BM25 vector, independent of the store that indexes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sparse {
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

/// Words questions are phrased with that say nothing about their topic ("what does X *mean*", "what *happens*",
/// "*usually*", "how does X *work*", "why does it *matter*", "the *pros* and *cons*", "what does X *relate*").
/// The book rarely uses them, so as query terms they carry a high idf and outweigh the topic words.
const QUESTION_WORDS_EN: &[&str] = &[
    "get",
    "gets",
    "getting",
    "show",
    "mean",
    "means",
    "meant",
    "happen",
    "happens",
    "happened",
    "going",
    "goes",
    "usually",
    "actually",
    "already",
    "really",
    "exactly",
    "please",
    "tell",
    "explain",
    "describe",
    "seeing",
    "say",
    "says",
    "said",
    "work",
    "works",
    "matter",
    "matters",
    "important",
    "pros",
    "cons",
    "relate",
    "relates",
];

#[derive(Debug, thiserror::Error)]
#[error("BM25 analyzer for {locale}: {message}")]
pub struct AnalyzerError {
    locale: Locale,
    message: String,
}

pub struct Analyzer {
    en: EdgeBm25,
    ur: EdgeBm25,
}

impl Analyzer {
    pub fn new() -> Result<Analyzer, AnalyzerError> {
        // English drops the Urdu function words too: a reader of the English edition who asks in Urdu with the
        // English technical terms ("Jacobian matrix کیا ہے؟") is searched on those terms alone.
        let custom: Vec<&str> = urdu::STOPWORDS.iter().chain(QUESTION_WORDS_EN).copied().collect();
        let en_config: EdgeBm25Config = serde_json::from_value(serde_json::json!({
            "language": "english",
            "stopwords": { "languages": ["english"], "custom": custom },
        }))
        .map_err(|e| AnalyzerError { locale: Locale::En, message: e.to_string() })?;
        let en = EdgeBm25::new(en_config).map_err(|e| AnalyzerError { locale: Locale::En, message: e.to_string() })?;
        // Built through the config's JSON shape because the stopword types are not all re-exported.
        let ur_config: EdgeBm25Config = serde_json::from_value(serde_json::json!({
            "language": "english",
            "tokenizer": "word",
            "stopwords": { "languages": ["english"], "custom": QUESTION_WORDS_EN },
        }))
        .map_err(|e| AnalyzerError { locale: Locale::Ur, message: e.to_string() })?;
        let ur = EdgeBm25::new(ur_config).map_err(|e| AnalyzerError { locale: Locale::Ur, message: e.to_string() })?;
        Ok(Analyzer { en, ur })
    }

    fn model(&self, locale: Locale) -> &EdgeBm25 {
        match locale {
            Locale::En => &self.en,
            Locale::Ur => &self.ur,
        }
    }

    /// The text the locale's BM25 model reads: Urdu prepared by [`urdu::prepare`], English as it is.
    fn prepare<'a>(&self, locale: Locale, text: &'a str) -> std::borrow::Cow<'a, str> {
        match locale {
            Locale::Ur => urdu::prepare(text),
            Locale::En => std::borrow::Cow::Borrowed(text),
        }
    }

    pub fn document(&self, locale: Locale, text: &str) -> Sparse {
        let v = self.model(locale).embed_document(&self.prepare(locale, text));
        Sparse { indices: v.indices, values: v.values }
    }

    pub fn query(&self, locale: Locale, text: &str) -> Sparse {
        let v = self.model(locale).embed_query(&self.prepare(locale, text));
        Sparse { indices: v.indices, values: v.values }
    }

    pub fn terms(&self, locale: Locale, text: &str) -> HashSet<u32> {
        self.document(locale, text).indices.into_iter().collect()
    }

    /// The content terms of `text` in word order (stopwords dropped), for phrase matches. Words repeat a lot,
    /// so each distinct word is analysed once.
    pub fn term_sequence(&self, locale: Locale, text: &str) -> Vec<u32> {
        let mut memo: HashMap<&str, Vec<u32>> = HashMap::new();
        let mut out = Vec::new();
        for w in text.unicode_words() {
            let ids = memo.entry(w).or_insert_with(|| self.query(locale, w).indices);
            out.extend_from_slice(ids);
        }
        out
    }

    /// Share of the query's distinct terms that occur in `text` (0..=1): the relevance signal behind `grounded`,
    /// because raw BM25 scores are not comparable across queries of different lengths.
    pub fn coverage(&self, locale: Locale, query: &Sparse, text: &str) -> f32 {
        coverage_of(query, &self.terms(locale, text))
    }
}

/// Share of the query's distinct terms found in `terms` (0..=1).
pub fn coverage_of(query: &Sparse, terms: &HashSet<u32>) -> f32 {
    if query.indices.is_empty() {
        return 0.0;
    }
    let hit = query.indices.iter().filter(|i| terms.contains(i)).count();
    hit as f32 / query.indices.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urdu_stopwords_dropped_and_content_words_kept() {
        let a = Analyzer::new().unwrap();
        let q = a.query(Locale::Ur, "یہ کیا ہے");
        assert!(q.indices.is_empty(), "only stopwords: {q:?}");
        let q = a.query(Locale::Ur, "زیرو مومنٹ پوائنٹ کیا ہے");
        assert_eq!(q.indices.len(), 3, "{q:?}");
        assert!(a.coverage(Locale::Ur, &q, "انسان نما روبوٹ کا توازن زیرو مومنٹ پوائنٹ سے جانچا جاتا ہے۔") > 0.99);
    }

    #[test]
    fn english_stemming_matches_inflections() {
        let a = Analyzer::new().unwrap();
        let q = a.query(Locale::En, "How are joints controlled?");
        assert!(a.coverage(Locale::En, &q, "A joint controller tracks the reference.") > 0.99);
        assert_eq!(a.coverage(Locale::En, &q, "Bake the cake for forty minutes."), 0.0);
    }

    #[test]
    fn term_sequences_keep_word_order_without_stopwords() {
        let a = Analyzer::new().unwrap();
        let seq = a.term_sequence(Locale::En, "The zero moment point of the robot");
        let ids = |w: &str| a.query(Locale::En, w).indices;
        assert_eq!(seq, [ids("zero"), ids("moment"), ids("point"), ids("robot")].concat());
    }
}
