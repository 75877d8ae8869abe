//! Retrieval: BM25 sparse vectors in the Qdrant engine — embedded (qdrant-edge) by default, a Qdrant server when
//! `QDRANT_URL` is set. Both share the point layout (UUID from the chunk hash, payload = the corpus record).

pub mod analyzer;
pub mod edge;
pub mod embed;
pub mod followup;
pub mod ingest;
pub mod profile;
pub mod prose;
pub mod qdrant;
pub mod rank;
pub mod scope;
pub mod snapshot;
pub mod spelling;
mod store;
pub mod urdu;

pub use store::{Backend, Store};

use analyzer::{Analyzer, Sparse};
use protocol::{CorpusRecord, Locale, SectionKind};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("vector store: {0}")]
    Backend(String),
    #[error("vector store unavailable: {0}")]
    Unavailable(String),
}

/// A corpus record with its BM25 document vector.
pub struct Chunk {
    pub record: CorpusRecord,
    pub sparse: Sparse,
    /// Present when an embeddings endpoint is configured (hybrid retrieval).
    pub dense: Option<Vec<f32>>,
}

#[derive(Debug, Clone)]
pub struct Hit {
    pub record: CorpusRecord,
    pub score: f32,
}

/// The UUID point id of a chunk: the first 128 bits of its content hash, so re-ingesting is an idempotent upsert.
pub fn point_uuid(chunk_id: &str) -> uuid::Uuid {
    let mut bytes = [0u8; 16];
    let hexpart: String = chunk_id.chars().take(32).collect();
    if let Ok(decoded) = hex::decode(&hexpart) {
        for (b, d) in bytes.iter_mut().zip(decoded) {
            *b = d;
        }
    }
    uuid::Uuid::from_bytes(bytes)
}

/// The payload stored with each point: the corpus record, its id under `chunk_id` (the key both stores scroll by).
/// Borrowed when written, owned when read back.
#[derive(serde::Serialize, serde::Deserialize)]
struct PointPayload<'a> {
    chunk_id: Cow<'a, str>,
    locale: Locale,
    title: Cow<'a, str>,
    #[serde(default)]
    heading_path: Cow<'a, [String]>,
    page_url: Cow<'a, str>,
    #[serde(default)]
    anchor: Cow<'a, str>,
    url: Cow<'a, str>,
    text: Cow<'a, str>,
    #[serde(default)]
    kind: SectionKind,
    #[serde(default)]
    points_to: Option<Cow<'a, str>>,
}

pub fn record_payload(r: &CorpusRecord) -> Value {
    let p = PointPayload {
        chunk_id: Cow::Borrowed(&r.id),
        locale: r.locale,
        title: Cow::Borrowed(&r.title),
        heading_path: Cow::Borrowed(&r.heading_path),
        page_url: Cow::Borrowed(&r.page_url),
        anchor: Cow::Borrowed(&r.anchor),
        url: Cow::Borrowed(&r.url),
        text: Cow::Borrowed(&r.text),
        kind: r.kind,
        points_to: r.points_to.as_deref().map(Cow::Borrowed),
    };
    // Strings, a list of strings and unit enums: serialising to a JSON value cannot fail.
    serde_json::to_value(p).unwrap_or(Value::Null)
}

/// The record of a stored payload; `None` for a payload this server did not write (it is skipped).
pub fn payload_to_record(p: Value) -> Option<CorpusRecord> {
    let p: PointPayload<'static> = serde_json::from_value(p).ok()?;
    Some(CorpusRecord {
        id: p.chunk_id.into_owned(),
        locale: p.locale,
        title: p.title.into_owned(),
        heading_path: p.heading_path.into_owned(),
        page_url: p.page_url.into_owned(),
        anchor: p.anchor.into_owned(),
        url: p.url.into_owned(),
        text: p.text.into_owned(),
        kind: p.kind,
        points_to: p.points_to.map(Cow::into_owned),
    })
}

/// The URL of a section in `locale`'s edition (the Urdu edition lives under `/ur/`, with the same section ids).
pub fn parallel_url(url: &str, locale: Locale) -> String {
    let bare = url.strip_prefix("/ur/").map(|rest| format!("/{rest}")).unwrap_or_else(|| url.to_string());
    match locale {
        Locale::En => bare,
        Locale::Ur => format!("/ur{bare}"),
    }
}

