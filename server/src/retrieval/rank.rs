//! Second-stage ranking and the grounding decision.
//!
//! BM25 over whole chunks ranks learning objectives, exercises and summaries above the section that explains a
//! concept: they name every concept of the chapter in a few words. The candidates BM25 returns are therefore
//! re-scored with what the corpus knows about each section: a heading field (a question about "the Jacobian" is
//! about the section headed "Jacobians"), a prior per section kind, adjacent-term (phrase) matches, and glossary
//! entries standing in for the section they point to. Term weights are the corpus idf, so "robot" counts for
//! little and "Jacobian" for a lot.
//!
//! Whether the book answers the question at all is decided from evidence of the same kind (how much of the
//! question's idf weight the best sections contain, how specific the missing words are, whether the best sections
//! agree), combined by a logistic model whose weights were fitted on the development split of the eval sets.

use super::Hit;
use super::analyzer::Analyzer;
use super::profile::{ChunkProfile, Profiles};
use protocol::{Locale, SectionKind};
use std::collections::HashSet;
use std::sync::Arc;

/// The terms of a query with their corpus weights, and its adjacent-term pairs.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub terms: Vec<u32>,
    pub weights: Vec<f32>,
    pub pairs: Vec<(u32, u32)>,
    /// The question asks for a price, a winner, news ([`super::scope`]).
    pub outside_scope: bool,
}

impl Query {
    pub fn new(analyzer: &Analyzer, profiles: &Profiles, locale: Locale, text: &str) -> Query {
        let seq = analyzer.term_sequence(locale, text);
        let mut terms: Vec<u32> = Vec::new();
        for t in &seq {
            if !terms.contains(t) {
                terms.push(*t);
            }
        }
        let weights = profiles.idfs(locale, &terms);
        let pairs = seq.windows(2).filter(|w| w[0] != w[1]).map(|w| (w[0], w[1])).collect();
        Query { terms, weights, pairs, outside_scope: super::scope::asks_outside_scope(locale, text) }
    }

    /// Share of the query's weight found in any of `sets` (0..=1).
    pub fn coverage(&self, sets: &[&HashSet<u32>]) -> f32 {
        self.coverage_by(sets, |w| w)
    }

    /// The same with each term weighed by its squared idf: the rare words that name the topic count most.
    pub fn coverage_sq(&self, sets: &[&HashSet<u32>]) -> f32 {
        self.coverage_by(sets, |w| w * w)
    }

    fn coverage_by(&self, sets: &[&HashSet<u32>], weigh: impl Fn(f32) -> f32) -> f32 {
        let total: f32 = self.weights.iter().map(|w| weigh(*w)).sum();
        if total <= 0.0 {
            return 0.0;
        }
        let found: f32 = self
            .terms
            .iter()
            .zip(&self.weights)
            .filter(|(t, _)| sets.iter().any(|s| s.contains(t)))
            .map(|(_, w)| weigh(*w))
            .sum();
        found / total
    }

    /// The query's rarest term (highest idf; the first of equals) that `except` lacks: the word that names what
    /// is asked about, beyond what `except` (a section's heading) already says.
    pub fn rarest_outside(&self, except: &HashSet<u32>) -> Option<u32> {
        let mut best: Option<(u32, f32)> = None;
        for (t, w) in self.terms.iter().zip(&self.weights).filter(|(t, _)| !except.contains(t)) {
            if best.is_none_or(|(_, b)| *w > b) {
                best = Some((*t, *w));
            }
        }
        best.map(|(t, _)| t)
    }

    /// The weight of the most specific query term none of `sets` contains (0 when all are found).
    pub fn missing_max(&self, sets: &[&HashSet<u32>]) -> f32 {
        self.terms
            .iter()
            .zip(&self.weights)
            .filter(|(t, _)| !sets.iter().any(|s| s.contains(t)))
            .map(|(_, w)| *w)
            .fold(0.0, f32::max)
    }

    pub fn pair_share(&self, pairs: &HashSet<(u32, u32)>) -> f32 {
        if self.pairs.is_empty() {
            return 0.0;
        }
        self.pairs.iter().filter(|p| pairs.contains(p)).count() as f32 / self.pairs.len() as f32
    }
}

/// How much a section of each kind is trusted to explain what it mentions.
pub fn kind_prior(kind: SectionKind) -> f32 {
    match kind {
        SectionKind::Body => 1.0,
        // A glossary entry defines the term in a sentence: as good an answer as the body when its term is asked.
        SectionKind::Glossary => 1.1,
        SectionKind::Summary => 0.3,
        SectionKind::Objectives | SectionKind::Exercises | SectionKind::References => 0.2,
    }
}

