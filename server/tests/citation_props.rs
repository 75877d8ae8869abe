//! Property tests of citation building: the sources listed under an answer come from the retrieved chunks, name
//! each section once, keep the retrieval order, stay within the limit, and the `[n]` markers of an extractive
//! answer always point at a listed source.

use proptest::prelude::*;
use protocol::{CorpusRecord, Locale};
use server::answer::{citations, extractive, to_source};
use server::retrieval::analyzer::Analyzer;
use server::retrieval::profile::Profiles;
use server::retrieval::rank::{Evidence, Query};
use server::retrieval::{Hit, Retrieved, distinct_sections};
use std::collections::HashSet;
use std::sync::LazyLock;

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(|| Analyzer::new().expect("BM25 analyzers"));
static PROFILES: LazyLock<Profiles> = LazyLock::new(Profiles::default);

const SENTENCES: [&str; 6] = [
    "The zero moment point must stay inside the support polygon.",
    "A joint controller tracks the reference angle with a PID loop.",
    "Forward kinematics maps joint angles to the pose of the hand.",
    "The capture point tells where to step to come to a stop.",
    "Torque limits bound how fast a humanoid can recover its balance.",
    "Bake the cake for forty minutes at a moderate temperature.",
];

/// Hits over a small pool of sections, so several chunks of one section (same URL) are common, as they are when a
/// long section is split. Each hit: (section, chunk number, sentence picks, score).
fn hits() -> impl Strategy<Value = Vec<Hit>> {
    prop::collection::vec((0..6usize, 0..3usize, prop::collection::vec(0..SENTENCES.len(), 1..4), 0.0f32..10.0), 0..12)
        .prop_map(|specs| {
            specs
                .into_iter()
                .enumerate()
                .map(|(i, (section, chunk, picks, score))| {
                    let page_url = format!("/page-{}/", section % 3);
                    let anchor = format!("section-{section}");
                    Hit {
                        record: CorpusRecord {
                            // Unique per hit, like the chunk hashes of real records.
                            id: format!("{i:016x}{section:02x}{chunk:02x}"),
                            locale: Locale::En,
                            title: format!("Page {}", section % 3),
                            heading_path: vec![format!("Section {section}")],
                            url: format!("{page_url}#{anchor}"),
                            page_url,
                            anchor,
                            text: picks.iter().map(|p| SENTENCES[*p]).collect::<Vec<_>>().join(" "),
                            ..Default::default()
                        },
                        score,
                    }
                })
                .collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn citations_are_retrieved_distinct_ordered_and_bounded(hits in hits(), limit in 0..8usize) {
        let cited = citations(&hits, limit);
        prop_assert!(cited.len() <= limit);
        let urls: Vec<&str> = cited.iter().map(|s| s.url.as_str()).collect();
        let distinct: HashSet<&str> = urls.iter().copied().collect();
        prop_assert_eq!(distinct.len(), urls.len(), "a section cited twice: {:?}", urls);
        // Model: the first `limit` sections in order of first appearance, each shown as its best-ranked chunk.
        let mut seen = HashSet::new();
        let expected: Vec<&Hit> = hits.iter().filter(|h| seen.insert(h.record.url.as_str())).take(limit).collect();
        prop_assert_eq!(cited.len(), expected.len(), "as many as the limit and the distinct sections allow");
        for (source, hit) in cited.iter().zip(&expected) {
            prop_assert_eq!(source, &to_source(hit));
            prop_assert!(hits.iter().any(|h| h.record.url == source.url && h.record.title == source.title));
            prop_assert!(source.url.starts_with(&hit.record.page_url) && source.url.ends_with(&hit.record.anchor));
        }
        prop_assert_eq!(&cited, &citations(&hits, limit), "stable");
    }

    #[test]
    fn retrieval_keeps_the_best_chunk_of_each_section(hits in hits(), limit in 1..8usize) {
        let kept = distinct_sections(hits.clone());
        let urls: Vec<&str> = kept.iter().map(|h| h.record.url.as_str()).collect();
        prop_assert_eq!(urls.iter().collect::<HashSet<_>>().len(), urls.len(), "{:?}", urls);
        let all: HashSet<&str> = hits.iter().map(|h| h.record.url.as_str()).collect();
        prop_assert_eq!(kept.len(), all.len(), "every section keeps a hit");
        for h in &kept {
            let first = hits.iter().find(|x| x.record.url == h.record.url).unwrap();
            prop_assert_eq!(&h.record.id, &first.record.id, "the first (best-ranked) chunk is the one kept");
        }
        let ids: Vec<&str> = kept.iter().map(|h| h.record.id.as_str()).collect();
        let order: Vec<&str> = hits.iter().map(|h| h.record.id.as_str()).filter(|id| ids.contains(id)).collect();
        prop_assert_eq!(ids, order, "retrieval order kept");
        // On distinct hits, source n is hit n: the numbering the answer's `[n]` markers rely on.
        let cited = citations(&kept, limit);
        for (n, source) in cited.iter().enumerate() {
            prop_assert_eq!(&source.url, &kept[n].record.url);
        }
    }

    #[test]
    fn extractive_answer_markers_point_at_listed_sources(
        hits in hits(),
        question in prop::sample::select(vec!["zero moment point support polygon", "joint angle controller", "capture point step", "humanoid torque balance"]),
    ) {
        let hits = distinct_sections(hits);
        let query = Query::new(&ANALYZER, &PROFILES, Locale::En, question);
        let grounded = !hits.is_empty();
        let retrieved =
            Retrieved { grounded, hits, fallback_locale: None, query, evidence: Evidence::default(), locale: Locale::En };
        let answer = extractive::compose(&retrieved, &ANALYZER, &PROFILES, Locale::En);
        let listed = citations(&retrieved.hits, 4).len();
        let markers: Vec<usize> = answer
            .split('[')
            .skip(1)
            .filter_map(|rest| rest.split_once(']').and_then(|(n, _)| n.parse().ok()))
            .collect();
        if retrieved.grounded {
            prop_assert!(!markers.is_empty(), "a grounded answer cites: {answer}");
        }
        for n in markers {
            prop_assert!((1..=listed).contains(&n), "[{n}] but {listed} sources listed: {answer}");
        }
    }
}