/// Keeps the first (best-ranked) hit of each section URL, in order.
pub fn distinct_sections(hits: Vec<Hit>) -> Vec<Hit> {
    let mut seen = HashSet::new();
    hits.into_iter().filter(|h| seen.insert(h.record.url.clone())).collect()
}

/// What one retrieval found, after locale fallback and boosts.
#[derive(Debug, Clone)]
pub struct Retrieved {
    pub hits: Vec<Hit>,
    /// Whether the best hit covers enough of the question to answer from it.
    pub grounded: bool,
    /// The locale the hits came from when it is not the reader's.
    pub fallback_locale: Option<Locale>,
    /// The searched text's terms with their corpus weights, in the locale of the hits: for sentence selection.
    pub query: rank::Query,
    /// What decided `grounded` (the best of the grounding texts).
    pub evidence: rank::Evidence,
    pub locale: Locale,
}

pub struct Retriever {
    pub store: Store,
    pub analyzer: Arc<Analyzer>,
    /// The calibrated probability ([`rank::Evidence::probability`]) at which a question counts as covered.
    pub threshold: f32,
    pub embedder: Option<embed::Embedder>,
    /// Per-chunk analysis and corpus statistics, loaded at each ingest.
    pub profiles: profile::Profiles,
}

/// First-stage candidates per search: enough that the section explaining a concept is among them when the
/// keyword-dense objectives, exercises and summaries outscore it, few enough to keep payload reads cheap.
pub const CANDIDATES: usize = 20;

/// Boost for chunks of the page the reader is on: gentle, so a better section elsewhere still wins.
const PAGE_BOOST: f32 = 1.2;

impl Retriever {
    async fn search_locale(
        &self,
        text: &str,
        grounding: &[&str],
        locale: Locale,
        page_url: Option<&str>,
        limit: usize,
    ) -> Result<Retrieved, StoreError> {
        // Searched and judged with the book's spelling of the words it spells differently.
        let text = &*self.profiles.respell(locale, text);
        let grounding: Vec<std::borrow::Cow<str>> =
            grounding.iter().map(|g| self.profiles.respell(locale, g)).collect();
        let grounding: Vec<&str> = grounding.iter().map(|g| &**g).collect();
        let mut sparse = self.analyzer.query(locale, text);
        let mut query = rank::Query::new(&self.analyzer, &self.profiles, locale, text);
        // Padded with earlier turns (a follow-up): their terms only say what the question is about.
        if !grounding.contains(&text) {
            let own: HashSet<u32> = grounding.iter().flat_map(|g| self.analyzer.query(locale, g).indices).collect();
            followup::weigh_context(&sparse.indices, &mut sparse.values, &own);
            followup::weigh_context(&query.terms, &mut query.weights, &own);
        }
        let dense = self.embed_query(text).await;
        let mut hits = self.store.search(&sparse, dense.as_deref(), locale, CANDIDATES.max(limit * 2)).await?;
        hits = rank::rerank(&self.analyzer, &self.profiles, &query, hits);
        if let Some(page) = page_url {
            for h in &mut hits {
                if h.record.page_url == page {
                    h.score *= PAGE_BOOST;
                }
            }
            hits.sort_by(|a, b| b.score.total_cmp(&a.score));
        }
        // A long section is split into overlapping chunks that match a question alike: keep the best chunk of each
        // section so the `limit` hits (and the citations numbered after them) are distinct sections.
        let mut hits = distinct_sections(hits);
        hits.truncate(limit);
        // Groundedness is judged on what the student wrote (the question, or the selection they ask about), not on
        // the retrieval text padded with earlier turns, so padding cannot make an off-topic question look covered.
        let mut evidence = rank::Evidence::default();
        for g in &grounding {
            // The search text is usually the question itself: its analysis is already at hand.
            let e = if *g == text {
                rank::evidence(&self.analyzer, &self.profiles, locale, &query, &hits)
            } else {
                let gq = rank::Query::new(&self.analyzer, &self.profiles, locale, g);
                rank::evidence(&self.analyzer, &self.profiles, locale, &gq, &hits)
            };
            if e.probability > evidence.probability {
                evidence = e;
            }
        }
        let grounded = !hits.is_empty() && evidence.probability >= self.threshold;
        Ok(Retrieved { hits, grounded, fallback_locale: None, query, evidence, locale })
    }