// Weights of the second-stage score, chosen on the dev split of `eval/` (see `eval/README.md`).
const W_BM25: f32 = 0.5;
const W_HEADING: f32 = 1.5;
const W_CONTEXT: f32 = 0.75;
const W_COVERAGE: f32 = 1.0;
const W_ALL: f32 = 0.5;
const W_PAIRS: f32 = 1.5;
const W_PAGE: f32 = 0.5;
const W_MISSING: f32 = -0.5;
/// A chapter's opening paragraphs preview every topic of the chapter, like its objectives.
const W_PAGE_INTRO: f32 = -1.0;
/// A glossary entry hands its score on to the section it points to, a little raised so the explanation ranks
/// above the definition.
const POINTER_LIFT: f32 = 1.2;

/// The per-candidate signals the second-stage score combines (also printed by the eval for tuning).
#[derive(Debug, Clone, Copy, Default)]
pub struct Signals {
    /// First-stage BM25 score as a share of the best candidate's.
    pub bm25: f32,
    /// Shares of the query's idf weight in the section's own heading, in its page title and enclosing headings,
    /// in its text and heading, in all three, and anywhere on its page.
    pub heading: f32,
    pub context: f32,
    pub coverage: f32,
    pub all: f32,
    pub page: f32,
    /// Share of the query's adjacent-term pairs found adjacent in the text.
    pub pairs: f32,
    /// The most specific query term the section lacks (text, headings), as a share of the largest idf.
    pub missing: f32,
    /// Whether the chunk is a page's opening (no heading of its own).
    pub intro: bool,
}

pub fn signals(q: &Query, p: &ChunkProfile, page: &HashSet<u32>, max_idf: f32, bm25_share: f32) -> Signals {
    let all = [&p.terms, &p.heading, &p.context];
    Signals {
        bm25: bm25_share,
        heading: q.coverage(&[&p.heading]),
        context: q.coverage(&[&p.context]),
        coverage: q.coverage(&[&p.terms, &p.heading]),
        all: q.coverage(&all),
        page: q.coverage(&[page]),
        pairs: q.pair_share(&p.pairs),
        missing: q.missing_max(&all) / max_idf.max(1e-3),
        intro: p.intro,
    }
}

pub fn combine(s: &Signals, kind: SectionKind) -> f32 {
    kind_prior(kind)
        * (W_BM25 * s.bm25
            + W_HEADING * s.heading
            + W_CONTEXT * s.context
            + W_COVERAGE * s.coverage
            + W_ALL * s.all
            + W_PAIRS * s.pairs
            + W_PAGE * s.page
            + W_MISSING * s.missing
            + if s.intro { W_PAGE_INTRO } else { 0.0 })
}

/// Re-scores first-stage hits (best first, any number per section) and returns them best first. Glossary entries
/// bring the section they point to into the list when BM25 did not.
pub fn rerank(analyzer: &Analyzer, profiles: &Profiles, q: &Query, hits: Vec<Hit>) -> Vec<Hit> {
    let top = hits.iter().map(|h| h.score).fold(0.0f32, f32::max);
    if top <= 0.0 {
        return hits;
    }
    let Some(locale) = hits.first().map(|h| h.record.locale) else { return hits };
    let max_idf = profiles.max_idf(locale);
    let mut out: Vec<Hit> = hits
        .into_iter()
        .map(|mut h| {
            let p = profiles.profile(analyzer, &h.record);
            let page = profiles.page_terms(&h.record.page_url);
            h.score = combine(&signals(q, &p, &page, max_idf, h.score / top), h.record.kind);
            h
        })
        .collect();
    let pointers: Vec<(String, f32)> =
        out.iter().filter_map(|h| h.record.points_to.as_ref().map(|u| (u.clone(), h.score * POINTER_LIFT))).collect();
    for (url, score) in pointers {
        match out.iter_mut().find(|h| h.record.url == url) {
            Some(h) => h.score = h.score.max(score),
            None => {
                if let Some(record) = profiles.section(&url) {
                    out.push(Hit { record, score });
                }
            }
        }
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score));
    out
}

