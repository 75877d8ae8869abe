//! Retrieval quality on the real textbook: the corpus from the site build (`public/rag`, or EVAL_CORPUS) and the
//! eval sets `eval/questions.{en,ur}.jsonl`. Checks that every expected `url#anchor` exists in the corpus, prints
//! recall@1, recall@5, MRR and the share of unanswerable questions reported as not covered, and holds floors
//! below the measured figures so a regression fails. `scripts/test.sh` builds the site before running it.

use protocol::Locale;
use serde::Deserialize;
use server::config::{Config, Env};
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

#[derive(Deserialize)]
struct Question {
    id: String,
    locale: Locale,
    question: String,
    expected: Vec<String>,
    #[serde(default)]
    context: Option<String>,
    #[serde(default)]
    cross_lingual: bool,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load(file: &str) -> Vec<Question> {
    let path = root().join("eval").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1)))
        .collect()
}

#[derive(Default, Debug)]
struct Scores {
    answerable: usize,
    hit1: usize,
    hit5: usize,
    rr: f64,
    unanswerable: usize,
    not_covered: usize,
    cross: usize,
    cross_hit5: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eval_set_anchors_exist_and_retrieval_quality_holds() {
    let corpus_dir = std::env::var("EVAL_CORPUS").map(PathBuf::from).unwrap_or_else(|_| root().join("public/rag"));
    assert!(
        corpus_dir.join("corpus.jsonl").exists(),
        "{} has no corpus.jsonl: build the site first (cargo run -p site -- build)",
        corpus_dir.display()
    );
    let dir = tempfile::tempdir().unwrap();
    let mut env = BTreeMap::new();
    env.insert("DATA_DIR".to_string(), dir.path().display().to_string());
    env.insert("CORPUS_SOURCE".to_string(), corpus_dir.display().to_string());
    let state = server::state::AppState::build(Config::from_env(&Env::from_map(&env)).unwrap()).await.unwrap();
    let report = state.ingest(None, false).await.unwrap();
    println!("ingested the textbook: {report}");
    let corpus = server::corpus::load(corpus_dir.to_str().unwrap()).await.unwrap();
    let urls: HashSet<String> = corpus.records.iter().map(|r| r.url.clone()).collect();

    for file in ["questions.en.jsonl", "questions.ur.jsonl"] {
        let qs = load(file);
        // The bar for the eval set: >= 60 questions, about 10% the book does not answer, a few cross-lingual.
        assert!(qs.len() >= 60, "{file} has {} questions, need at least 60", qs.len());
        let unanswerable = qs.iter().filter(|q| q.expected.is_empty()).count();
        assert!((5..=20).contains(&(unanswerable * 100 / qs.len())), "{file}: {unanswerable} unanswerable questions");
        assert!(qs.iter().filter(|q| q.cross_lingual).count() >= 2, "{file}: too few cross-lingual questions");
        let mut ids = HashSet::new();
        for q in &qs {
            assert!(ids.insert(q.id.clone()), "{file}: duplicate id {}", q.id);
            for e in &q.expected {
                assert!(urls.contains(e), "{file} {}: expected {e} is not a section in the built corpus", q.id);
            }
        }
        let mut s = Scores::default();
        for q in &qs {
            let text = match &q.context {
                Some(c) => format!("{}\n{}", q.question, c),
                None => q.question.clone(),
            };
            let r = state.retriever.retrieve(&text, &[q.question.as_str()], q.locale, None, 5).await.unwrap();
            if q.expected.is_empty() {
                s.unanswerable += 1;
                if !r.grounded {
                    s.not_covered += 1;
                }
                continue;
            }
            s.answerable += 1;
            let rank = r.hits.iter().position(|h| q.expected.contains(&h.record.url));
            if rank == Some(0) {
                s.hit1 += 1;
            }
            if let Some(k) = rank {
                s.hit5 += 1;
                s.rr += 1.0 / (k as f64 + 1.0);
            }
            if q.cross_lingual {
                s.cross += 1;
                s.cross_hit5 += usize::from(rank.is_some());
            }
        }
        let n = s.answerable.max(1) as f64;
        let (r1, r5, mrr) = (s.hit1 as f64 / n, s.hit5 as f64 / n, s.rr / n);
        let nc = s.not_covered as f64 / s.unanswerable.max(1) as f64;
        println!(
            "{file}: recall@1 {r1:.2}, recall@5 {r5:.2}, MRR {mrr:.2} over {} answerable; not-covered {}/{} ({nc:.2}); cross-lingual hits@5 {}/{}",
            s.answerable, s.not_covered, s.unanswerable, s.cross_hit5, s.cross
        );
        assert!(r5 >= 0.8, "{file}: recall@5 fell to {r5:.2}");
        assert!(mrr >= 0.7, "{file}: MRR fell to {mrr:.2}");
    }
}
