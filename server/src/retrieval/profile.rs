//! What ranking, grounding and answer extraction need to know about each corpus chunk, computed once per chunk
//! (at ingest for the whole corpus, on first use for any other) so a request only looks things up: the chunk's
//! terms, its heading terms, adjacent-term pairs for phrase matches, its quotable prose sentences, and the
//! corpus document frequencies that weight terms by how much they tell apart.

use super::analyzer::Analyzer;
use super::prose;
use super::spelling::Spellings;
use protocol::{CorpusRecord, Locale, SectionKind};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

const CACHE_ITEMS: usize = 4096;

/// One sentence of explanatory prose, fit to quote.
#[derive(Debug, Clone)]
pub struct Quote {
    /// Position among the chunk's quotable sentences (reading order).
    pub pos: usize,
    pub text: String,
    pub terms: HashSet<u32>,
}

#[derive(Debug, Default)]
pub struct ChunkProfile {
    pub kind: SectionKind,
    pub terms: HashSet<u32>,
    /// Terms of the chunk's own heading (the last of its heading path).
    pub heading: HashSet<u32>,
    /// Terms of the page title and the enclosing headings.
    pub context: HashSet<u32>,
    /// Adjacent content-term pairs of the text, for phrase matches.
    pub pairs: HashSet<(u32, u32)>,
    pub quotes: Vec<Quote>,
    /// A page's opening chunk, before its first heading.
    pub intro: bool,
}

/// Document frequencies of one locale's chunks.
#[derive(Debug, Default)]
pub struct LocaleStats {
    pub docs: u32,
    pub df: HashMap<u32, u32>,
}

impl LocaleStats {
    /// BM25's idf, never negative. A term no chunk contains gets the largest weight: a question resting on a word
    /// the book never uses is probably about something else.
    pub fn idf(&self, term: u32) -> f32 {
        if self.docs == 0 {
            return 1.0;
        }
        let n = self.docs as f32;
        let df = self.df.get(&term).copied().unwrap_or(0) as f32;
        (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
    }
}

#[derive(Default)]
struct Corpus {
    stats: [LocaleStats; 2],
    /// The first chunk of each section, by `url`: the target a glossary entry points to.
    /// Every chunk of each section in reading order, by `url`: the first is the target a glossary entry points
    /// to, and an answer quotes from all of them.
    sections: HashMap<String, Arc<Vec<CorpusRecord>>>,
    /// Every term of each page (text, headings, title), by page URL: a section of the page the question is about
    /// is likelier to answer it.
    pages: HashMap<String, Arc<HashSet<u32>>>,
    /// The Urdu edition's vocabulary, for respelling a question's variant spellings.
    spellings: Spellings,
}

/// The per-chunk profiles and corpus statistics, replaced as a whole on each ingest.
pub struct Profiles {
    corpus: RwLock<Arc<Corpus>>,
    chunks: quick_cache::sync::Cache<String, Arc<ChunkProfile>>,
}

impl Default for Profiles {
    fn default() -> Self {
        Profiles { corpus: RwLock::default(), chunks: quick_cache::sync::Cache::new(CACHE_ITEMS) }
    }
}

fn slot(locale: Locale) -> usize {
    match locale {
        Locale::En => 0,
        Locale::Ur => 1,
    }
}

impl Profiles {
    /// Profiles every record and counts document frequencies: the per-chunk work is done here, not per request.
    pub fn load(&self, analyzer: &Analyzer, records: &[CorpusRecord]) {
        let mut corpus = Corpus::default();
        let mut pages: HashMap<String, HashSet<u32>> = HashMap::new();
        let mut sections: HashMap<String, Vec<CorpusRecord>> = HashMap::new();
        for r in records {
            let p = self.profile(analyzer, r);
            let stats = &mut corpus.stats[slot(r.locale)];
            stats.docs += 1;
            for t in p.terms.iter().chain(p.heading.difference(&p.terms)) {
                *stats.df.entry(*t).or_default() += 1;
            }
            sections.entry(r.url.clone()).or_default().push(r.clone());
            let page = pages.entry(r.page_url.clone()).or_default();
            page.extend(p.terms.iter().chain(&p.heading).chain(&p.context));
        }
        corpus.sections = sections.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
        corpus.pages = pages.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
        let urdu = records.iter().filter(|r| r.locale == Locale::Ur);
        corpus.spellings = Spellings::build(urdu.flat_map(|r| [r.text.as_str(), r.title.as_str()]));
        if let Ok(mut c) = self.corpus.write() {
            *c = Arc::new(corpus);
        }
    }

    fn snapshot(&self) -> Arc<Corpus> {
        self.corpus.read().map(|c| c.clone()).unwrap_or_default()
    }

    pub fn idf(&self, locale: Locale, term: u32) -> f32 {
        self.snapshot().stats[slot(locale)].idf(term)
    }

    /// The weight of a word no chunk contains: the upper bound of `idf`.
    pub fn max_idf(&self, locale: Locale) -> f32 {
        let c = self.snapshot();
        let s = &c.stats[slot(locale)];
        if s.docs == 0 { 1.0 } else { (1.0 + (s.docs as f32 + 0.5) / 0.5).ln() }
    }