/// The evidence that the best sections answer a question.
#[derive(Debug, Clone, Copy, Default)]
pub struct Evidence {
    /// Share of the question's idf weight found in the best section (text, heading, page title).
    pub coverage: f32,
    /// The same over the best three sections together.
    pub coverage3: f32,
    /// The most specific question word the best section lacks, as a share of the largest possible idf.
    pub missing: f32,
    /// The same for the best three sections together: a word none of them has.
    pub missing3: f32,
    /// How many specific question words (idf of at least [`SPECIFIC_IDF`]) none of the best three has (at most 3).
    pub specific_missing: usize,
    /// Share of the question's weight carried by words the book never uses in this language.
    pub unknown: f32,
    /// Whether the two best sections are on the same page.
    pub agree: bool,
    /// Relative lead of the best second-stage score over the next.
    pub gap: f32,
    pub terms: usize,
    /// [`Self::coverage`] with squared idf weights: whether the best section has the question's rarest words.
    pub coverage_sq: f32,
    /// The question asks for a kind of fact the book never gives ([`super::scope`]).
    pub outside_scope: bool,
    /// The calibrated probability that the book answers the question.
    pub probability: f32,
}

/// A word at least this rare (df about 2 % of the chunks or fewer) names what the question is about.
pub const SPECIFIC_IDF: f32 = 4.0;
/// Questions of this many content words or more count as long; longer ones name their topic more surely.
const TERMS_SCALE: f32 = 10.0;

/// Logistic-model weights for the evidence, fitted on the development split of `eval/` (see `eval/README.md`).
const BIAS: f32 = -2.25;
const B_COVERAGE: f32 = 2.69;
const B_COVERAGE3: f32 = 0.48;
const B_MISSING: f32 = -2.32;
const B_MISSING3: f32 = -0.27;
const B_SPECIFIC_MISSING: f32 = -1.00;
const B_UNKNOWN: f32 = -2.48;
const B_AGREE: f32 = 0.68;
const B_GAP: f32 = -0.07;
const B_TERMS: f32 = 4.46;
const B_COVERAGE_SQ: f32 = 2.60;
const B_OUTSIDE_SCOPE: f32 = -2.31;

