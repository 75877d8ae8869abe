//! The EVAL_DUMP writer of `eval_retrieval.rs`: per question, the first-stage candidates with the query terms
//! each one holds (in its text, heading, enclosing headings, page), the phrase pairs it contains, and the
//! grounding evidence: everything the ranking weights and the grounding model are fitted on, offline.

use protocol::{CorpusRecord, Locale, Role};
use server::retrieval::followup;
use server::retrieval::rank::Query;
use server::state::AppState;
use std::collections::{HashMap, HashSet};
use std::io::Write;

/// Candidates dumped per question: more than the server re-ranks, so a larger pool can be tried offline.
const DUMP_CANDIDATES: usize = 40;

pub struct Question<'a> {
    pub id: &'a str,
    pub locale: Locale,
    pub question: &'a str,
    pub context: Option<&'a str>,
    pub expected: &'a [String],
    pub split: &'a str,
    pub topic: Option<&'a str>,
    pub cross_lingual: bool,
}

/// Every page's terms, per locale and page URL.
pub fn page_terms(state: &AppState, records: &[CorpusRecord]) -> HashMap<String, HashSet<u32>> {
    let r = &state.retriever;
    let mut out: HashMap<String, HashSet<u32>> = HashMap::new();
    for rec in records {
        let p = r.profiles.profile(&r.analyzer, rec);
        let e = out.entry(rec.page_url.clone()).or_default();
        e.extend(p.terms.iter().chain(&p.heading).chain(&p.context));
    }
    out
}

fn present(q: &Query, set: &HashSet<u32>) -> Vec<usize> {
    q.terms.iter().enumerate().filter(|(_, t)| set.contains(t)).map(|(i, _)| i).collect()
}

pub async fn dump(state: &AppState, pages: &HashMap<String, HashSet<u32>>, out: &mut impl Write, q: &Question<'_>) {
    let r = &state.retriever;
    let history: Vec<(Role, String)> = q.context.iter().map(|c| (Role::User, c.to_string())).collect();
    let text = followup::retrieval_text(q.question, None, &history);
    let text = r.profiles.respell(q.locale, &text).into_owned();
    let question = r.profiles.respell(q.locale, q.question).into_owned();
    let mut sparse = r.analyzer.query(q.locale, &text);
    let mut query = Query::new(&r.analyzer, &r.profiles, q.locale, &text);
    // As the retriever weighs a follow-up's earlier turn.
    let own: HashSet<u32> = r.analyzer.query(q.locale, &question).indices.into_iter().collect();
    followup::weigh_context(&sparse.indices, &mut sparse.values, &own);
    followup::weigh_context(&query.terms, &mut query.weights, &own);
    let hits = r.store.search(&sparse, None, q.locale, DUMP_CANDIDATES).await.unwrap();
    let grounding = Query::new(&r.analyzer, &r.profiles, q.locale, &question);
    let top = hits.iter().map(|h| h.score).fold(0.0f32, f32::max).max(1e-6);
    let mut records: Vec<(CorpusRecord, f32)> = hits.iter().map(|h| (h.record.clone(), h.score / top)).collect();
    // The sections glossary entries point to, as rerank brings them in.
    for h in &hits {
        if let Some(u) = &h.record.points_to
            && !records.iter().any(|(rec, _)| &rec.url == u)
            && let Some(rec) = r.profiles.section(u)
        {
            records.push((rec, 0.0));
        }
    }
    let empty = HashSet::new();
    let cands: Vec<serde_json::Value> = records
        .iter()
        .map(|(rec, share)| {
            let p = r.profiles.profile(&r.analyzer, rec);
            let page = pages.get(&rec.page_url).unwrap_or(&empty);
            let pairs: Vec<usize> =
                query.pairs.iter().enumerate().filter(|(_, pr)| p.pairs.contains(pr)).map(|(i, _)| i).collect();
            let gsets = [&p.terms, &p.heading, &p.context];
            serde_json::json!({"id": rec.id, "url": rec.url, "page": rec.page_url, "kind": rec.kind.as_str(),
                "points_to": rec.points_to, "heading_path": rec.heading_path, "bm25": share,
                "t": present(&query, &p.terms), "h": present(&query, &p.heading), "c": present(&query, &p.context),
                "pg": present(&query, page), "pairs": pairs,
                "gt": present(&grounding, &p.terms), "gh": present(&grounding, &p.heading),
                "gc": present(&grounding, &p.context), "quotes": p.quotes.len(), "sents": p.quotes.iter().map(|x| present(&query, &x.terms)).collect::<Vec<_>>(),
                "prose": p.quotes.iter().map(|x| x.text.len()).sum::<usize>() as f32 / rec.text.len().max(1) as f32,
                "h_n": p.heading.len(), "first": rec.heading_path.last().is_some_and(|h| rec.text.starts_with(h.as_str())),
                "g_cov": grounding.coverage(&gsets)})
        })
        .collect();
    let known = |qq: &Query| qq.terms.iter().map(|t| r.profiles.known(q.locale, *t)).collect::<Vec<_>>();
    let history: Vec<(Role, String)> = q.context.iter().map(|c| (Role::User, c.to_string())).collect();
    let text2 = followup::retrieval_text(q.question, None, &history);
    let ret = r.retrieve(&text2, &[q.question], q.locale, None, 5).await.unwrap();
    let e = ret.evidence;
    // Each query term's word, so a dump can be read.
    let words: Vec<String> = query
        .terms
        .iter()
        .map(|t| {
            use unicode_segmentation::UnicodeSegmentation;
            text.unicode_words().find(|w| r.analyzer.query(q.locale, w).indices.contains(t)).unwrap_or("?").to_string()
        })
        .collect();
    let line = serde_json::json!({"id": q.id, "question": q.question, "q_words": words, "locale": q.locale.as_str(), "split": q.split,
        "answerable": !q.expected.is_empty(), "expected": q.expected, "topic": q.topic, "cross": q.cross_lingual,
        "q_w": query.weights, "q_pairs": query.pairs.len(), "g_w": grounding.weights,
        "g_known": known(&grounding), "max_idf": r.profiles.max_idf(q.locale), "candidates": cands,
        "answer": server::answer::extractive::compose(&ret, &r.analyzer, &r.profiles, q.locale),
        "sections": ret.hits.iter().take(3).map(|h| {
            let mut seen = HashSet::new();
            let quotes: Vec<serde_json::Value> = r.profiles.section_chunks(&h.record.url).iter()
                .flat_map(|c| r.profiles.profile(&r.analyzer, c).quotes.clone())
                .filter(|x| seen.insert(x.text.clone()))
                .map(|x| serde_json::json!([x.text, present(&ret.query, &x.terms)]))
                .collect();
            serde_json::json!({"url": h.record.url, "score": h.score, "quotes": quotes})
        }).collect::<Vec<_>>(),
        "rq_w": ret.query.weights,
        "best_chunk": ret.hits.first().map(|h| h.record.id.clone()),
        "ranked": ret.hits.iter().map(|h| h.record.url.clone()).collect::<Vec<_>>(),
        "evidence": {"coverage": e.coverage, "coverage3": e.coverage3, "missing": e.missing, "unknown": e.unknown,
            "missing3": e.missing3, "specific_missing": e.specific_missing,
            "agree": e.agree, "gap": e.gap, "terms": e.terms, "coverage_sq": e.coverage_sq,
            "outside_scope": e.outside_scope, "probability": e.probability}});
    writeln!(out, "{line}").unwrap();
}
