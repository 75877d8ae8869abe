//! Ingest is idempotent, deletes vanished chunks, skips unchanged corpora, and survives a restart.

mod common;

use common::{fixture_records, record, start, write_corpus};
use protocol::Locale;
use server::config::{Config, Env};
use std::collections::BTreeMap;

#[tokio::test]
async fn reingest_upserts_new_deletes_gone_and_skips_unchanged() {
    let s = start(&[]).await;
    let n = fixture_records().len();
    assert_eq!(s.state.retriever.store.count().await.unwrap(), n);

    let again = s.state.ingest(None, false).await.unwrap();
    assert!(again.skipped, "{again}");
    let forced = s.state.ingest(None, true).await.unwrap();
    assert_eq!((forced.upserted, forced.deleted, forced.kept), (0, 0, n), "{forced}");

    // Edit the corpus: drop the ROS 2 chunk, add a new one.
    let mut records = fixture_records();
    records.retain(|r| r.page_url != "/ros2/");
    records.push(record(Locale::En, "perception", "Perception", "Kalman filter", "kalman-filter",
        "A Kalman filter fuses a motion model prediction with noisy sensor measurements, weighting each by its covariance."));
    write_corpus(&s.dir.path().join("rag"), &records);
    let r = s.state.ingest(None, false).await.unwrap();
    assert_eq!((r.upserted, r.deleted), (1, 1), "{r}");
    assert_eq!(s.state.retriever.store.count().await.unwrap(), n);
    let hits = s.state.retriever.retrieve("kalman filter covariance", &[], Locale::En, None, 3).await.unwrap();
    assert_eq!(hits.hits[0].record.url, "/perception/#kalman-filter");
    let ros = s.state.retriever.retrieve("ROS 2 topic subscribers", &[], Locale::En, None, 3).await.unwrap();
    assert!(ros.hits.iter().all(|h| h.record.page_url != "/ros2/"), "deleted chunk still found");
}

#[tokio::test]
async fn index_persists_across_restart_without_reingest() {
    let dir = tempfile::tempdir().unwrap();
    write_corpus(&dir.path().join("rag"), &fixture_records());
    let mut env = BTreeMap::new();
    env.insert("DATA_DIR".to_string(), dir.path().join("data").display().to_string());
    env.insert("CORPUS_SOURCE".to_string(), dir.path().join("rag").display().to_string());
    let config = || Config::from_env(&Env::from_map(&env)).unwrap();
    let first = server::state::AppState::build(config()).await.unwrap();
    assert!(!first.ingest(None, false).await.unwrap().skipped);
    drop(first);
    // The shard holds a lock on its WAL: a second open only succeeds once the first instance is gone.
    let state = server::state::AppState::build(config()).await.unwrap();
    assert_eq!(state.retriever.store.count().await.unwrap(), fixture_records().len());
    let r = state.ingest(None, false).await.unwrap();
    assert!(r.skipped, "restart with the same corpus must not re-index: {r}");
}

#[tokio::test]
async fn an_index_from_an_older_schema_is_rewritten_although_the_corpus_is_unchanged() {
    let s = start(&[]).await;
    let n = fixture_records().len();
    // A state file as servers before the schema field wrote it: same corpus hash, no schema.
    let path = s.state.index_state_path();
    let mut state: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    state.as_object_mut().unwrap().remove("schema");
    std::fs::write(&path, state.to_string()).unwrap();
    let r = s.state.ingest(None, false).await.unwrap();
    assert!(!r.skipped, "an old index must not count as current: {r}");
    assert_eq!((r.upserted, r.deleted), (n, 0), "every point rewritten with the new payload: {r}");
    assert!(s.state.ingest(None, false).await.unwrap().skipped, "and then it is current");
}

#[tokio::test]
async fn broken_corpus_is_reported_with_file_and_line() {
    let s = start(&[]).await;
    let dir = s.dir.path().join("bad");
    write_corpus(&dir, &fixture_records());
    let path = dir.join("corpus.jsonl");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text = text.replacen("\"locale\":\"en\"", "\"locale\":\"xx\"", 1);
    std::fs::write(&path, text).unwrap();
    let err = s.state.ingest(Some(dir.to_str().unwrap()), false).await.unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("corpus.jsonl:1:"), "{msg}");
    // Nothing was lost: the index still answers.
    assert_eq!(s.state.retriever.store.count().await.unwrap(), fixture_records().len());
}