pub fn evidence(analyzer: &Analyzer, profiles: &Profiles, locale: Locale, q: &Query, hits: &[Hit]) -> Evidence {
    let Some(best) = hits.first() else { return Evidence::default() };
    if q.terms.is_empty() {
        return Evidence::default();
    }
    let ps: Vec<Arc<ChunkProfile>> = hits.iter().take(3).map(|h| profiles.profile(analyzer, &h.record)).collect();
    let first: Vec<&HashSet<u32>> = vec![&ps[0].terms, &ps[0].heading, &ps[0].context];
    let all: Vec<&HashSet<u32>> = ps.iter().flat_map(|p| [&p.terms, &p.heading, &p.context]).collect();
    let max_idf = profiles.max_idf(locale).max(1e-3);
    let total: f32 = q.weights.iter().sum::<f32>().max(1e-6);
    let unknown: f32 =
        q.terms.iter().zip(&q.weights).filter(|(t, _)| !profiles.known(locale, **t)).map(|(_, w)| w).sum::<f32>()
            / total;
    let specific_missing = q
        .terms
        .iter()
        .zip(&q.weights)
        .filter(|(t, w)| **w >= SPECIFIC_IDF && !all.iter().any(|s| s.contains(t)))
        .count()
        .min(3);
    let second = hits.get(1);
    let mut e = Evidence {
        coverage: q.coverage(&first),
        coverage3: q.coverage(&all),
        missing: q.missing_max(&first) / max_idf,
        missing3: q.missing_max(&all) / max_idf,
        specific_missing,
        unknown,
        agree: second.is_some_and(|s| s.record.page_url == best.record.page_url),
        gap: second.map(|s| ((best.score - s.score) / best.score.max(1e-6)).clamp(0.0, 1.0)).unwrap_or(1.0),
        terms: q.terms.len(),
        coverage_sq: q.coverage_sq(&first),
        outside_scope: q.outside_scope,
        probability: 0.0,
    };
    let z = BIAS
        + B_COVERAGE * e.coverage
        + B_COVERAGE3 * e.coverage3
        + B_MISSING * e.missing
        + B_MISSING3 * e.missing3
        + B_SPECIFIC_MISSING * e.specific_missing as f32 / 3.0
        + B_UNKNOWN * e.unknown
        + B_AGREE * f32::from(u8::from(e.agree))
        + B_GAP * e.gap
        + B_TERMS * (e.terms as f32).min(TERMS_SCALE) / TERMS_SCALE
        + B_COVERAGE_SQ * e.coverage_sq
        + B_OUTSIDE_SCOPE * f32::from(u8::from(e.outside_scope));
    e.probability = 1.0 / (1.0 + (-z).exp());
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use protocol::CorpusRecord;

    fn rec(id: &str, anchor: &str, heading: &str, kind: SectionKind, text: &str) -> CorpusRecord {
        let page = if kind == SectionKind::Glossary { "/glossary/" } else { "/kinematics/" };
        CorpusRecord {
            id: id.into(),
            locale: Locale::En,
            title: "Kinematics".into(),
            heading_path: vec![heading.into()],
            page_url: page.into(),
            anchor: anchor.into(),
            url: format!("{page}#{anchor}"),
            text: text.into(),
            kind,
            points_to: (kind == SectionKind::Glossary).then(|| "/kinematics/#jacobians".to_string()),
        }
    }

    fn corpus() -> Vec<CorpusRecord> {
        vec![
            rec(
                "o",
                "learning-objectives",
                "Learning objectives",
                SectionKind::Objectives,
                "Relate joint velocities to hand velocity with the Jacobian. Solve inverse kinematics for a two-link arm.",
            ),
            rec(
                "j",
                "jacobians",
                "Jacobians and singularities",
                SectionKind::Body,
                "The matrix maps joint velocities to the velocity of the end effector. Near a singular pose it loses rank.",
            ),
            rec(
                "g",
                "g-jacobian",
                "Jacobian",
                SectionKind::Glossary,
                "The Jacobian relates joint velocities to end-effector velocity.",
            ),
            rec(
                "f",
                "forward-kinematics",
                "Forward kinematics",
                SectionKind::Body,
                "Forward kinematics chains the transforms of the links from the base to the tool.",
            ),
        ]
    }

    #[test]
    fn the_explaining_section_outranks_objectives_and_glossary_points_to_it() {
        let a = Analyzer::new().unwrap();
        let p = Profiles::default();
        let records = corpus();
        p.load(&a, &records);
        let q = Query::new(&a, &p, Locale::En, "What does the Jacobian relate?");
        // BM25 alone put the keyword-dense objectives first and did not find the body section at all.
        let hits = vec![Hit { record: records[0].clone(), score: 3.0 }, Hit { record: records[2].clone(), score: 2.5 }];
        let ranked = rerank(&a, &p, &q, hits);
        let urls: Vec<&str> = ranked.iter().map(|h| h.record.url.as_str()).collect();
        assert_eq!(urls[0], "/kinematics/#jacobians", "{urls:?}");
        assert_eq!(urls.last(), Some(&"/kinematics/#learning-objectives"), "{urls:?}");
    }

    #[test]
    fn the_rarest_word_outside_a_heading_names_what_is_asked() {
        let a = Analyzer::new().unwrap();
        let p = Profiles::default();
        p.load(&a, &corpus());
        let q = Query::new(&a, &p, Locale::En, "Why does the Jacobian of a singular pose lose rank?");
        let term = |w: &str| a.term_sequence(Locale::En, w)[0];
        let none = HashSet::new();
        let rarest = q.rarest_outside(&none).unwrap();
        let w = |t: u32| q.weights[q.terms.iter().position(|x| *x == t).unwrap()];
        assert!(q.terms.iter().all(|t| w(*t) <= w(rarest)), "{q:?}");
        // A heading that already names the rarest word hands the role to the next rarest.
        let heading = HashSet::from([rarest]);
        let next = q.rarest_outside(&heading).unwrap();
        assert_ne!(next, rarest);
        assert!(q.terms.iter().filter(|t| **t != rarest).all(|t| w(*t) <= w(next)), "{q:?}");
        assert_eq!(q.rarest_outside(&q.terms.iter().copied().collect()), None);
        assert!(q.terms.contains(&term("jacobian")));
    }

    #[test]
    fn evidence_separates_covered_from_off_topic_questions() {
        let a = Analyzer::new().unwrap();
        let p = Profiles::default();
        let records = corpus();
        p.load(&a, &records);
        let hits = |i: usize| vec![Hit { record: records[i].clone(), score: 1.0 }];
        let covered = Query::new(&a, &p, Locale::En, "What does the Jacobian relate?");
        let off = Query::new(&a, &p, Locale::En, "What is the best pizza topping for the base?");
        let e1 = evidence(&a, &p, Locale::En, &covered, &hits(2));
        let e2 = evidence(&a, &p, Locale::En, &off, &hits(3));
        assert!(e1.coverage > 0.99 && e1.unknown == 0.0, "{e1:?}");
        assert!(e2.unknown > 0.5 && e2.coverage < 0.5, "{e2:?}");
        assert!(e1.probability > 0.5 && e2.probability < 0.5, "{e1:?} {e2:?}");
    }
}
