//! Hybrid retrieval against a local fake OpenAI-compatible embeddings endpoint: chunks get dense vectors at
//! ingest, queries fuse dense and BM25 results, and a failing endpoint degrades to BM25 without errors.

mod common;

use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const DIM: usize = 32;

/// A deterministic stand-in for an embedding model: hashed bag of lower-cased words, L2-normalised.
fn fake_embedding(text: &str) -> Vec<f32> {
    let mut v = [0f32; DIM];
    for w in text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() > 2) {
        let h = w.to_lowercase().bytes().fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(b as u64));
        v[(h % DIM as u64) as usize] += 1.0;
    }
    let n = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
    v.iter().map(|x| x / n).collect()
}

async fn fake_embeddings(calls: Arc<AtomicUsize>, failing: Arc<AtomicBool>) -> String {
    let app = axum::Router::new().route(
        "/v1/embeddings",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
            let calls = calls.clone();
            let failing = failing.clone();
            async move {
                calls.fetch_add(1, Ordering::SeqCst);
                if failing.load(Ordering::SeqCst) {
                    return (axum::http::StatusCode::SERVICE_UNAVAILABLE, axum::Json(json!({}))).into_response();
                }
                let inputs: Vec<String> = serde_json::from_value(body["input"].clone()).unwrap_or_default();
                let data: Vec<Value> = inputs
                    .iter()
                    .enumerate()
                    .map(|(i, t)| json!({"index": i, "embedding": fake_embedding(t)}))
                    .collect();
                axum::Json(json!({"data": data})).into_response()
            }
        }),
    );
    use axum::response::IntoResponse;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    format!("http://{addr}/v1")
}

#[tokio::test]
async fn hybrid_retrieval_fuses_dense_and_bm25_and_degrades_gracefully() {
    let calls = Arc::new(AtomicUsize::new(0));
    let failing = Arc::new(AtomicBool::new(false));
    let base = fake_embeddings(calls.clone(), failing.clone()).await;
    let s = common::start(&[("EMBEDDINGS_BASE_URL", base.as_str()), ("EMBEDDINGS_MODEL", "fake-embed")]).await;
    assert!(s.dir.path().join(format!("data/index-dense{DIM}")).exists(), "hybrid index has its own folder");
    assert!(calls.load(Ordering::SeqCst) >= 2, "probe + ingest batch");

    let before = calls.load(Ordering::SeqCst);
    let r: Value = s.chat(json!({"query": "Where must a humanoid step to stop? capture point"})).await;
    assert_eq!(r["sources"][0]["url"], "/locomotion/#capture-point", "{r}");
    // The question was embedded for the dense half of the fusion. (The shown score is the section-aware
    // re-ranker's, applied after the rank fusion, so it no longer tells fused from BM25-only results.)
    assert!(calls.load(Ordering::SeqCst) > before, "the query went through the dense retriever");

    failing.store(true, Ordering::SeqCst);
    let r: Value = s.chat(json!({"query": "What is the zero moment point?"})).await;
    assert_eq!(r["sources"][0]["url"], "/locomotion/#zmp", "BM25 alone still answers: {r}");
    let m = s.client.get(s.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(m.contains("rag_query_errors_total{reason=\"embeddings\"}"));
}