    /// A question in the other edition's language ("How does a Kalman filter combine ...?" on the Urdu edition)
    /// is judged in that language, but the editions are translations with the same section ids: when the reader's
    /// edition has every section the other search found, the answer comes from those, in the reader's language.
    fn in_edition(&self, other: &Retrieved, text: &str, locale: Locale) -> Option<Retrieved> {
        let hits = other
            .hits
            .iter()
            .map(|h| {
                let url = parallel_url(&h.record.url, locale);
                self.profiles.section(&url).map(|record| Hit { record, score: h.score })
            })
            .collect::<Option<Vec<Hit>>>()?;
        let query = rank::Query::new(&self.analyzer, &self.profiles, locale, text);
        Some(Retrieved { hits, grounded: true, fallback_locale: None, query, evidence: other.evidence, locale })
    }

    /// The query's dense vector; on an embeddings failure retrieval carries on with BM25 alone.
    async fn embed_query(&self, text: &str) -> Option<Vec<f32>> {
        let e = self.embedder.as_ref()?;
        match e.embed(&[text.to_string()]).await {
            Ok(mut v) => v.pop(),
            Err(err) => {
                metrics::counter!("rag_query_errors_total", "reason" => "embeddings").increment(1);
                tracing::warn!(error = %err, "query embedding failed; BM25 only");
                None
            }
        }
    }

    /// Searches the reader's locale; when nothing there covers the question, tries the other locale and says so.
    /// `text` is what is searched; `grounding` the texts whose coverage decides `grounded` (empty: `text`).
    #[tracing::instrument(name = "retrieve", skip_all, fields(locale = %locale))]
    pub async fn retrieve(
        &self,
        text: &str,
        grounding: &[&str],
        locale: Locale,
        page_url: Option<&str>,
        limit: usize,
    ) -> Result<Retrieved, StoreError> {
        let started = std::time::Instant::now();
        let own = [text];
        let grounding = if grounding.is_empty() { &own[..] } else { grounding };
        let primary = self.search_locale(text, grounding, locale, page_url, limit).await;
        let result = match primary {
            Ok(r) if r.grounded => Ok(r),
            Ok(r) => {
                let other = self.search_locale(text, grounding, locale.other(), None, limit).await?;
                if !other.grounded {
                    Ok(r)
                } else if let Some(own) = self.in_edition(&other, text, locale) {
                    Ok(own)
                } else {
                    Ok(Retrieved { fallback_locale: Some(locale.other()), ..other })
                }
            }
            Err(e) => Err(e),
        };
        metrics::histogram!("rag_vector_search_latency_ms").record(started.elapsed().as_secs_f64() * 1000.0);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_ids_are_stable_and_payload_round_trips() {
        let id = "0123456789abcdef0123456789abcdef0123";
        assert_eq!(point_uuid(id), point_uuid(id));
        assert_eq!(point_uuid(id).to_string(), "01234567-89ab-cdef-0123-456789abcdef");
        let r = CorpusRecord {
            id: id.into(),
            locale: Locale::Ur,
            title: "t".into(),
            heading_path: vec!["a".into(), "b".into()],
            page_url: "/ur/x/".into(),
            anchor: "b".into(),
            url: "/ur/x/#b".into(),
            text: "متن".into(),
            kind: protocol::SectionKind::Glossary,
            points_to: Some("/ur/y/#c".into()),
        };
        assert_eq!(payload_to_record(record_payload(&r)), Some(r.clone()));
        // Payloads written before `kind` and `points_to` existed still read (as a body section).
        let mut old = record_payload(&r);
        old.as_object_mut().unwrap().retain(|k, _| k != "kind" && k != "points_to");
        let read = payload_to_record(old).unwrap();
        assert_eq!((read.kind, read.points_to), (protocol::SectionKind::Body, None));
    }

    #[test]
    fn parallel_urls_move_between_editions() {
        assert_eq!(parallel_url("/perception/#kalman-filter", Locale::Ur), "/ur/perception/#kalman-filter");
        assert_eq!(parallel_url("/ur/perception/#kalman-filter", Locale::En), "/perception/#kalman-filter");
        assert_eq!(parallel_url("/ur/", Locale::En), "/");
        assert_eq!(parallel_url("/", Locale::Ur), "/ur/");
        assert_eq!(parallel_url("/kinematics/", Locale::En), "/kinematics/");
    }
}
