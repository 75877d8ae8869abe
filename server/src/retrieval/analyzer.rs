//! Per-locale BM25 text analysis, using qdrant-edge's embedder so the embedded shard and a Qdrant server see the
//! same token ids. qdrant-edge has no Urdu language pack, so Urdu uses the word tokenizer (which splits Arabic-script
//! punctuation such as ۔ and ، ), no Urdu stemming, and a custom Urdu stopword list; English terms quoted inside
//! Urdu text ("(forward kinematics)") still get English stemming and stopwords, which also helps cross-lingual recall.

use protocol::Locale;
use qdrant_edge::bm25_embed::{EdgeBm25, EdgeBm25Config};
use std::collections::HashSet;
use std::sync::Arc;
use unicode_segmentation::UnicodeSegmentation;

/// Sentences shorter than this are headings, labels or fragments: not worth quoting as an answer.
pub const MIN_SENTENCE_CHARS: usize = 25;
/// Chunks whose analysis is kept: the whole textbook (about 1,150 chunks in both locales) fits several times over.
const CHUNK_CACHE_ITEMS: usize = 4096;

/// The analysed text of one corpus chunk: its term set, and its quotable sentences with theirs.
#[derive(Debug)]
pub struct ChunkTerms {
    pub terms: HashSet<u32>,
    /// (position among the chunk's sentences, trimmed sentence, its terms)
    pub sentences: Vec<(usize, String, HashSet<u32>)>,
}

/// A sparse BM25 vector, independent of the store that indexes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sparse {
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

/// Common Urdu function words: they carry no topic and would otherwise dominate short questions.
const URDU_STOPWORDS: &[&str] = &[
    "کا",
    "کی",
    "کے",
    "میں",
    "سے",
    "کو",
    "نے",
    "پر",
    "اور",
    "یا",
    "ہے",
    "ہیں",
    "تھا",
    "تھی",
    "تھے",
    "ہو",
    "ہوتا",
    "ہوتی",
    "ہوتے",
    "کیا",
    "کیسے",
    "کیوں",
    "کب",
    "کون",
    "کس",
    "یہ",
    "وہ",
    "اس",
    "ان",
    "جو",
    "جس",
    "جن",
    "بھی",
    "تو",
    "ہی",
    "کہ",
    "لیے",
    "لئے",
    "ایک",
    "اپنے",
    "اپنی",
    "اپنا",
    "گیا",
    "گئی",
    "گئے",
    "جاتا",
    "جاتی",
    "جاتے",
    "رہا",
    "رہی",
    "رہے",
    "سکتا",
    "سکتی",
    "سکتے",
    "کر",
    "کرتا",
    "کرتی",
    "کرتے",
    "کرنے",
    "کرنا",
    "ہوں",
    "مجھے",
    "ہم",
    "آپ",
    "کچھ",
    "بہت",
    "بتائیں",
    "بتاؤ",
    "کیجیے",
    "ذریعے",
    "والا",
    "والی",
    "والے",
    "ساتھ",
    "بارے",
    "طرح",
    "کسی",
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
    /// Keyed by chunk id, which is a hash of the chunk's content and locale, so an entry can never go stale.
    /// Why: every answer judged coverage and picked sentences by stemming its top chunks again, and profiling the
    /// chat path under load showed that stemming as its largest single cost.
    chunks: quick_cache::sync::Cache<String, Arc<ChunkTerms>>,
}

impl Analyzer {
    pub fn new() -> Result<Analyzer, AnalyzerError> {
        let en = EdgeBm25::new(EdgeBm25Config { language: Some("english".into()), ..Default::default() })
            .map_err(|e| AnalyzerError { locale: Locale::En, message: e.to_string() })?;
        // Built through the config's JSON shape because the stopword types are not all re-exported.
        let ur_config: EdgeBm25Config = serde_json::from_value(serde_json::json!({
            "language": "english",
            "tokenizer": "word",
            "stopwords": { "languages": ["english"], "custom": URDU_STOPWORDS },
        }))
        .map_err(|e| AnalyzerError { locale: Locale::Ur, message: e.to_string() })?;
        let ur = EdgeBm25::new(ur_config).map_err(|e| AnalyzerError { locale: Locale::Ur, message: e.to_string() })?;
        Ok(Analyzer { en, ur, chunks: quick_cache::sync::Cache::new(CHUNK_CACHE_ITEMS) })
    }

    fn model(&self, locale: Locale) -> &EdgeBm25 {
        match locale {
            Locale::En => &self.en,
            Locale::Ur => &self.ur,
        }
    }

    pub fn document(&self, locale: Locale, text: &str) -> Sparse {
        let v = self.model(locale).embed_document(text);
        Sparse { indices: v.indices, values: v.values }
    }

    pub fn query(&self, locale: Locale, text: &str) -> Sparse {
        let v = self.model(locale).embed_query(text);
        Sparse { indices: v.indices, values: v.values }
    }

    fn terms(&self, locale: Locale, text: &str) -> HashSet<u32> {
        self.document(locale, text).indices.into_iter().collect()
    }

    /// Share of the query's distinct terms that occur in `text` (0..=1): the relevance signal behind `grounded`,
    /// because raw BM25 scores are not comparable across queries of different lengths.
    pub fn coverage(&self, locale: Locale, query: &Sparse, text: &str) -> f32 {
        coverage_of(query, &self.terms(locale, text))
    }

    /// The analysis of a corpus chunk, computed on first use.
    pub fn chunk_terms(&self, locale: Locale, chunk_id: &str, text: &str) -> Arc<ChunkTerms> {
        if let Some(t) = self.chunks.get(chunk_id) {
            return t;
        }
        let sentences = text
            .unicode_sentences()
            .enumerate()
            .map(|(pos, s)| (pos, s.trim()))
            .filter(|(_, s)| s.chars().count() >= MIN_SENTENCE_CHARS)
            .map(|(pos, s)| (pos, s.to_string(), self.terms(locale, s)))
            .collect();
        let t = Arc::new(ChunkTerms { terms: self.terms(locale, text), sentences });
        self.chunks.insert(chunk_id.to_string(), t.clone());
        t
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
    fn chunk_analysis_matches_direct_analysis_and_is_cached() {
        let a = Analyzer::new().unwrap();
        let text = "Short one. A joint controller tracks the reference angle closely. Bake the cake for forty minutes.";
        let t = a.chunk_terms(Locale::En, "chunk-1", text);
        assert_eq!(t.terms, a.terms(Locale::En, text));
        // The first sentence is below the quotable length; positions count every sentence.
        let positions: Vec<usize> = t.sentences.iter().map(|s| s.0).collect();
        assert_eq!(positions, vec![1, 2]);
        assert_eq!(t.sentences[0].1, "A joint controller tracks the reference angle closely.");
        let q = a.query(Locale::En, "How are joints controlled?");
        assert!(coverage_of(&q, &t.sentences[0].2) > 0.99);
        assert_eq!(coverage_of(&q, &t.sentences[1].2), 0.0);
        // A second call returns the cached analysis itself.
        assert!(Arc::ptr_eq(&t, &a.chunk_terms(Locale::En, "chunk-1", text)));
    }
}