    /// Whether any chunk of the locale contains the term (always true before a corpus is loaded).
    pub fn known(&self, locale: Locale, term: u32) -> bool {
        let c = self.snapshot();
        let s = &c.stats[slot(locale)];
        s.docs == 0 || s.df.contains_key(&term)
    }

    pub fn idfs(&self, locale: Locale, terms: &[u32]) -> Vec<f32> {
        let c = self.snapshot();
        terms.iter().map(|t| c.stats[slot(locale)].idf(*t)).collect()
    }

    /// `text` with Urdu words the book spells differently respelled as the book does ([`Spellings::respell`]).
    pub fn respell<'a>(&self, locale: Locale, text: &'a str) -> std::borrow::Cow<'a, str> {
        match locale {
            Locale::Ur => self.snapshot().spellings.respell(text),
            Locale::En => std::borrow::Cow::Borrowed(text),
        }
    }

    /// The terms of a page (empty for a page outside the loaded corpus).
    pub fn page_terms(&self, page_url: &str) -> Arc<HashSet<u32>> {
        self.snapshot().pages.get(page_url).cloned().unwrap_or_default()
    }

    pub fn section(&self, url: &str) -> Option<CorpusRecord> {
        self.snapshot().sections.get(url).and_then(|v| v.first().cloned())
    }

    /// All chunks of a section, in reading order (none for a section outside the loaded corpus).
    pub fn section_chunks(&self, url: &str) -> Arc<Vec<CorpusRecord>> {
        self.snapshot().sections.get(url).cloned().unwrap_or_default()
    }

    /// The profile of a chunk: precomputed for the ingested corpus, computed and kept on first use otherwise.
    pub fn profile(&self, analyzer: &Analyzer, r: &CorpusRecord) -> Arc<ChunkProfile> {
        if let Some(p) = self.chunks.get(&r.id) {
            return p;
        }
        let p = Arc::new(build(analyzer, r));
        self.chunks.insert(r.id.clone(), p.clone());
        p
    }
}

fn build(analyzer: &Analyzer, r: &CorpusRecord) -> ChunkProfile {
    let terms = analyzer.terms(r.locale, &r.text);
    let heading = r.heading_path.last().map(|h| analyzer.terms(r.locale, h)).unwrap_or_default();
    let mut context = analyzer.terms(r.locale, &r.title);
    for h in r.heading_path.iter().rev().skip(1) {
        context.extend(analyzer.terms(r.locale, h));
    }
    let seq = analyzer.term_sequence(r.locale, &r.text);
    let pairs = seq.windows(2).map(|w| (w[0], w[1])).collect();
    let quotes = if r.kind.quotable() { quotes(analyzer, r.locale, &r.text) } else { Vec::new() };
    ChunkProfile { kind: r.kind, terms, heading, context, pairs, quotes, intro: r.anchor.is_empty() }
}

fn quotes(analyzer: &Analyzer, locale: Locale, text: &str) -> Vec<Quote> {
    prose::sentences(text)
        .into_iter()
        .enumerate()
        .map(|(pos, s)| Quote { pos, terms: analyzer.terms(locale, &s), text: s })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profiles_hold_quotes_in_reading_order_and_idf_favours_rare_terms() {
        let a = Analyzer::new().unwrap();
        let rec = |id: &str, anchor: &str, kind: SectionKind, text: &str| CorpusRecord {
            id: id.into(),
            locale: Locale::En,
            title: "Locomotion".into(),
            heading_path: vec!["Balance".into(), "Zero moment point".into()],
            page_url: "/locomotion/".into(),
            anchor: anchor.into(),
            url: format!("/locomotion/#{anchor}"),
            text: text.into(),
            kind,
            points_to: None,
        };
        let body = "The zero moment point is where the ground reaction has no horizontal moment.\n\
                    x = compute_zmp(forces)\n\
                    It must stay inside the support polygon for the robot to keep balance.";
        let records = [
            rec("a1", "zmp", SectionKind::Body, body),
            rec("b1", "exercises", SectionKind::Exercises, "Explain the zero moment point and the support polygon."),
            rec("c1", "gait", SectionKind::Body, "A walking robot alternates stance and swing phases of the legs."),
        ];
        let p = Profiles::default();
        p.load(&a, &records);
        let zmp = p.profile(&a, &records[0]);
        let texts: Vec<&str> = zmp.quotes.iter().map(|q| q.text.as_str()).collect();
        assert_eq!(texts.len(), 2, "{texts:?}");
        assert!(texts[0].starts_with("The zero moment point") && texts[1].starts_with("It must stay"));
        assert!(p.profile(&a, &records[1]).quotes.is_empty(), "exercises are never quoted");
        // "walking" is in one chunk, "robot" in two: the rarer word weighs more; an unseen word most.
        let id = |w: &str| a.query(Locale::En, w).indices[0];
        assert!(p.idf(Locale::En, id("walking")) > p.idf(Locale::En, id("robot")));
        assert!(p.idf(Locale::En, id("pizza")) > p.idf(Locale::En, id("walking")));
        assert!(!p.known(Locale::En, id("pizza")) && p.known(Locale::En, id("robot")));
        assert!(p.section("/locomotion/#gait").is_some());
        assert!(!zmp.pairs.is_empty() && !zmp.heading.is_empty());
    }
}
